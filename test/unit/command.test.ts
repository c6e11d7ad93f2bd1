// `/encrypt`: argument parsing, and the private replies people get for each outcome.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { parseArguments } from '../../commands/parseArguments';
import { SettingId } from '../../lib/AppSettings';
import { runCommand, withPlainServiceAccount, workspace } from '../fakes/harness';

describe('parseArguments', () => {
    for (const [args, expected] of [
        [[], { action: 'status', withUsage: true }],
        [['', '  '], { action: 'status', withUsage: true }],
        [['on'], { action: 'set', encrypted: true, group: undefined }],
        [['OFF'], { action: 'set', encrypted: false, group: undefined }],
        [['Enable'], { action: 'set', encrypted: true, group: undefined }],
        [['off', '#secret'], { action: 'set', encrypted: false, group: 'secret' }],
        [['on', 'secret'], { action: 'set', encrypted: true, group: 'secret' }],
        [['status', '#team'], { action: 'status', group: 'team', withUsage: false }],
        [['HELP'], { action: 'help' }],
        [['junk'], { action: 'invalid', problem: 'unknown-option', argument: 'junk' }],
        [['on', '#'], { action: 'invalid', problem: 'unknown-option', argument: '#' }],
        [['on', '#a', 'b'], { action: 'invalid', problem: 'too-many-arguments' }],
        [['__proto__'], { action: 'invalid', problem: 'unknown-option', argument: '__proto__' }],
        [['constructor'], { action: 'invalid', problem: 'unknown-option', argument: 'constructor' }],
    ] as const) {
        test(JSON.stringify(args), () => {
            assert.deepEqual(parseArguments(args), expected);
        });
    }
});

// The command carries no session: every reply here that depends on who may do what needs the
// permission table, read with a service account — here the plain user the README's recipe before
// 7.4 asks for. Without one, the command changes nothing (the first tests say so).
const readable = () => withPlainServiceAccount(workspace());

