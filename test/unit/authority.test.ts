// Rocket.Chat's authority, not the app's: the workspace's permission table decides who may edit a
// group and switch its encryption, the app's role settings can only narrow it, a stale table never
// widens anyone's rights, and where the app alone decides and cannot read the table, it refuses.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { SettingId } from '../../lib/AppSettings';
import { Authority, isAllowedRoles } from '../../lib/authority/Authority';
import { PermissionTable } from '../../lib/authority/PermissionTable';
import { RoleIds } from '../../lib/authority/RoleIds';
import { SERVICE_TOKEN, TOKEN, getEncrypted, runCommand, setEncrypted, withPlainServiceAccount, workspace } from '../fakes/harness';
import { EDIT_NOT_ALLOWED, NOT_FOUND, TOGGLE_NOT_ALLOWED, rcError } from '../support/rocketchat';

const as = (user: string) => ({ 'x-user-id': user, 'x-auth-token': `token-of-${user}` });

/** Before 7.4 (the room modifier writes, so the app alone applies the table), every cast member with a session. */
function preSevenFour() {
    const ws = workspace();
    for (const user of ['olivia', 'mo', 'lee', 'mia', 'ada']) {
        ws.restTokens.set(`token-of-${user}`, user);
    }
    return ws;
}

const listAllCalls = (ws: ReturnType<typeof workspace>) => ws.httpCalls.filter((call) => call.url.includes('permissions.listAll'));

describe('the permission table decides, on the path where the server does not check again', () => {
    test('owner taken out of toggle-room-e2e-encryption: an owner is refused, an admin member is not', async () => {
        const ws = preSevenFour();
        ws.setPermission('toggle-room-e2e-encryption', ['admin']);
        const owner = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, as('olivia'));
        assert.equal(owner.status, 400);
        assert.deepEqual(owner.content, TOGGLE_NOT_ALLOWED);
        assert.equal(ws.encryptedOf('secret'), undefined);
        const admin = await setEncrypted(ws, 'ada', { roomId: 'secret', encrypted: true }, as('ada'));
        assert.equal(admin.status, 200);
    });

    test('moderator added in the table: still refused while the app setting leaves it out; allowed once both say so', async () => {
        const ws = preSevenFour();
        ws.setPermission('toggle-room-e2e-encryption', ['owner', 'admin', 'moderator']);
        const narrowed = await setEncrypted(ws, 'mo', { roomId: 'secret', encrypted: true }, as('mo'));
        assert.deepEqual(narrowed.content, TOGGLE_NOT_ALLOWED);
        ws.appSettings[SettingId.ToggleRoles] = 'owner, admin, moderator';
        const allowed = await setEncrypted(ws, 'mo', { roomId: 'secret', encrypted: true }, as('mo'));
        assert.equal(allowed.status, 200);
    });

    test('the setting names a role the table does not grant: it counts for nothing', async () => {
        const ws = preSevenFour();
        ws.appSettings[SettingId.EditRoomRoles] = 'owner, moderator, admin, leader';
        const leader = await setEncrypted(ws, 'lee', { roomId: 'secret', encrypted: true }, as('lee'));
        assert.deepEqual(leader.content, EDIT_NOT_ALLOWED);
    });

    test('a change to the table counts from the next toggle on, read with one small updatedSince call', async () => {
        const ws = preSevenFour();
        assert.equal((await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, as('olivia'))).status, 200);
        ws.setPermission('toggle-room-e2e-encryption', ['admin']);
        const refused = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: false }, as('olivia'));
        assert.deepEqual(refused.content, TOGGLE_NOT_ALLOWED);
        const [cold, warm] = listAllCalls(ws);
        assert.equal(cold.request.params?.updatedSince, undefined);
        assert.match(String(warm.request.params?.updatedSince), /^\d{4}-\d\d-\d\dT/);
    });

    test('a custom role (Enterprise) named in the settings is matched by its id, through the role reader', async () => {
        const ws = preSevenFour();
        ws.customRoles.set('crypto-keepers', 'Xq7RkP3mWz');
        ws.users.get('mia')!.roles = ['user', 'Xq7RkP3mWz'];
        ws.setPermission('edit-room', ['admin', 'owner', 'moderator', 'Xq7RkP3mWz']);
        ws.setPermission('toggle-room-e2e-encryption', ['owner', 'admin', 'Xq7RkP3mWz']);
        ws.appSettings[SettingId.EditRoomRoles] = 'owner, moderator, admin, crypto-keepers';
        ws.appSettings[SettingId.ToggleRoles] = 'owner, admin, crypto-keepers';
        const response = await setEncrypted(ws, 'mia', { roomId: 'secret', encrypted: true }, as('mia'));
        assert.equal(response.status, 200);
    });
});

