// The room panel's views and the /encrypt group picker, against the fake workspace: what a caller
// sees follows the service's answers (state, refusal), and the shapes follow Rocket.Chat's UI kit
// and slash-command previews (apps/meteor/app/utils/server/slashCommand.ts keeps ten items).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createEncryptionService } from '../../lib/compositionRoot';
import type { EncryptionStatus } from '../../lib/EncryptionService';
import { SWITCH_OFF, SWITCH_ON, confirmOffViewId, panelViewId, roomOfConfirmOff } from '../../lib/panel/ids';
import { confirmOffModal, panelView } from '../../lib/panel/PanelView';
import { NO_MATCH_ITEM, UNSUPPORTED_ITEM } from '../../lib/picker/GroupPicker';
import { rankGroups } from '../../lib/picker/rankGroups';
import { isRefusal } from '../../lib/Refusal';
import type { FakeWorkspace } from '../fakes/FakeWorkspace';
import { panelDoor, pickPreview, preview, runCommand, withPlainServiceAccount, workspace } from '../fakes/harness';

const APP = 'encrypt-group-app';

/**
 * The panel and the picker carry no session: what they show depends on the permission table,
 * read here with the plain service account the README's recipe before 7.4 asks for (the last
 * describe has them without one).
 */
const readable = () => withPlainServiceAccount(workspace());

async function statusOf(ws: FakeWorkspace, userId: string, roomId: string): Promise<EncryptionStatus> {
    const service = createEncryptionService(ws.read(), ws.modify(), ws.http(), ws.persistence(), ws.logger(), ws.instance);
    const status = await service.status(ws.users.get(userId)!, { roomId });
    assert.ok(!isRefusal(status), JSON.stringify(status));
    return status;
}

/** A UI-kit block or element as the app sends it (the `@rocket.chat/ui-kit` shapes). */
interface UiElement {
    type: string;
    text?: unknown;
    [key: string]: unknown;
}
interface UiBlock {
    type: string;
    appId?: string;
    blockId?: string;
    text?: { text: string };
    elements?: Array<UiElement>;
}

/** Every text the blocks carry, in order. */
function texts(view: { blocks: Array<unknown> }): Array<string> {
    return (view.blocks as Array<UiBlock>).flatMap((block) =>
        block.type === 'section' ? [block.text!.text] : block.type === 'context' ? block.elements!.map((element) => element.text as string) : [],
    );
}

function buttons(view: { blocks: Array<unknown> }): Array<UiElement> {
    return (view.blocks as Array<UiBlock>).filter((block) => block.type === 'actions').flatMap((block) => block.elements!);
}

