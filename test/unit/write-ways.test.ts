// How the flag gets written: the room modifier where the server honours it (before 7.4); else the
// server's own route with the caller's session (endpoint calls), whose answer is the caller's
// answer; the service account only for calls that carry no session (slash commands); else a
// clear refusal. A write counts once the server confirms it or a read-back shows it, and the room
// notice is posted exactly once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { SettingId } from '../../lib/AppSettings';
import { SERVICE_TOKEN, TOKEN, setEncrypted, workspace } from '../fakes/harness';
import { TOGGLE_NOT_ALLOWED, rcError } from '../support/rocketchat';

const callerHeaders = { 'x-user-id': 'olivia', 'x-auth-token': TOKEN };
/** A call that carries no session of the caller's, as a slash command's work does. */
const noSession = {};

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

const urls = (ws: ReturnType<typeof workspace>) => ws.httpCalls.map((call) => call.url.replace('https://rc.test/api/v1/', '').replace(/\?.*$/, ''));

describe('before Rocket.Chat 7.4: the room modifier', () => {
    test('writes the flag itself, posts the notice as the caller; REST only to read the permission table', async () => {
        const ws = workspace();
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        assert.equal(response.status, 200);
        assert.equal(ws.encryptedOf('secret'), true);
        assert.deepEqual(urls(ws), ['permissions.listAll']);
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
        // The caller's session is the way after the modifier; it fails too.
        ws.restAnswers['groups.setEncrypted'] = { statusCode: 502, body: {} };
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
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

    test('the room update fails and the caller has a session: written through the server with it', async () => {
        const ws = workspace();
        ws.faults.add('room-update');
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        assert.equal(response.status, 200);
        assert.deepEqual(
            ws.notices.map((notice) => `${notice.by}:${notice.userId}`),
            ['server:olivia'],
        );
    });

    test('a read-back that does not show the write is not taken as "this server ignores apps"', async () => {
        const ws = workspace();
        // Another writer puts the flag back between the app's write and its read-back, once.
        const read = ws.read();
        const rooms = read.getRoomReader();
        const getById = rooms.getById.bind(rooms);
        let confused = false;
        rooms.getById = async (id: string) => {
            const room = await getById(id);
            if (!confused && ws.calls['room.update'] === 1 && room) {
                confused = true;
                (room as unknown as { _unmappedProperties_: Record<string, unknown> })._unmappedProperties_.encrypted = undefined;
            }
            return room;
        };
        read.getRoomReader = () => rooms;
        ws.read = () => read;
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        assert.equal(ws.instance.memory.modifierHonoured, true);
        const next = await setEncrypted(ws, 'olivia', { roomId: 'team', encrypted: true });
        assert.equal(next.status, 200);
        assert.equal(ws.calls['room.update'], 2, 'the modifier is still used');
    });
});

describe('Rocket.Chat 7.4+: the runtime tells that room updates drop `encrypted`', () => {
    test("with the caller's session: groups.setEncrypted on Site_Url, the server's group answered, its notice the only one", async () => {
        const ws = onCurrentServer();
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        assert.equal(response.status, 200);
        assert.deepEqual(response.content.group, { _id: 'secret', name: 'secret', t: 'p', encrypted: true });
        assert.equal(ws.encryptedOf('secret'), true);
        assert.deepEqual(urls(ws), ['groups.setEncrypted']);
        assert.deepEqual(ws.httpCalls[0].request.data, { roomId: 'secret', encrypted: true });
        assert.equal(ws.httpCalls[0].request.headers?.['X-User-Id'], 'olivia');
        assert.equal(ws.calls['room.update'], undefined, 'the modifier is not even tried');
        assert.deepEqual(ws.notices, [{ roomId: 'secret', type: 'room_e2e_enabled', userId: 'olivia', by: 'server' }]);
    });

    test('without a session (a slash command): the service account through rooms.saveRoomSettings, after reading the table with it', async () => {
        const ws = withServiceAccount();
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, noSession);
        assert.equal(response.status, 200);
        assert.deepEqual(urls(ws), ['permissions.listAll', 'rooms.saveRoomSettings']);
        assert.deepEqual(ws.httpCalls[1].request.data, { rid: 'secret', encrypted: true });
        assert.deepEqual(
            ws.notices.map((notice) => `${notice.by}:${notice.userId}`),
            ['server:svc'],
        );
    });

    test('headers of another user than the authenticated one are not used', async () => {
        const ws = withServiceAccount();
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, { 'x-user-id': 'mia', 'x-auth-token': TOKEN });
        assert.ok(!ws.httpCalls.some((call) => call.request.headers?.['X-User-Id'] === 'mia'));
    });

    test('no way left → a clear refusal naming the service account, nothing changed', async () => {
        const ws = onCurrentServer();
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, noSession);
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

    test('Site_Url unset: no REST call, a refusal that says why', async () => {
        const ws = withServiceAccount();
        ws.serverSettings.Site_Url = '';
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        assert.equal(response.status, 503);
        assert.equal(response.content.errorType, 'error-app-site-url');
        assert.equal(ws.httpCalls.length, 0);
    });
});

describe("never escalate: once the caller's session is in play, its answer is the answer", () => {
    for (const [label, statusCode, body] of [
        [
            'a 429 from the rate limiter',
            429,
            {
                success: false,
                error: 'Error, too many requests. Please slow down. You must wait 42 seconds before trying this endpoint again. [error-too-many-requests]',
            },
        ],
        [
            'a 401 (session expired)',
            401,
            { success: false, error: 'You must be logged in to do this.', status: 'error', message: 'You must be logged in to do this.' },
        ],
        ['a 403', 403, { success: false, error: 'unauthorized' }],
    ] as const) {
        test(`${label} is passed on as it came; no service-account write, no notice`, async () => {
            const ws = withServiceAccount();
            ws.restAnswers['groups.setEncrypted'] = { statusCode, body: { ...body } };
            const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
            assert.equal(response.status, statusCode);
            assert.deepEqual(response.content, body);
            assert.deepEqual(urls(ws), ['groups.setEncrypted']);
            assert.equal(ws.encryptedOf('secret'), undefined);
            assert.deepEqual(ws.notices, []);
        });
    }

    test('a 5xx → 503 error-app-write-failed, no service-account write', async () => {
        const ws = withServiceAccount();
        ws.restAnswers['groups.setEncrypted'] = { statusCode: 502, body: {} };
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        assert.equal(response.status, 503);
        assert.deepEqual(response.content, rcError('The encryption change could not be saved; nothing was changed', 'error-app-write-failed'));
        assert.deepEqual(urls(ws), ['groups.setEncrypted']);
    });

    for (const [way, headers, query] of [
        ['', { authorization: 'Bearer oauth-token-of-olivia' }, undefined],
        [' by ?access_token=', {}, { access_token: 'oauth-token-of-olivia' }],
    ] as const) {
        test(`an OAuth caller${way}: the same token is sent on as a bearer header, never the service account`, async () => {
            const ws = withServiceAccount();
            ws.bearerTokens.set('oauth-token-of-olivia', 'olivia');
            const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, headers, query);
            assert.equal(response.status, 200);
            assert.deepEqual(urls(ws), ['groups.setEncrypted']);
            assert.equal(ws.httpCalls[0].request.headers?.Authorization, 'Bearer oauth-token-of-olivia');
            assert.deepEqual(
                ws.notices.map((notice) => `${notice.by}:${notice.userId}`),
                ['server:olivia'],
            );
        });
    }

    test("a bearer header wins over ?access_token=, as in Rocket.Chat's oAuth2ServerAuth", async () => {
        const ws = withServiceAccount();
        ws.bearerTokens.set('oauth-token-of-olivia', 'olivia');
        const headers = { authorization: 'Bearer oauth-token-of-olivia' };
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, headers, { access_token: 'some-other-token' });
        assert.equal(ws.httpCalls[0].request.headers?.Authorization, 'Bearer oauth-token-of-olivia');
    });
});