describe('/encrypt replies', () => {
    test('no service account before 7.4: nothing changes, and the caller is told an admin must set an account able to read the table', async () => {
        const ws = workspace();
        ws.setPermission('toggle-room-e2e-encryption', ['admin']);
        const reply = await runCommand(ws, 'olivia', 'secret', ['on']);
        assert.equal(
            reply,
            "The app cannot read Rocket.Chat's permission table here, so it changes nothing; nothing was changed. An admin must set an account able to read it: the app's service account (Administration → Apps → Encrypt Group → Settings).",
        );
        assert.equal(ws.encryptedOf('secret'), undefined);
        assert.deepEqual(ws.notices, []);
        assert.deepEqual(ws.httpCalls, [], 'nobody to read the table with, so nothing was asked');
        ws.users.get('olivia')!.settings = { preferences: { language: 'de' } } as never;
        assert.match(await runCommand(ws, 'olivia', 'secret', ['on']), /^Die App kann Rocket\.Chats Berechtigungstabelle hier nicht lesen/);
    });

    test("no service account before 7.4: the status says the same to everyone, whatever the app's settings allow", async () => {
        const ws = workspace();
        for (const user of ['olivia', 'mia']) {
            assert.match(
                await runCommand(ws, user, 'secret', ['status']),
                /^End-to-end encryption is off for #secret\. The app cannot read Rocket\.Chat's permission table here/,
            );
        }
    });

    test('an owner switches the current group on', async () => {
        const ws = readable();
        const reply = await runCommand(ws, 'olivia', 'secret', ['on']);
        assert.equal(reply, 'End-to-end encryption is now on for #secret.');
        assert.equal(ws.encryptedOf('secret'), true);
        assert.deepEqual(
            ws.notices.map((notice) => notice.type),
            ['room_e2e_enabled'],
        );
    });

    test('`/encrypt off #secret` from a DM acts on the named group', async () => {
        const ws = readable();
        ws.setEncryptedFlag('secret', true);
        const reply = await runCommand(ws, 'olivia', 'dm', ['off', '#secret']);
        assert.equal(reply, 'End-to-end encryption is now off for #secret.');
        assert.equal(ws.encryptedOf('secret'), false);
    });

    test('the same value again says nothing changed', async () => {
        const ws = readable();
        ws.setEncryptedFlag('secret', true);
        const reply = await runCommand(ws, 'olivia', 'secret', ['on']);
        assert.match(reply, /already on/);
        assert.deepEqual(ws.notices, []);
    });

    test('no arguments: status of this room plus usage', async () => {
        const reply = await runCommand(readable(), 'olivia', 'secret', []);
        assert.match(reply, /^End-to-end encryption is off for #secret\. You may change it with `\/encrypt on #secret`\.\nUsage:/);
    });

    test('status for someone who may not toggle', async () => {
        const reply = await runCommand(readable(), 'mia', 'secret', ['status']);
        assert.match(reply, /^End-to-end encryption is off for #secret\. You may not edit #secret: only the group's owners, its moderators or an admin can\./);
    });

    test('in a channel without a group → says this is not a private group', async () => {
        const reply = await runCommand(readable(), 'olivia', 'town', ['on']);
        assert.match(reply, /This room is not a private group you are a member of/);
    });

    test('a named group the user is not in → not found, with the name', async () => {
        const reply = await runCommand(readable(), 'otto', 'town', ['on', '#secret']);
        assert.equal(reply, 'There is no private group #secret that you are a member of.');
    });

    test('a member → may not edit', async () => {
        const reply = await runCommand(readable(), 'mia', 'secret', ['on']);
        assert.match(reply, /You may not edit #secret/);
    });

    test('a moderator → only owners or an admin', async () => {
        const reply = await runCommand(readable(), 'mo', 'secret', ['on']);
        assert.equal(reply, "Only the group's owners or an admin can change encryption of #secret.");
    });

    test('the sentence follows the roles in force: admins only, in German too', async () => {
        const ws = readable();
        ws.setPermission('toggle-room-e2e-encryption', ['admin']);
        ws.appSettings[SettingId.ToggleRoles] = 'admin';
        assert.equal(await runCommand(ws, 'olivia', 'secret', ['on']), 'Only an admin can change encryption of #secret.');
        ws.users.get('olivia')!.settings = { preferences: { language: 'de' } } as never;
        assert.equal(await runCommand(ws, 'olivia', 'secret', ['on']), 'Nur ein Admin kann die Verschlüsselung von #secret ändern.');
    });

    test('a custom role named in the settings is named in the sentence', async () => {
        const ws = readable();
        ws.customRoles.set('crypto-keepers', 'Xq7RkP3mWz');
        ws.setPermission('toggle-room-e2e-encryption', ['owner', 'admin', 'Xq7RkP3mWz']);
        ws.appSettings[SettingId.ToggleRoles] = 'owner, admin, crypto-keepers';
        assert.equal(
            await runCommand(ws, 'mo', 'secret', ['on']),
            "Only the group's owners, an admin or people with the role crypto-keepers can change encryption of #secret.",
        );
    });

    test('a federated group: says the federation is the reason, not the workspace', async () => {
        assert.equal(await runCommand(readable(), 'olivia', 'fed', ['on']), '#fed is federated, and Rocket.Chat does not encrypt federated groups.');
    });

    test('`/encrypt on off`: says that off is an option, not a group', async () => {
        assert.match(await runCommand(readable(), 'olivia', 'secret', ['on', 'off']), /^"off" is an option, not a group\./);
    });

    test('`/encrypt #secret`: the status of that group', async () => {
        assert.match(await runCommand(readable(), 'olivia', 'dm', ['#secret']), /^End-to-end encryption is off for #secret\./);
    });

    test('E2E switched off for the workspace', async () => {
        const ws = readable();
        ws.serverSettings.E2E_Enable = false;
        const reply = await runCommand(ws, 'olivia', 'secret', ['on']);
        assert.match(reply, /switched off for this workspace/);
    });

    test('archived', async () => {
        const reply = await runCommand(readable(), 'olivia', 'town', ['on', '#old']);
        assert.equal(reply, '#old is archived; it must be unarchived first.');
    });

    test('turning off disallowed', async () => {
        const ws = readable();
        ws.appSettings[SettingId.AllowTurningOff] = false;
        ws.setEncryptedFlag('secret', true);
        const reply = await runCommand(ws, 'olivia', 'dm', ['off', 'secret']);
        assert.equal(reply, 'This workspace does not allow turning encryption off.');
        assert.equal(ws.encryptedOf('secret'), true);
    });

    test('on 7.4+ without a service account: explains what an admin must set', async () => {
        const ws = workspace();
        ws.roomModifier = 'ignored';
        const reply = await runCommand(ws, 'olivia', 'secret', ['on']);
        assert.match(reply, /service account/);
        assert.equal(ws.encryptedOf('secret'), undefined);
    });

    test('on 7.4+ the command never borrows a session: it uses the service account', async () => {
        const ws = workspace();
        ws.roomModifier = 'ignored';
        ws.appSettings[SettingId.ServiceAccountUserId] = 'svc';
        ws.appSettings[SettingId.ServiceAccountToken] = 'service-account-token-abcdef';
        const reply = await runCommand(ws, 'olivia', 'secret', ['on']);
        assert.equal(reply, 'End-to-end encryption is now on for #secret.');
        assert.deepEqual(
            ws.httpCalls.map((call) => call.url),
            ['https://rc.test/api/v1/permissions.listAll', 'https://rc.test/api/v1/rooms.saveRoomSettings'],
        );
    });

    test('junk → names the word and shows usage', async () => {
        const reply = await runCommand(workspace(), 'olivia', 'secret', ['please']);
        assert.match(reply, /^"please" is not an option of \/encrypt\. Usage:/);
    });

    test('too many words', async () => {
        const reply = await runCommand(workspace(), 'olivia', 'secret', ['on', 'a', 'b']);
        assert.match(reply, /at most two words/);
    });

    test('help', async () => {
        const reply = await runCommand(workspace(), 'olivia', 'secret', ['help']);
        assert.match(reply, /^Usage:/);
    });

    test('a failure inside → a calm reply, the room untouched', async () => {
        const ws = workspace();
        ws.faults.add('room-read');
        const reply = await runCommand(ws, 'olivia', 'secret', ['on']);
        assert.match(reply, /could not be confirmed/);
        assert.equal(ws.encryptedOf('secret'), undefined);
    });

    test('a German user gets German replies', async () => {
        const ws = workspace();
        ws.addUser('greta', { language: 'de-DE' });
        const reply = await runCommand(ws, 'greta', 'town', ['on', '#secret']);
        assert.equal(reply, 'Es gibt keine private Gruppe #secret, in der Sie Mitglied sind.');
    });
});