describe('the Encryption panel', () => {
    test('an owner of an unencrypted group: its state, may switch on, one primary switch carrying the room, the warning about bots and commands', async () => {
        const ws = readable();
        const owner = ws.users.get('olivia')!;
        const view = panelView(owner, APP, { status: await statusOf(ws, 'olivia', 'secret'), guard: 'off-allowed' });
        assert.equal(view.id, panelViewId('secret'));
        assert.deepEqual(view.title, { type: 'plain_text', text: 'Encryption' });
        assert.deepEqual(texts(view), [
            'End-to-end encryption is off for #secret.',
            'Switching encryption off is allowed in this workspace.',
            'You may switch it on.',
            'Once it is on, bots and slash commands stop working in this group: clients do not send commands in encrypted groups. To switch it off later, use this panel or `/encrypt off #secret` from another room.',
        ]);
        assert.deepEqual(buttons(view), [
            {
                type: 'button',
                appId: APP,
                blockId: 'switch',
                actionId: SWITCH_ON,
                text: { type: 'plain_text', text: 'Switch encryption on' },
                value: 'secret',
                style: 'primary',
            },
        ]);
        // The client sends a block's actions to the app named on the block.
        for (const block of view.blocks as Array<UiBlock>) {
            assert.equal(block.appId, APP);
            assert.equal(typeof block.blockId, 'string');
        }
    });

    test("a plain member: why not in the app's words and in Rocket.Chat's, and the switch is still there (rights are checked on the click)", async () => {
        const ws = readable();
        const view = panelView(ws.users.get('mia')!, APP, { status: await statusOf(ws, 'mia', 'secret'), guard: 'off-allowed' });
        const shown = texts(view);
        assert.match(shown[2], /^You may not switch it on\. You may not edit #secret: only /);
        assert.equal(shown[3], 'Rocket.Chat: Editing room is not allowed [error-action-not-allowed]');
        assert.equal(buttons(view)[0].actionId, SWITCH_ON);
    });

    test('an encrypted group kept on: a danger switch off, the guard named, no warning about commands; a refusal outcome leads', async () => {
        const ws = readable();
        ws.setEncryptedFlag('secret', true);
        ws.appSettings.allow_turning_off = false;
        const status = await statusOf(ws, 'olivia', 'secret');
        assert.equal(status.refusal?.reason, 'turning-off-disabled');
        const view = panelView(ws.users.get('olivia')!, APP, { status, guard: 'kept-on' }, { refusal: status.refusal! });
        const shown = texts(view);
        assert.equal(shown[0], '*Nothing was changed. This workspace does not allow turning encryption off.*');
        assert.equal(shown[1], 'End-to-end encryption is on for #secret.');
        assert.match(shown[2], /keeps encrypted groups encrypted/);
        assert.equal(buttons(view)[0].actionId, SWITCH_OFF);
        assert.equal(buttons(view)[0].style, 'danger');
        assert.ok(!shown.some((text) => /bots and slash commands/.test(text)));
    });

    test('the confirmation modal says what switching off means, names the policy that forbids it, and carries the room in its id', async () => {
        const ws = readable();
        ws.setEncryptedFlag('secret', true);
        const allowed = confirmOffModal(ws.users.get('olivia')!, APP, { status: await statusOf(ws, 'olivia', 'secret'), guard: 'off-allowed' });
        assert.equal(allowed.id, confirmOffViewId('secret'));
        assert.equal(roomOfConfirmOff(allowed.id), 'secret');
        assert.equal(roomOfConfirmOff(panelViewId('secret')), undefined);
        assert.deepEqual(texts(allowed), [
            'New messages in #secret will no longer be end-to-end encrypted: the server can read them. Messages already sent stay as they are.',
        ]);
        assert.equal((allowed.submit as unknown as UiElement).style, 'danger');
        ws.appSettings.allow_turning_off = false;
        const forbidden = confirmOffModal(ws.users.get('olivia')!, APP, { status: await statusOf(ws, 'olivia', 'secret'), guard: 'kept-on' });
        assert.match(texts(forbidden)[1], /does not allow turning encryption off \(the app setting "Allow turning encryption off"\)/);
    });

    test("in the user's language", async () => {
        const ws = readable();
        ws.addUser('greta', { language: 'de' });
        ws.addRoom({ id: 'heim', members: ['greta'], owners: ['greta'] });
        const view = panelView(ws.users.get('greta')!, APP, { status: await statusOf(ws, 'greta', 'heim'), guard: 'off-allowed' });
        assert.equal(view.title.text, 'Verschlüsselung');
        assert.equal(texts(view)[0], 'Ende-zu-Ende-Verschlüsselung ist für #heim ausgeschaltet.');
        assert.deepEqual(buttons(view)[0].text, { type: 'plain_text', text: 'Verschlüsselung einschalten' });
    });
});

describe('the /encrypt group picker', () => {
    test('`/encrypt on `: only private groups the caller is in, each with its state and whether they may switch it', async () => {
        const ws = readable();
        ws.setEncryptedFlag('team', true);
        const owner = await preview(ws, 'olivia', 'town', ['on']);
        assert.equal(owner.i18nTitle, 'Your private groups');
        const values = owner.items.map((item) => `${item.id}|${item.type}|${item.value}`);
        // Not the channel `town` nor the DM; shortest names first when nothing is typed; a federated group cannot be encrypted.
        assert.deepEqual(values, [
            'fed|text|#fed · not encrypted · you may not switch it',
            'old|text|#old · not encrypted · you may not switch it',
            'team|text|#team · encrypted · already so',
            'secret|text|#secret · not encrypted · you may switch it',
        ]);
        const member = await preview(ws, 'mia', 'town', ['on', 'sec']);
        assert.deepEqual(
            member.items.map((item) => item.value),
            ['#secret · not encrypted · you may not switch it'],
        );
        assert.deepEqual(
            (await preview(ws, 'otto', 'town', ['on'])).items.map((item) => item.id),
            [NO_MATCH_ITEM],
        );
    });

    test('choosing the "no group matches" item: one short line that nothing was picked, nothing changed', async () => {
        const ws = readable();
        const [none] = (await preview(ws, 'olivia', 'town', ['on', 'zzz'])).items;
        assert.equal(none.id, NO_MATCH_ITEM);
        assert.equal(await pickPreview(ws, 'olivia', 'town', ['on', 'zzz'], none), 'No group was picked, so nothing was changed.');
        ws.addUser('greta', { language: 'de' });
        const german = await pickPreview(ws, 'greta', 'town', ['off', 'zzz'], none);
        assert.equal(german, 'Es wurde keine Gruppe ausgewählt; nichts wurde geändert.');
        assert.equal(ws.calls['room.update'], undefined);
    });

    test('best matches first, at most ten', () => {
        const groups = ['alpha', 'beta-team', 'team', 'teamwork', 'my-team-x', 'steam', 'zeta'].map((name) => ({ id: name, name }));
        assert.deepEqual(
            rankGroups(groups, '#team').map((group) => group.name),
            ['team', 'teamwork', 'beta-team', 'my-team-x', 'steam'],
        );
        const many = Array.from({ length: 25 }, (_, index) => ({ id: `g${index}`, name: `g${String(index).padStart(2, '0')}` }));
        assert.equal(rankGroups(many, '').length, 10);
    });

    test('a server without getUserRoomIds: one item that says so, never a guess', async () => {
        const ws = readable();
        ws.hasUserRoomIds = false;
        const { items } = await preview(ws, 'olivia', 'town', ['off']);
        assert.equal(items.length, 1);
        assert.equal(items[0].id, UNSUPPORTED_ITEM);
        assert.match(items[0].value, /Apps-Engine 1\.58 or later.*`\/encrypt off #group`/);
        assert.match(await pickPreview(ws, 'olivia', 'town', ['off'], items[0]), /^Usage: /);
    });

    test('picking a group runs the command for it, with the same rules', async () => {
        const ws = readable();
        const [secret] = (await preview(ws, 'olivia', 'town', ['on', 'secret'])).items;
        assert.equal(await pickPreview(ws, 'olivia', 'town', ['on', 'secret'], secret), 'End-to-end encryption is now on for #secret.');
        assert.equal(ws.rooms.get('secret')!._unmappedProperties_.encrypted, true);
        assert.match(await pickPreview(ws, 'mia', 'town', ['off'], secret), /You may not edit #secret/);
        // An id of a group the caller is not in is not named.
        assert.equal(await pickPreview(ws, 'otto', 'town', ['off'], secret), 'There is no private group #secret that you are a member of.');
    });

    test('cheap for a caller in 300 groups: the list is read once while they type, and only the ten shown are asked about', async () => {
        const ws = readable();
        for (let index = 0; index < 300; index++) {
            ws.addRoom({ id: `g${index}`, name: `group-${index}`, members: ['olivia'], owners: ['olivia'] });
        }
        const before = ws.calls['room.getById'] ?? 0;
        const first = await preview(ws, 'olivia', 'town', ['on', 'group-1']);
        const firstCalls = (ws.calls['room.getById'] ?? 0) - before;
        assert.equal(first.items.length, 10);
        assert.equal(first.items[0].value, '#group-1 · not encrypted · you may switch it');
        await preview(ws, 'olivia', 'town', ['on', 'group-12']);
        const secondCalls = (ws.calls['room.getById'] ?? 0) - before - firstCalls;
        assert.ok(firstCalls >= 300, `${firstCalls}`);
        assert.ok(secondCalls <= 40, `${secondCalls} room look-ups for the second keystroke`);
    });
});

describe('the panel and the picker with no account to read the permission table (before 7.4)', () => {
    // The workspace took toggling away from owners; the app's settings still name them. Nothing
    // but the table may decide, so without a way to read it nothing changes.
    function unreadable(): FakeWorkspace {
        const ws = workspace();
        ws.setPermission('toggle-room-e2e-encryption', ['admin']);
        return ws;
    }
    const WHY =
        /^\*Nothing was changed\. The app cannot read Rocket\.Chat's permission table here, so it changes nothing; nothing was changed\. An admin must set an account able to read it/;

    test("the owner's click changes nothing, and the panel says why", async () => {
        const ws = unreadable();
        const answer = await panelDoor(ws).call.block({ actionId: SWITCH_ON, value: 'secret', user: ws.users.get('olivia'), room: { id: 'secret' } });
        assert.equal(answer.kind, 'update-bar');
        assert.match(texts(answer.view!)[0], WHY);
        assert.equal(ws.encryptedOf('secret'), undefined);
        assert.deepEqual(ws.notices, []);
        assert.deepEqual(ws.httpCalls, []);
    });

    test('the picker offers the group as not switchable, and a pick is refused with the reason', async () => {
        const ws = unreadable();
        const [secret] = (await preview(ws, 'olivia', 'town', ['on', 'secret'])).items;
        assert.equal(secret.value, '#secret · not encrypted · you may not switch it');
        assert.match(await pickPreview(ws, 'olivia', 'town', ['on', 'secret'], secret), /^The app cannot read Rocket\.Chat's permission table here/);
        assert.equal(ws.encryptedOf('secret'), undefined);
    });

    test('with a plain account that may read the table, the table refuses the owner; given back to owners, all three work', async () => {
        const ws = withPlainServiceAccount(unreadable());
        assert.equal(await runCommand(ws, 'olivia', 'secret', ['on']), 'Only an admin can change encryption of #secret.');
        const [secret] = (await preview(ws, 'olivia', 'town', ['on', 'secret'])).items;
        assert.equal(secret.value, '#secret · not encrypted · you may not switch it');
        assert.equal(await pickPreview(ws, 'olivia', 'town', ['on', 'secret'], secret), 'Only an admin can change encryption of #secret.');
        assert.equal(ws.encryptedOf('secret'), undefined);
        const reads = ws.httpCalls.filter((call) => call.url.includes('permissions.listAll'));
        assert.ok(reads.length > 0 && reads.every((call) => call.request.headers?.['X-User-Id'] === 'reader'));

        ws.setPermission('toggle-room-e2e-encryption', ['owner', 'admin']);
        assert.equal(await pickPreview(ws, 'olivia', 'town', ['on', 'secret'], secret), 'End-to-end encryption is now on for #secret.');
        assert.equal(await runCommand(ws, 'olivia', 'secret', ['off']), 'End-to-end encryption is now off for #secret.');
    });
});