describe('fail closed where the app alone decides, go on where the server checks again', () => {
    test("the caller's session gets a 429 reading the table: that 429 is the answer, nothing changed", async () => {
        const ws = preSevenFour();
        const body = {
            success: false,
            error: 'Error, too many requests. Please slow down. You must wait 30 seconds before trying this endpoint again. [error-too-many-requests]',
        };
        ws.restAnswers['permissions.listAll'] = { statusCode: 429, body };
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, as('olivia'));
        assert.equal(response.status, 429);
        assert.deepEqual(response.content, body);
        assert.equal(ws.encryptedOf('secret'), undefined);
        assert.deepEqual(ws.notices, []);
    });

    test('the table cannot be read at all: 503, nothing changed', async () => {
        const ws = preSevenFour();
        ws.faults.add('http');
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, as('olivia'));
        assert.equal(response.status, 503);
        assert.equal(response.content.errorType, 'error-app-permissions-unavailable');
        assert.equal(ws.encryptedOf('secret'), undefined);
    });

    test('a stale table never widens: a refresh that fails is not replaced by what was read before', async () => {
        const ws = preSevenFour();
        assert.equal((await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, as('olivia'))).status, 200);
        ws.setPermission('toggle-room-e2e-encryption', ['admin']);
        ws.restAnswers['permissions.listAll'] = { statusCode: 500, body: {} };
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: false }, as('olivia'));
        assert.equal(response.status, 503);
        assert.equal(ws.encryptedOf('secret'), true);
    });

    test('7.4+ with the caller\'s session: the table is not read (the server applies it), and the server\'s "no" is the answer', async () => {
        const ws = preSevenFour();
        ws.roomModifier = 'ignored';
        ws.setPermission('toggle-room-e2e-encryption', ['admin']);
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, as('olivia'));
        assert.deepEqual(response.content, TOGGLE_NOT_ALLOWED);
        assert.deepEqual(listAllCalls(ws), []);
    });

    test("7.4+: a same-value request is the server's to answer too — refused where its table took edit-room away", async () => {
        const ws = preSevenFour();
        ws.roomModifier = 'ignored';
        ws.setEncryptedFlag('secret', true);
        const unchanged = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, as('olivia'));
        assert.equal(unchanged.status, 200);
        assert.equal(unchanged.content.group.encrypted, true);
        assert.deepEqual(ws.notices, []);
        ws.setPermission('edit-room', ['admin', 'moderator']);
        const refused = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, as('olivia'));
        assert.deepEqual(refused.content, EDIT_NOT_ALLOWED);
    });

    test('a slash command with a service account: the table is read as the service account', async () => {
        const ws = workspace();
        ws.roomModifier = 'ignored';
        ws.appSettings[SettingId.ServiceAccountUserId] = 'svc';
        ws.appSettings[SettingId.ServiceAccountToken] = SERVICE_TOKEN;
        ws.setPermission('toggle-room-e2e-encryption', ['admin']);
        const reply = await runCommand(ws, 'olivia', 'secret', ['on']);
        assert.equal(reply, 'Only an admin can change encryption of #secret.');
        assert.equal(ws.encryptedOf('secret'), undefined);
        assert.equal(listAllCalls(ws)[0].request.headers?.['X-User-Id'], 'svc');
    });

    test('a slash command with no credential at all (before 7.4, no service account): refused, nothing changed, whatever the settings allow', async () => {
        const ws = workspace();
        ws.setPermission('toggle-room-e2e-encryption', ['admin']);
        // The app's settings name owners (the default); only the table could say no, and nobody can read it.
        assert.match(await runCommand(ws, 'olivia', 'secret', ['on']), /^The app cannot read Rocket\.Chat's permission table here/);
        assert.equal(ws.encryptedOf('secret'), undefined);
        assert.deepEqual(ws.notices, []);
        assert.deepEqual(listAllCalls(ws), []);
        // Not even where the table would say yes: nobody is let through on the settings alone.
        ws.setPermission('toggle-room-e2e-encryption', ['owner', 'admin']);
        assert.match(await runCommand(ws, 'olivia', 'secret', ['on']), /^The app cannot read Rocket\.Chat's permission table here/);
        assert.equal(ws.encryptedOf('secret'), undefined);
        assert.match(await runCommand(ws, 'olivia', 'secret', ['status']), /The app cannot read Rocket\.Chat's permission table here/);
    });

    test('Authority itself: without the server checking again and with no credential, it answers `noReader`, never roles from the settings', async () => {
        let settingsRead = 0;
        const authority = new Authority({
            settings: {
                editRoomRoles: async () => (settingsRead++, ['owner', 'moderator', 'admin']),
                toggleRoles: async () => (settingsRead++, ['owner', 'admin']),
            },
            table: new PermissionTable(),
            roleIds: new RoleIds(),
            roleReader: { appId: 'encrypt-group-app' },
            rest: {
                get: async () => {
                    throw new Error('nothing to read the table with');
                },
            },
        });
        assert.deepEqual(await authority.allowedRoles(false, undefined), { unavailable: true, noReader: true });
        assert.equal(settingsRead, 0);
        // Where the server checks the caller again, the settings narrow what it will check.
        const checked = await authority.allowedRoles(true, undefined);
        assert.ok(isAllowedRoles(checked) && checked.decidedBy === 'server');
    });

    test('the same work through the endpoint without a session of the caller (a cookie login) is refused the same way', async () => {
        const ws = workspace();
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, {});
        assert.equal(response.status, 503);
        assert.equal(response.content.errorType, 'error-app-no-permission-reader');
        assert.equal(ws.encryptedOf('secret'), undefined);
    });

    test('a plain user as the service account (the recipe before 7.4) is enough: the table is read as it, and decides', async () => {
        const ws = withPlainServiceAccount(workspace());
        ws.setPermission('toggle-room-e2e-encryption', ['admin']);
        assert.equal(await runCommand(ws, 'olivia', 'secret', ['on']), 'Only an admin can change encryption of #secret.');
        assert.equal(listAllCalls(ws)[0].request.headers?.['X-User-Id'], 'reader');
        ws.setPermission('toggle-room-e2e-encryption', ['owner', 'admin']);
        assert.equal(await runCommand(ws, 'olivia', 'secret', ['on']), 'End-to-end encryption is now on for #secret.');
        // Before 7.4 the app's room modifier writes, as the caller: the plain account writes nothing.
        assert.deepEqual(ws.notices, [{ roomId: 'secret', type: 'room_e2e_enabled', userId: 'olivia', by: 'app' }]);
    });

    test("groups.getEncrypted reads the table with the caller's session: canToggle follows it", async () => {
        const ws = workspace();
        ws.setPermission('toggle-room-e2e-encryption', ['admin']);
        const status = await getEncrypted(ws, 'olivia', { roomId: 'secret' }, { 'x-user-id': 'olivia', 'x-auth-token': TOKEN });
        assert.deepEqual(status.content, { encrypted: false, canToggle: false, success: true });
    });
});

