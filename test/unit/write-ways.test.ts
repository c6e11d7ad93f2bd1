// How the flag gets written: the room modifier where the server honours it (before 7.4), else the
// server's REST API with the caller's session, else the service account, else a clear refusal.
// Only a read-back that shows the new value counts, and the room notice is posted exactly once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { SettingId } from '../../lib/AppSettings';
import { SERVICE_TOKEN, TOKEN, setEncrypted, workspace } from '../fakes/harness';
import { TOGGLE_NOT_ALLOWED, rcError } from '../support/rocketchat';

const callerHeaders = { 'x-user-id': 'olivia', 'x-auth-token': TOKEN };

function onCurrentServer() {
    const ws = workspace();
    ws.roomModifier = 'ignored';
    return ws;
}

function withServiceAccount(ws = onCurrentServer()) {
    ws.appSettings[SettingId.ServiceAccountUserId] = 'svc';
    ws.appSettings[SettingId.ServiceAccountToken] = SERVICE_TOKEN;
    return ws;
}

describe('before Rocket.Chat 7.4: the room modifier', () => {
    test('writes the flag itself, calls no REST API, posts the notice as the caller', async () => {
        const ws = workspace();
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        assert.equal(response.status, 200);
        assert.equal(ws.encryptedOf('secret'), true);
        assert.equal(ws.httpCalls.length, 0);
        assert.deepEqual(ws.notices, [{ roomId: 'secret', type: 'room_e2e_enabled', userId: 'olivia', by: 'app' }]);
    });

    test('unencrypted messages refused in encrypted groups (the 7.0 default): the notice still lands, once each way', async () => {
        const ws = workspace();
        assert.notEqual(ws.serverSettings.E2E_Allow_Unencrypted_Messages, true);
        assert.equal((await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true })).status, 200);
        assert.equal((await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: false })).status, 200);
        assert.deepEqual(
            ws.notices.map((notice) => notice.type),
            ['room_e2e_enabled', 'room_e2e_disabled'],
        );
        assert.ok(!ws.logLines.some((line) => line.startsWith('error:')), ws.logLines.join('\n'));
    });

    test('the write fails after the switch-on notice went out: the notice is taken back', async () => {
        const ws = workspace();
        ws.faults.add('room-update');
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        assert.equal(response.status, 503);
        assert.equal(ws.encryptedOf('secret'), undefined);
        assert.deepEqual(ws.notices, []);
        assert.equal(ws.calls['message.delete'], 1);
    });

    test("keeps the room's other unmapped fields", async () => {
        const ws = workspace();
        await setEncrypted(ws, 'olivia', { roomId: 'team', encrypted: true });
        assert.equal(ws.rooms.get('team')!._unmappedProperties_.teamMain, true);
        assert.equal(ws.rooms.get('team')!._unmappedProperties_.usersCount, 5);
    });
});

describe('Rocket.Chat 7.4+: the modifier is ignored, so the read-back sends the app on', () => {
    test("with the caller's session: groups.setEncrypted on Site_Url, server posts the only notice", async () => {
        const ws = onCurrentServer();
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        assert.equal(response.status, 200);
        assert.equal(response.content.group.encrypted, true);
        assert.equal(ws.encryptedOf('secret'), true);
        assert.equal(ws.httpCalls.length, 1);
        assert.equal(ws.httpCalls[0].url, 'http://rc.test/api/v1/groups.setEncrypted');
        assert.deepEqual(ws.httpCalls[0].request.data, { roomId: 'secret', encrypted: true });
        assert.equal(ws.httpCalls[0].request.headers?.['X-User-Id'], 'olivia');
        assert.deepEqual(ws.notices, [{ roomId: 'secret', type: 'room_e2e_enabled', userId: 'olivia', by: 'server' }]);
    });

    test('without a session: the service account through rooms.saveRoomSettings', async () => {
        const ws = withServiceAccount();
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        assert.equal(response.status, 200);
        assert.equal(ws.httpCalls.length, 1);
        assert.equal(ws.httpCalls[0].url, 'http://rc.test/api/v1/rooms.saveRoomSettings');
        assert.deepEqual(ws.httpCalls[0].request.data, { rid: 'secret', encrypted: true });
        assert.deepEqual(
            ws.notices.map((notice) => notice.by),
            ['server'],
        );
    });

    test('headers of another user than the authenticated one are not used', async () => {
        const ws = withServiceAccount();
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, { 'x-user-id': 'mia', 'x-auth-token': TOKEN });
        assert.deepEqual(
            ws.httpCalls.map((call) => call.url),
            ['http://rc.test/api/v1/rooms.saveRoomSettings'],
        );
    });

    test('a rejected caller session falls through to the service account', async () => {
        const ws = withServiceAccount();
        ws.restTokens.delete(TOKEN);
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        assert.equal(response.status, 200);
        assert.equal(ws.httpCalls.length, 2);
        assert.equal(ws.encryptedOf('secret'), true);
    });

    test('no way left → a clear refusal naming the service account, nothing changed', async () => {
        const ws = onCurrentServer();
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        assert.equal(response.status, 400);
        assert.equal(response.content.errorType, 'error-app-cannot-write-encryption');
        assert.match(response.content.error, /service account/);
        assert.equal(ws.encryptedOf('secret'), undefined);
        assert.deepEqual(ws.notices, []);
    });

    test("the server's own refusal is passed on word for word", async () => {
        const ws = onCurrentServer();
        const { success, ...refusal } = TOGGLE_NOT_ALLOWED;
        void success;
        ws.restRefusal = refusal as NonNullable<typeof ws.restRefusal>;
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        assert.equal(response.status, 400);
        assert.deepEqual(response.content, TOGGLE_NOT_ALLOWED);
        assert.equal(ws.encryptedOf('secret'), undefined);
    });

    test('Site_Url unset: the REST ways are skipped, not called on a bad URL', async () => {
        const ws = withServiceAccount();
        ws.serverSettings.Site_Url = '';
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        assert.equal(response.content.errorType, 'error-app-cannot-write-encryption');
        assert.equal(ws.httpCalls.length, 0);
    });
});