describe('the service account fails: the admin learns why, the caller is told it is not their fault', () => {
    for (const [label, answer, errorText] of [
        ['its token is rejected', { statusCode: 401, body: { success: false, error: 'You must be logged in to do this.' } }, /did not accept/],
        ['it lacks the rights', { statusCode: 400, body: { ...TOGGLE_NOT_ALLOWED } }, /may not change encryption/],
        ['it is rate-limited', { statusCode: 429, body: { success: false, error: 'Error, too many requests. [error-too-many-requests]' } }, /rate limit/],
    ] as const) {
        test(label, async () => {
            const ws = withServiceAccount();
            ws.restAnswers['rooms.saveRoomSettings'] = answer;
            const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, noSession);
            assert.equal(response.status, 503);
            assert.equal(response.content.errorType, 'error-app-service-account');
            assert.match(response.content.error, errorText);
            assert.ok(
                ws.logLines.some((line) => line.startsWith('warn:') && errorText.test(line)),
                ws.logLines.join('\n'),
            );
            assert.equal(ws.encryptedOf('secret'), undefined);
        });
    }
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
        assert.ok(ws.logLines.length >= 1);
        assert.ok(!everything.includes(TOKEN), 'caller token leaked');
        assert.ok(!everything.includes(SERVICE_TOKEN), 'service token leaked');
    });

    test('nothing the app says after a REST write holds a token', async () => {
        const ws = withServiceAccount();
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        const everything = JSON.stringify([ws.logLines, response.content, ws.notices]);
        assert.ok(!everything.includes(TOKEN) && !everything.includes(SERVICE_TOKEN));
    });

    for (const [siteUrl, sent] of [
        ['http://chat.example.com', false],
        ['http://10.0.0.5:3000', false],
        ['https://chat.example.com', true],
        ['http://localhost:3000', true],
        ['http://127.0.0.1:3000/', true],
        ['http://[::1]:3000', true],
    ] as const) {
        test(`Site_Url ${siteUrl}: a token is ${sent ? '' : 'not '}sent there`, async () => {
            const ws = withServiceAccount();
            ws.serverSettings.Site_Url = siteUrl;
            const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
            assert.equal(ws.httpCalls.length > 0, sent);
            if (!sent) {
                assert.equal(response.status, 503);
                assert.equal(response.content.errorType, 'error-app-site-url');
            }
        });
    }
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