describe('after waiting in the room queue, and within a deadline', () => {
    test('a member removed while their toggle waited is refused as not found, nothing changed by them', async () => {
        const ws = preSevenFour();
        let release!: () => void;
        ws.roomUpdateGate = new Promise((resolve) => {
            release = resolve;
        });
        const first = setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, as('olivia'));
        await new Promise((resolve) => setTimeout(resolve, 20));
        const second = setEncrypted(ws, 'ada', { roomId: 'secret', encrypted: false }, as('ada'));
        await new Promise((resolve) => setTimeout(resolve, 20));
        ws.removeMember('secret', 'ada');
        release();
        assert.equal((await first).status, 200);
        const refused = await second;
        assert.deepEqual(refused.content, NOT_FOUND);
        assert.equal(ws.encryptedOf('secret'), true);
    });

    test('a hung write: answered within the deadline, the room untouched, the notice taken back, the room free again', async () => {
        const ws = preSevenFour();
        ws.instance.budgetMs = 300;
        ws.faults.add('room-update-hang');
        const started = Date.now();
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, as('olivia'));
        assert.ok(Date.now() - started < 1000, `answered after ${Date.now() - started} ms`);
        assert.equal(response.status, 503);
        assert.deepEqual(
            response.content,
            rcError("The encryption change did not complete in time; read the group's state before trying again", 'error-app-timeout'),
        );
        assert.equal(ws.encryptedOf('secret'), undefined);
        assert.deepEqual(ws.notices, []);
        ws.faults.delete('room-update-hang');
        assert.equal((await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, as('olivia'))).status, 200);
    });

    test('no REST write is started that could outlive the answer', async () => {
        const ws = preSevenFour();
        ws.roomModifier = 'ignored';
        ws.instance.budgetMs = 1000;
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, as('olivia'));
        assert.equal(response.content.errorType, 'error-app-timeout');
        assert.deepEqual(ws.httpCalls, []);
    });
});