describe('faults', () => {
    test('the room update fails and nothing else is possible → 503, nothing changed, logged', async () => {
        const ws = workspace();
        ws.faults.add('room-update');
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        assert.equal(response.status, 503);
        assert.deepEqual(response.content, rcError('The encryption change could not be saved; nothing was changed', 'error-app-write-failed'));
        assert.equal(ws.encryptedOf('secret'), undefined);
        assert.deepEqual(ws.notices, []);
        assert.ok(ws.logLines.some((line) => line.includes('room modifier failed')));
    });

    test("the room update fails but the caller's session works → written through REST", async () => {
        const ws = workspace();
        ws.faults.add('room-update');
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        assert.equal(response.status, 200);
        assert.deepEqual(
            ws.notices.map((notice) => notice.by),
            ['server'],
        );
    });

    test('the notice fails → the toggle stands, the failure is logged', async () => {
        const ws = workspace();
        ws.faults.add('message-create');
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        assert.equal(response.status, 200);
        assert.equal(ws.encryptedOf('secret'), true);
        assert.ok(ws.logLines.some((line) => line.startsWith('error:') && line.includes('notice of an encryption change could not be posted')));
    });

    test("reading rooms fails → 500 in Rocket.Chat's shape, nothing changed", async () => {
        const ws = workspace();
        ws.faults.add('room-read');
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        assert.equal(response.status, 500);
        assert.deepEqual(response.content, { success: false, error: 'Internal server error' });
        assert.equal(ws.encryptedOf('secret'), undefined);
    });
});

describe('tokens stay secret', () => {
    test('a transport error that echoes the token is logged without it', async () => {
        const ws = withServiceAccount();
        const http = ws.http();
        http.post = async (url, request) => {
            throw new Error(`connect ECONNREFUSED ${url} with ${JSON.stringify(request?.headers)}`);
        };
        ws.http = () => http;
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        assert.equal(response.status, 503);
        const everything = JSON.stringify([ws.logLines, response.content]);
        assert.ok(ws.logLines.length >= 2);
        assert.ok(!everything.includes(TOKEN), 'caller token leaked');
        assert.ok(!everything.includes(SERVICE_TOKEN), 'service token leaked');
    });

    test('nothing the app says after a REST write holds a token', async () => {
        const ws = withServiceAccount();
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        const everything = JSON.stringify([ws.logLines, response.content, ws.notices]);
        assert.ok(!everything.includes(TOKEN) && !everything.includes(SERVICE_TOKEN));
    });
});

describe('membership check', () => {
    test("uses the caller's room list, never the member list, where the server has it", async () => {
        const ws = workspace();
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        assert.equal(ws.calls['user.getUserRoomIds'], 1);
        assert.equal(ws.calls['room.getMembers'], undefined);
    });

    test('falls back to the member list on servers without getUserRoomIds', async () => {
        const ws = workspace();
        ws.hasUserRoomIds = false;
        const ok = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        const outsider = await setEncrypted(ws, 'otto', { roomId: 'secret', encrypted: false });
        assert.equal(ok.status, 200);
        assert.equal(outsider.content.errorType, 'error-room-not-found');
        assert.equal(ws.calls['room.getMembers'], 2);
    });

    test('falls back when getUserRoomIds exists but the server cannot answer it', async () => {
        const ws = workspace();
        const read = ws.read();
        const users = read.getUserReader() as unknown as Record<string, unknown>;
        users.getUserRoomIds = async () => {
            throw new Error('method not found');
        };
        read.getUserReader = () => users as never;
        ws.read = () => read;
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        assert.equal(response.status, 200);
        assert.equal(ws.calls['room.getMembers'], 1);
    });
});

describe('the app remembers a server that ignores the room modifier', () => {
    test('after one ignored write, later toggles go straight to REST (three bridge calls fewer)', async () => {
        const ws = onCurrentServer();
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        const readsAfterFirst = ws.calls['room.getById'];
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: false }, callerHeaders);
        assert.equal(ws.calls['room.update'], 1, 'the modifier was tried again');
        assert.equal(ws.calls['room.getById'] - readsAfterFirst, 2, 'find + read-back only');
        assert.equal(ws.encryptedOf('secret'), false);
    });

    test('a modifier that failed (rather than being ignored) is tried again next time', async () => {
        const ws = workspace();
        ws.faults.add('room-update');
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        ws.faults.delete('room-update');
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: false }, callerHeaders);
        assert.equal(ws.calls['room.update'], 2, 'the failed attempt and the retry');
        assert.deepEqual(
            ws.notices.map((notice) => notice.by),
            ['server', 'app'],
        );
    });
});
