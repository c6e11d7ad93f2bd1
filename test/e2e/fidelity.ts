// Where the app's behaviour depends on what the server does, the server must do what Rocket.Chat
// does. Each expectation here is written from Rocket.Chat's source (the file is named beside it),
// by version, and not taken from the stand-in: if the stand-in or the app drifts, a test fails.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import type { Scenario, World } from './scenario';
import { type Version, atLeast, versionOf } from '../support/versions';

const NOT_LOGGED_IN = 'You must be logged in to do this.';

/**
 * `API.v1.forbidden()` without a message: 403 `{success:false, error:'unauthorized'}` until the 9.0
 * breaking-change flag, `'forbidden'` from 9.0 (apps/meteor/app/api/server/ApiClass.ts:
 * `applyBreakingChanges = shouldBreakInVersion('9.0.0')`, `forbidden(msg)`).
 */
const forbiddenBody = (version: Version) => ({ success: false, error: atLeast(version, [9, 0]) ? 'forbidden' : 'unauthorized' });

export function fidelitySuite(scenario: () => Scenario): void {
    describe("Rocket.Chat's behaviour where the app depends on it", () => {
        let s: Scenario;
        let version: Version;
        let w: World;
        before(async () => {
            s = scenario();
            version = versionOf(s.target.version);
            w = await s.world();
        });

        test('a core route without login answers 401 in the shape of this version', async () => {
            const answer = await fetch(`${s.target.url}/api/v1/groups.setEncrypted`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ roomId: w.group._id, encrypted: true }),
            });
            // Up to 7.3 Restivus (apps/meteor/packages/meteor-restivus/lib/route.js); then
            // API.v1.unauthorized() plus the pre-9.0 compatibility keys (apps/meteor/server/api/ApiClass.ts).
            const expected = !atLeast(version, [7, 4])
                ? { status: 'error', message: NOT_LOGGED_IN }
                : atLeast(version, [9, 0])
                  ? { success: false, error: NOT_LOGGED_IN }
                  : { success: false, error: NOT_LOGGED_IN, status: 'error', message: NOT_LOGGED_IN };
            assert.equal(answer.status, 401);
            assert.deepEqual(await answer.json(), expected);
        });

        describe('messages in an encrypted group (executeSendMessage, apps/meteor/app/lib/server/methods/sendMessage.ts)', () => {
            let group: { _id: string };
            before(async () => {
                group = (await w.owner.client.post('groups.create', { name: s.unique('gate') })).group;
                await w.owner.client.post('groups.setEncrypted', { roomId: group._id, encrypted: true });
            });
            const send = () => w.owner.client.request('POST', '/api/v1/chat.sendMessage', { message: { rid: group._id, msg: 'plain text' } });

            test('a plain message is refused while unencrypted messages are not allowed', async () => {
                const answer = await s.withServerSettings({ E2E_Allow_Unencrypted_Messages: false }, send);
                const error = 'Not allowed to send un-encrypted messages in an encrypted room [error-not-allowed]';
                assert.equal(answer.status, 400);
                // 7.0 lets the route's error pass through API.v1.failure with code and details; 6.x
                // caught it as `API.v1.failure(e.message)` (apps/meteor/app/api/server/v1/chat.ts).
                assert.deepEqual(
                    answer.body,
                    atLeast(version, [7, 0])
                        ? { success: false, error, errorType: 'error-not-allowed', details: { method: 'sendMessage' } }
                        : { success: false, error },
                );
            });

            // canSendMessage.ts (`validateRoomMessagePermissionsAsync`): a muted sender is refused with a
            // plain `Error('You_have_been_muted')`, which the route answers as `failure(e.message)`.
            // `rooms.muteUser` exists from 6.8.
            test('a caller muted in the room is refused: 400 "You_have_been_muted"', async (t) => {
                const mine = await s.world();
                const muted = await mine.owner.client.request('POST', '/api/v1/rooms.muteUser', { roomId: mine.group._id, username: mine.member.username });
                if (muted.status === 404 && !atLeast(version, [6, 8])) {
                    return t.skip('rooms.muteUser is new in Rocket.Chat 6.8');
                }
                assert.equal(muted.status, 200, JSON.stringify(muted.body));
                const answer = await mine.member.client.request('POST', '/api/v1/chat.sendMessage', { message: { rid: mine.group._id, msg: 'plain text' } });
                assert.equal(answer.status, 400);
                assert.deepEqual(answer.body, { success: false, error: 'You_have_been_muted' });
                const owner = await mine.owner.client.request('POST', '/api/v1/chat.sendMessage', { message: { rid: mine.group._id, msg: 'plain text' } });
                assert.equal(owner.status, 200, JSON.stringify(owner.body));
            });

            test('and accepted where they are', async () => {
                const answer = await s.withServerSettings({ E2E_Allow_Unencrypted_Messages: true }, send);
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
            });

            for (const allowed of [false, true]) {
                test(`the app's room notice lands exactly once per change (unencrypted messages ${allowed ? 'allowed' : 'refused'})`, async () => {
                    const mine = await s.world();
                    await s.withServerSettings({ E2E_Allow_Unencrypted_Messages: allowed }, async () => {
                        for (const encrypted of [true, false, true]) {
                            const answer = await s.viaApp(mine.owner, { roomId: mine.group._id, encrypted });
                            assert.equal(answer.status, 200, JSON.stringify(answer.body));
                        }
                    });
                    const by = mine.owner.username;
                    assert.deepEqual(await s.e2eNotices(mine.owner, mine.group._id), [
                        `room_e2e_enabled by ${by}`,
                        `room_e2e_disabled by ${by}`,
                        `room_e2e_enabled by ${by}`,
                    ]);
                });
            }
        });

        describe('commands.run (apps/meteor/app/api/server/v1/commands.ts; apps/meteor/server/api/v1/commands.ts from 8.0)', () => {
            test('in a room the caller cannot access: 403 `API.v1.forbidden()` in the words of this version, before the command runs', async () => {
                const answer = await w.outsider.client.command('encrypt', 'status', w.group._id);
                assert.equal(answer.status, 403);
                assert.deepEqual(answer.body, forbiddenBody(version));
            });

            test('in a public channel the caller has not joined: the command runs', async (t) => {
                const answer = await w.outsider.client.command('encrypt', 'status', w.channel._id);
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                await s.checkLastReply(w.outsider, t, 'the reply says it is not a private group', (reply) => assert.match(reply, /not a private group/));
            });

            test('a thread id that is not a message of the room: 400 "Invalid thread."', async () => {
                const answer = await w.owner.client.request('POST', '/api/v1/commands.run', {
                    command: 'encrypt',
                    params: 'status',
                    roomId: w.group._id,
                    tmid: 'no-such-message',
                });
                assert.equal(answer.status, 400);
                assert.deepEqual(answer.body, { success: false, error: 'Invalid thread.' });
            });

            test('no room id: 400 in the words of this version', async () => {
                const answer = await w.owner.client.request('POST', '/api/v1/commands.run', { command: 'encrypt', params: 'status' });
                assert.equal(answer.status, 400);
                assert.deepEqual(
                    answer.body,
                    atLeast(version, [8, 0])
                        ? { success: false, errorType: 'invalid-params', error: "must have required property 'roomId'" }
                        : { success: false, error: "The room's id where to execute this command must be provided and be a string." },
                );
            });

            test('arguments are split as parseParameters does (apps/meteor/lib/utils/parseParameters.ts): runs of spaces, quotes', async (t) => {
                const answer = await w.owner.client.command('encrypt', `  status    "#${w.group.name}"  `, w.botDm._id);
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                await s.checkLastReply(w.owner, t, 'the quoted group is the one the status names', (reply) =>
                    assert.match(reply, new RegExp(`encryption is off for #${w.group.name}`)),
                );
            });
        });

        describe('commands.preview (apps/meteor/app/api/server/v1/commands.ts; slashCommands.getPreviews in apps/meteor/app/utils/server/slashCommand.ts)', () => {
            const previews = (who: World['owner'], roomId: string) =>
                who.client.request('GET', `/api/v1/commands.preview?${new URLSearchParams({ command: 'encrypt', params: 'on', roomId })}`);

            test('in a room the caller cannot access: 403 `API.v1.forbidden()` in the words of this version', async () => {
                const answer = await previews(w.outsider, w.group._id);
                assert.equal(answer.status, 403);
                assert.deepEqual(answer.body, forbiddenBody(version));
            });

            // `getPreviews` returns nothing for a command whose previewer gives no items, and the route
            // answers `API.v1.success({ preview })`: `preview` undefined, which JSON leaves out.
            test('a command whose previewer gives no items: 200 {success:true}, no preview key', async () => {
                const answer = await w.owner.client.request(
                    'GET',
                    `/api/v1/commands.preview?${new URLSearchParams({ command: 'encrypt', params: 'status', roomId: w.botDm._id })}`,
                );
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                assert.deepEqual(answer.body, { success: true });
            });
        });

        describe("the app's endpoints (apps/meteor/app/apps/server/bridges/api.ts)", () => {
            // The engine answers a method an endpoint class lacks with a 500 in its own words (and
            // logs an RPC error), so the app's endpoints implement every method and refuse the wrong ones.
            for (const [path, method, takes] of [
                ['groups.setEncrypted', 'GET', 'POST'],
                ['groups.setEncrypted', 'DELETE', 'POST'],
                ['groups.getEncrypted', 'POST', 'GET'],
                ['groups.encryptAll', 'PUT', 'GET or POST'],
            ] as const) {
                test(`${method} ${path}: 405 in Rocket.Chat's error shape, naming ${takes}`, async () => {
                    const answer = await w.owner.client.appCall(s.target.appId, path, method, method === 'GET' ? undefined : {});
                    assert.equal(answer.status, 405, JSON.stringify(answer.body));
                    assert.deepEqual(answer.body, {
                        success: false,
                        error: `${path} takes ${takes}, not ${method} [error-method-not-allowed]`,
                        errorType: 'error-method-not-allowed',
                    });
                });
            }

            test('an unknown path: 404 "Not Found"', async () => {
                const answer = await w.owner.client.appCall(s.target.appId, 'groups.nothingHere', 'POST', {});
                assert.equal(answer.status, 404);
                assert.equal(answer.body, 'Not Found');
            });
        });
    });
}