describe('the service account, as an admin sees it without trying a toggle', () => {
    const statusOf = async (configure: (ws: ReturnType<typeof workspace>) => void) => {
        const ws = workspace();
        ws.roomModifier = 'ignored';
        configure(ws);
        return (await runCommand(ws, 'ada', 'secret', ['status'])).split('\n').find((line) => /service account/.test(line) && line.startsWith('For admins'));
    };
    const withAccount = (ws: ReturnType<typeof workspace>) => {
        ws.appSettings[SettingId.ServiceAccountUserId] = 'svc';
        ws.appSettings[SettingId.ServiceAccountToken] = SERVICE_TOKEN;
    };

    test('none set', async () => {
        assert.match(String(await statusOf(() => undefined)), /no service account is set/);
    });

    test('a token the server does not accept', async () => {
        assert.match(
            String(
                await statusOf((ws) => {
                    withAccount(ws);
                    ws.restTokens.delete(SERVICE_TOKEN);
                }),
            ),
            /does not accept the service account/,
        );
    });

    test('a full admin: it works, and the admin is told it is far more than needed', async () => {
        assert.equal(
            await statusOf((ws) => {
                withAccount(ws);
                ws.setPermission('api-bypass-rate-limit', ['admin', 'bot', 'app']);
            }),
            'For admins: the service account @svc holds what it needs. It is a full admin, far more than the app needs: a role of its own holding only edit-room, toggle-room-e2e-encryption and api-bypass-rate-limit (and view-room-administration for the report and groups.encryptAll) is enough.',
        );
    });

    test('a bot without the encryption permissions: says which it lacks', async () => {
        assert.equal(
            await statusOf((ws) => {
                withAccount(ws);
                ws.users.get('svc')!.roles = ['bot'];
                ws.setPermission('api-bypass-rate-limit', ['admin', 'bot', 'app']);
            }),
            'For admins: the service account @svc lacks edit-room, toggle-room-e2e-encryption.',
        );
    });

    test('before 7.4, a plain account: enough, and the admin is told so, with the rate limiter bypass worth adding', async () => {
        const ws = withPlainServiceAccount(workspace());
        const lines = (await runCommand(ws, 'ada', 'secret', ['status'])).split('\n');
        assert.ok(
            lines.includes(
                "For admins: the service account @reader can read Rocket.Chat's permission table, which is all this server (before Rocket.Chat 7.4) needs of it for `/encrypt`, the Encryption panel and the group picker: the app writes the change itself. Give it api-bypass-rate-limit too (the bot role holds it), so that its table reads do not share the rate limiter's count of about 10 a minute.",
            ),
            lines.join('\n'),
        );
    });

    test('none set before 7.4: the admin is told exactly what to set', async () => {
        const line = (await runCommand(workspace(), 'ada', 'secret', ['status'])).split('\n').find((text) => /no service account is set/.test(text));
        assert.match(String(line), /change nothing/);
        assert.match(String(line), /"Service account: user id" and "Service account: personal access token"/);
        assert.match(String(line), /Before Rocket\.Chat 7\.4 any plain account with a personal access token will do/);
    });

    test('people who are not admins do not see it', async () => {
        const ws = workspace();
        assert.doesNotMatch(await runCommand(ws, 'olivia', 'secret', ['status']), /For admins/);
    });
});