describe('what the app knows of the server', () => {
    test('7.4+ is recognised once per app instance from the runtime, and the modifier is never used there', async () => {
        const ws = onCurrentServer();
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: false }, callerHeaders);
        assert.equal(ws.instance.memory.modifierHonoured, false);
        assert.equal(ws.calls['room.update.start'], 1, 'one look at the runtime');
        assert.equal(ws.calls['room.update'], undefined);
        assert.equal(ws.encryptedOf('secret'), false);
    });

    test('a look that failed is not remembered; the modifier is tried', async () => {
        const ws = workspace();
        ws.faults.add('room-read');
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        ws.faults.delete('room-read');
        assert.equal(ws.instance.memory.modifierHonoured, undefined);
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        assert.equal(response.status, 200);
        assert.equal(ws.instance.memory.modifierHonoured, true);
        assert.deepEqual(
            ws.notices.map((notice) => notice.by),
            ['app'],
        );
    });
});

describe('faults', () => {
    test("the room update fails and so does the server's own route → 503, nothing changed, logged", async () => {
        const ws = workspace();
        ws.faults.add('room-update');
        ws.restAnswers['groups.setEncrypted'] = { statusCode: 502, body: {} };
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, callerHeaders);
        assert.equal(response.status, 503);
        assert.deepEqual(response.content, rcError('The encryption change could not be saved; nothing was changed', 'error-app-write-failed'));
        assert.equal(ws.encryptedOf('secret'), undefined);
        assert.deepEqual(ws.notices, []);
        assert.ok(ws.logLines.some((line) => line.includes('room modifier failed')));
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
