// The server rules the app meets besides groups.setEncrypted: the REST rate limiter, the
// permission table and roles, OAuth logins, and the groups and discussions it may be asked about.
// As in fidelity.ts, each expectation is written from Rocket.Chat's source (the file is named beside
// it), not taken from the stand-in. Routes only the stand-in has are skipped on a real server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { before, describe, test } from 'node:test';

import { packageApp } from '../../scripts/package-app.mjs';

import type { Person, Scenario, World } from './scenario';
import { eventually } from '../support/eventually';
import { atLeast, versionOf } from '../support/versions';
import {
    EDIT_USER_NOT_ALLOWED,
    INVALID_PERMISSION,
    INVALID_ROLE,
    NOT_FOUND,
    NOT_PROVIDED,
    PERMISSION_REQUIRED,
    REMOVE_NOT_ALLOWED,
    E2E_UNAVAILABLE,
    TOO_MANY_REQUESTS,
    UNARCHIVE_NOT_AUTHORIZED,
    UPDATED_SINCE_INVALID,
    USER_NOT_IN_ROOM,
    archivedError,
} from '../support/rocketchat';

interface Answer {
    status: number;
    headers: Headers;
    body: any;
}

const isPerson = (who: Person | Record<string, string>): who is Person => typeof who.client === 'object';

/** A REST call as `who` (or with the headers given instead), keeping the answer's headers. */
async function call(url: string, method: string, path: string, who: Person | Record<string, string>, body?: unknown): Promise<Answer> {
    const auth = isPerson(who) ? { 'x-user-id': who.client.userId, 'x-auth-token': who.client.authToken } : who;
    const response = await fetch(`${url}${path}`, {
        method,
        headers: { ...auth, ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
        parsed = JSON.parse(text);
    } catch {
        // a plain-text answer stays text
    }
    return { status: response.status, headers: response.headers, body: parsed };
}

export function serverRulesSuite(scenario: () => Scenario): void {
    describe("Rocket.Chat's server rules around the app", () => {
        let s: Scenario;
        let w: World;
        let nineOrLater: boolean;
        before(async () => {
            s = scenario();
            nineOrLater = atLeast(versionOf(s.target.version), [9, 0]);
            w = await s.world();
        });
        const as = (who: Person | Record<string, string>, method: string, path: string, body?: unknown) => call(s.target.url, method, path, who, body);
        const admin = () => ({ 'x-user-id': s.target.admin.userId, 'x-auth-token': s.target.admin.authToken });
        /** A stand-in-only route answers 404 on a real server (no such route). */
        const absent = (answer: Answer) => answer.status === 404;

        describe('the REST rate limiter (apps/meteor/app/api/server/ApiClass.ts: enforceRateLimit)', () => {
            // Changing the limit rebuilds the limiter (`reloadRoutesToRefreshRateLimiter`), so each
            // test starts from fresh counts; the window is long enough never to end within a test.
            const LIMITED = {
                API_Enable_Rate_Limiter: true,
                API_Enable_Rate_Limiter_Limit_Calls_Default: 3,
                API_Enable_Rate_Limiter_Limit_Time_Default: 60_000,
            };

            test("a non-admin's 4th call to one route within the window: 429, with the X-RateLimit headers", async () => {
                await s.withServerSettings(LIMITED, async () => {
                    for (const remaining of ['2', '1', '0']) {
                        const answer = await as(w.member, 'GET', '/api/v1/me');
                        assert.equal(answer.status, 200, JSON.stringify(answer.body));
                        assert.equal(answer.headers.get('x-ratelimit-limit'), '3');
                        assert.equal(answer.headers.get('x-ratelimit-remaining'), remaining);
                    }
                    const asked = Date.now();
                    const refused = await as(w.member, 'GET', '/api/v1/me');
                    assert.equal(refused.status, 429);
                    assert.deepEqual(Object.keys(refused.body).sort(), ['error', 'success']);
                    assert.equal(refused.body.success, false);
                    const wait = Number(TOO_MANY_REQUESTS.exec(refused.body.error)?.[1]);
                    assert.ok(wait >= 1 && wait <= 60, refused.body.error);
                    assert.equal(refused.headers.get('x-ratelimit-limit'), '3');
                    assert.equal(refused.headers.get('x-ratelimit-remaining'), '0');
                    const reset = Number(refused.headers.get('x-ratelimit-reset'));
                    assert.ok(reset > asked && reset <= Date.now() + 60_000, `X-RateLimit-Reset ${reset}`);
                });
            });

            test('an admin (api-bypass-rate-limit) is neither counted nor refused', async () => {
                await s.withServerSettings(LIMITED, async () => {
                    for (let i = 0; i < 5; i++) {
                        const answer = await as(w.adminMember, 'GET', '/api/v1/me');
                        assert.equal(answer.status, 200, JSON.stringify(answer.body));
                        assert.equal(answer.headers.get('x-ratelimit-limit'), null);
                    }
                });
            });

            test('another route, or another method, has its own count', async () => {
                await s.withServerSettings(LIMITED, async () => {
                    for (let i = 0; i < 4; i++) {
                        await as(w.member, 'GET', '/api/v1/me');
                    }
                    assert.equal((await as(w.member, 'GET', '/api/v1/me')).status, 429);
                    const info = await as(w.member, 'GET', `/api/v1/groups.info?roomId=${w.group._id}`);
                    assert.equal(info.status, 200, JSON.stringify(info.body));
                    assert.equal(info.headers.get('x-ratelimit-remaining'), '2');
                });
            });

            // The apps API is an `ApiClass` with `version: 'apps'` (apps/meteor/ee/server/apps/communication/rest.ts),
            // and `shouldAddRateLimitToRoute` asks only for a version: its routes are counted like
            // /api/v1's — with the numbers of start-up, which the settings watchers never reload there
            // (they call `API.v1.reloadRoutesToRefreshRateLimiter()` only). Its window may already be
            // under way, so a refusal may come up to one window's worth of calls later; calls made while
            // the limiter is off are not counted, so none comes early.
            test('GET /api/apps/actionButtons is counted (the apps API is versioned); it needs no login, so an admin is counted too', async () => {
                const limit = Number((await s.target.admin.get('settings/API_Enable_Rate_Limiter_Limit_Calls_Default')).value);
                assert.ok(limit > 0, `API_Enable_Rate_Limiter_Limit_Calls_Default ${limit}`);
                await s.withServerSettings({ API_Enable_Rate_Limiter: true }, async () => {
                    const statuses: Array<number> = [];
                    let refused: Answer | undefined;
                    while (!refused && statuses.length < 2 * limit + 1) {
                        const answer = await as(admin(), 'GET', '/api/apps/actionButtons');
                        statuses.push(answer.status);
                        if (statuses.length === 1) {
                            assert.equal(answer.headers.get('x-ratelimit-limit'), String(limit));
                        }
                        refused = answer.status === 429 ? answer : undefined;
                    }
                    assert.deepEqual(statuses.slice(0, limit), Array(limit).fill(200));
                    assert.ok(refused, `no 429 in ${statuses.length} calls: ${statuses.join(' ')}`);
                    assert.deepEqual(Object.keys(refused.body).sort(), ['error', 'success']);
                    assert.match(refused.body.error, TOO_MANY_REQUESTS);
                });
            });

            // ui.interaction has its own limiter (apps/meteor/ee/server/apps/communication/uikit.ts):
            // express-rate-limit, built at start-up with 60 × the calls setting per window, counting
            // per IP before the login is checked, and answering the library's plain-text 429.
            test('POST /api/apps/ui.interaction: 60 × the calls setting per window, counted before the login, then a plain-text 429', async () => {
                const max = 60 * Number((await s.target.admin.get('settings/API_Enable_Rate_Limiter_Limit_Calls_Default')).value);
                const anonymous = () =>
                    fetch(`${s.target.url}/api/apps/ui.interaction/${s.target.appId}`, {
                        method: 'POST',
                        headers: { 'content-type': 'application/json' },
                        body: JSON.stringify({ type: 'viewClosed', payload: { view: {}, isCleared: false } }),
                    });
                await s.withServerSettings({ API_Enable_Rate_Limiter: true }, async () => {
                    const statuses: Array<number> = [];
                    let refused: Response | undefined;
                    while (!refused && statuses.length < 2 * max + 1) {
                        const answer = await anonymous();
                        statuses.push(answer.status);
                        if (statuses.length === 1) {
                            assert.equal(answer.headers.get('x-ratelimit-limit'), String(max));
                        }
                        if (answer.status === 429) {
                            refused = answer;
                        } else {
                            await answer.arrayBuffer();
                        }
                    }
                    assert.ok(
                        statuses.slice(0, max).every((status) => status === 401),
                        `before the limit: ${[...new Set(statuses.slice(0, max))].join(', ')}`,
                    );
                    assert.ok(refused, `no 429 in ${statuses.length} calls`);
                    assert.equal(await refused.text(), 'Too many requests, please try again later.');
                    assert.equal(refused.headers.get('x-ratelimit-remaining'), '0');
                });
            });

            test('switching the limiter off lifts it at once', async () => {
                await s.withServerSettings(LIMITED, async () => {
                    for (let i = 0; i < 4; i++) {
                        await as(w.member, 'GET', '/api/v1/me');
                    }
                    assert.equal((await as(w.member, 'GET', '/api/v1/me')).status, 429);
                    await s.target.admin.post('settings/API_Enable_Rate_Limiter', { value: false });
                    const answer = await as(w.member, 'GET', '/api/v1/me');
                    assert.equal(answer.status, 200, JSON.stringify(answer.body));
                    assert.equal(answer.headers.get('x-ratelimit-limit'), null);
                });
            });
        });

        describe('permissions and roles (apps/meteor/app/api/server/v1/permissions.ts, roles.ts)', () => {
            // Changed and put back by these tests; none of the app's own rules reads it.
            const SPARE = 'view-room-administration';

            test('permissions.listAll: every permission as {_id, _updatedAt, roles} for any user, remove empty', async () => {
                const answer = await as(w.member, 'GET', '/api/v1/permissions.listAll');
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                assert.equal(answer.body.success, true);
                assert.deepEqual(answer.body.remove, []);
                assert.ok(Array.isArray(answer.body.update) && answer.body.update.length > 0);
                for (const permission of answer.body.update) {
                    assert.equal(typeof permission._id, 'string');
                    assert.ok(Array.isArray(permission.roles), permission._id);
                    assert.ok(!Number.isNaN(Date.parse(permission._updatedAt)), `${permission._id}: _updatedAt ${permission._updatedAt}`);
                }
                const ids = answer.body.update.map((permission: any) => permission._id);
                for (const id of ['edit-room', 'toggle-room-e2e-encryption', 'api-bypass-rate-limit', SPARE]) {
                    assert.ok(ids.includes(id), `${id} is not listed`);
                }
            });

            // apps/meteor/app/authorization/server/constant/permissions.ts: `{ _id: 'add-user-to-any-p-room', roles: [] }`.
            test('add-user-to-any-p-room belongs to no role by default, not even admin', async () => {
                const answer = await as(w.member, 'GET', '/api/v1/permissions.listAll');
                const permission = answer.body.update.find((listed: any) => listed._id === 'add-user-to-any-p-room');
                assert.ok(permission, 'add-user-to-any-p-room is not listed');
                assert.deepEqual(permission.roles, []);
            });

            test('permissions.listAll?updatedSince=<not a date>: 400', async () => {
                const answer = await as(w.member, 'GET', '/api/v1/permissions.listAll?updatedSince=not-a-date');
                assert.equal(answer.status, 400);
                assert.deepEqual(answer.body, UPDATED_SINCE_INVALID);
            });

            test('permissions.update: the roles set, then only that permission is newer than just before it', async () => {
                const current = (await s.target.admin.get('permissions.listAll')).update.find((permission: any) => permission._id === SPARE);
                const roles = current.roles.includes('leader') ? current.roles.filter((role: string) => role !== 'leader') : [...current.roles, 'leader'];
                await s.withPermissions({ [SPARE]: roles }, async (answer) => {
                    assert.equal(answer.status, 200, JSON.stringify(answer.body));
                    assert.equal(answer.body.success, true);
                    const updated = answer.body.permissions.find((permission: any) => permission._id === SPARE);
                    assert.deepEqual(updated.roles, roles);
                    // The server's own clock: a millisecond before the update it reports.
                    const since = new Date(Date.parse(updated._updatedAt) - 1).toISOString();
                    const listed = await as(w.member, 'GET', `/api/v1/permissions.listAll?updatedSince=${encodeURIComponent(since)}`);
                    assert.equal(listed.status, 200, JSON.stringify(listed.body));
                    assert.deepEqual(
                        listed.body.update.map((permission: any) => [permission._id, permission.roles]),
                        [[SPARE, roles]],
                    );
                    assert.deepEqual(listed.body.remove, []);
                });
            });

            test('permissions.update without access-permissions: 403', async () => {
                const answer = await as(w.owner, 'POST', '/api/v1/permissions.update', { permissions: [{ _id: SPARE, roles: ['admin'] }] });
                assert.equal(answer.status, 403);
                // From 9.0 the breaking-change flag answers `error-forbidden` (ApiClass.ts).
                assert.deepEqual(
                    answer.body,
                    nineOrLater
                        ? { success: false, error: 'User does not have the permissions required for this action [error-forbidden]' }
                        : PERMISSION_REQUIRED,
                );
            });

            test('permissions.update with an unknown permission, or an unknown role: 400, nothing changed', async () => {
                const previous = (await s.target.admin.get('permissions.listAll')).update.find((permission: any) => permission._id === SPARE);
                const unknownPermission = await as(admin(), 'POST', '/api/v1/permissions.update', {
                    permissions: [
                        { _id: SPARE, roles: ['admin'] },
                        { _id: s.unique('no-such-permission'), roles: ['admin'] },
                    ],
                });
                assert.equal(unknownPermission.status, 400);
                assert.deepEqual(unknownPermission.body, INVALID_PERMISSION);
                const unknownRole = await as(admin(), 'POST', '/api/v1/permissions.update', {
                    permissions: [{ _id: SPARE, roles: ['admin', s.unique('no-such-role')] }],
                });
                assert.equal(unknownRole.status, 400);
                assert.deepEqual(unknownRole.body, INVALID_ROLE);
                const now = (await s.target.admin.get('permissions.listAll')).update.find((permission: any) => permission._id === SPARE);
                assert.deepEqual(now, previous);
            });

            test('permissions.update with a body of another shape: 400', async () => {
                const answer = await as(admin(), 'POST', '/api/v1/permissions.update', { permissions: [{ _id: SPARE }] });
                assert.equal(answer.status, 400);
                assert.equal(answer.body.success, false);
                // The action's own check says `error-invalid-body-params`; where the route declares its
                // body schema to the router (newer releases), the router refuses first with `invalid-params`.
                assert.ok(['error-invalid-body-params', 'invalid-params'].includes(answer.body.errorType), JSON.stringify(answer.body));
            });

            test('roles.list: the built-in roles, named by their own id, protected, room roles scoped to subscriptions', async () => {
                const answer = await as(w.member, 'GET', '/api/v1/roles.list');
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                const byId = new Map(answer.body.roles.map((role: any) => [role._id, role]));
                for (const [id, scope] of [
                    ['admin', 'Users'],
                    ['user', 'Users'],
                    ['owner', 'Subscriptions'],
                    ['moderator', 'Subscriptions'],
                    ['leader', 'Subscriptions'],
                ]) {
                    const role: any = byId.get(id);
                    assert.ok(role, `no role ${id}`);
                    assert.equal(role.name, id);
                    assert.equal(role.scope, scope, id);
                    assert.equal(role.protected, true, id);
                }
            });

            test('a custom role has a random id, is not protected, and permissions name it by that id (stand-in: /standin/roles.create)', async (t) => {
                const name = s.unique('custom-role');
                const created = await as(admin(), 'POST', '/standin/roles.create', { name, scope: 'Users' });
                if (absent(created)) {
                    return t.skip('custom roles are an Enterprise feature; the stand-in makes them on its own route');
                }
                assert.equal(created.status, 200, JSON.stringify(created.body));
                const role = (await as(w.member, 'GET', '/api/v1/roles.list')).body.roles.find((candidate: any) => candidate.name === name);
                assert.ok(role && role._id !== name && role.protected === false && role.scope === 'Users', JSON.stringify(role));
                const current = (await s.target.admin.get('permissions.listAll')).update.find((permission: any) => permission._id === SPARE);
                await s.withPermissions({ [SPARE]: [...current.roles, role._id] }, async (answer) => {
                    assert.equal(answer.status, 200, JSON.stringify(answer.body));
                });
                const byName = await as(admin(), 'POST', '/api/v1/permissions.update', { permissions: [{ _id: SPARE, roles: [name] }] });
                assert.deepEqual(byName.body, INVALID_ROLE);
            });
        });

        describe('OAuth access tokens (apps/meteor/app/api/server/middlewares/authentication.ts)', () => {
            test('Authorization: Bearer <token> logs the holder in on a core route and on an app endpoint (stand-in: /standin/oauth.token)', async (t) => {
                const issued = await as(w.member, 'POST', '/standin/oauth.token');
                if (absent(issued)) {
                    return t.skip('the stand-in issues OAuth tokens on its own route; a real server needs an OAuth app');
                }
                assert.equal(issued.status, 200, JSON.stringify(issued.body));
                assert.equal(issued.body.token_type, 'Bearer');
                const bearer = { authorization: `Bearer ${issued.body.access_token}` };
                const me = await as(bearer, 'GET', '/api/v1/me');
                assert.equal(me.status, 200, JSON.stringify(me.body));
                assert.equal(me.body._id, w.member.id);
                const endpoint = await as(bearer, 'GET', `/api/apps/public/${s.target.appId}/groups.getEncrypted?roomId=${w.group._id}`);
                assert.notEqual(endpoint.status, 401, JSON.stringify(endpoint.body));
                assert.equal((await as({ authorization: 'Bearer not-a-token' }, 'GET', '/api/v1/me')).status, 401);
            });
        });

        describe('groups.kick, groups.unarchive (apps/meteor/app/api/server/v1/groups.ts)', () => {
            let mine: World;
            before(async () => {
                mine = await s.world();
            });

            test('without remove-user in the room: 400 "Not allowed", the member stays', async () => {
                const answer = await as(mine.member, 'POST', '/api/v1/groups.kick', { roomId: mine.group._id, userId: mine.adminMember.id });
                assert.equal(answer.status, 400);
                assert.deepEqual(answer.body, REMOVE_NOT_ALLOWED);
                assert.equal((await as(mine.adminMember, 'GET', `/api/v1/groups.info?roomId=${mine.group._id}`)).status, 200);
            });

            test('the owner removes a member, who no longer finds the group; again: "User is not in this room"', async () => {
                const answer = await as(mine.owner, 'POST', '/api/v1/groups.kick', { roomId: mine.group._id, userId: mine.member.id });
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                assert.equal(answer.body.success, true);
                const info = await as(mine.member, 'GET', `/api/v1/groups.info?roomId=${mine.group._id}`);
                assert.deepEqual({ status: info.status, body: info.body }, { status: 400, body: NOT_FOUND });
                const again = await as(mine.owner, 'POST', '/api/v1/groups.kick', { roomId: mine.group._id, userId: mine.member.id });
                assert.equal(again.status, 400);
                assert.deepEqual(again.body, USER_NOT_IN_ROOM);
            });

            test('unarchive without unarchive-room: 400 "Not authorized" (the archived group is found, not refused as archived)', async () => {
                const answer = await as(mine.owner, 'POST', '/api/v1/groups.unarchive', { roomId: mine.archived._id });
                assert.equal(answer.status, 400);
                assert.deepEqual(answer.body, UNARCHIVE_NOT_AUTHORIZED);
            });

            test('an admin who is a member unarchives: archived false', async () => {
                const { group } = await mine.owner.client.post('groups.create', { name: s.unique('unarchive'), members: [mine.adminMember.username] });
                await mine.owner.client.post('groups.archive', { roomId: group._id });
                const answer = await as(mine.adminMember, 'POST', '/api/v1/groups.unarchive', { roomId: group._id });
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                assert.equal(answer.body.success, true);
                assert.equal((await mine.owner.client.get('groups.info', { roomId: group._id })).group.archived, false);
            });
        });

        describe('users.setPreferences (apps/meteor/app/api/server/v1/users.ts)', () => {
            test("the caller's own language: saved and answered", async () => {
                const me = await s.person('prefs');
                const answer = await as(me, 'POST', '/api/v1/users.setPreferences', { data: { language: 'de' } });
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                assert.equal(answer.body.user._id, me.id);
                assert.equal(answer.body.user.settings.preferences.language, 'de');
                assert.equal((await me.client.get('me')).settings.preferences.language, 'de');
            });

            test('an unknown preference: 400 invalid-params', async () => {
                const answer = await as(w.outsider, 'POST', '/api/v1/users.setPreferences', { data: { noSuchPreference: true } });
                assert.equal(answer.status, 400);
                assert.equal(answer.body.success, false);
                assert.equal(answer.body.errorType, 'invalid-params');
            });

            test("another user's, without edit-other-user-info: 400", async () => {
                const answer = await as(w.outsider, 'POST', '/api/v1/users.setPreferences', { userId: w.member.id, data: { language: 'de' } });
                assert.equal(answer.status, 400);
                assert.deepEqual(answer.body, EDIT_USER_NOT_ALLOWED);
            });
        });

        describe('the private-group lookup of the core route (findPrivateGroupByIdOrName, 8.x)', () => {
            const cases: Array<[string, (w: World) => unknown, unknown]> = [
                ['roomId ""', () => ({ roomId: '' }), NOT_FOUND],
                ['roomId null', () => ({ roomId: null }), NOT_FOUND],
                ['roomName ""', () => ({ roomName: '' }), NOT_FOUND],
                ['roomId 123', () => ({ roomId: 123 }), NOT_FOUND],
                ['roomId "" beside a good roomName (roomId is the key looked up)', (w) => ({ roomId: '', roomName: w.group.name }), NOT_FOUND],
                ['neither key', () => ({}), NOT_PROVIDED],
                ['both keys, both empty', () => ({ roomId: '', roomName: '' }), NOT_PROVIDED],
            ];
            for (const [label, params, expected] of cases) {
                test(`${label} → ${expected === NOT_FOUND ? 'not found' : 'not provided'}`, async () => {
                    const answer = await as(w.owner, 'POST', '/api/v1/groups.setEncrypted', { ...(params(w) as object), encrypted: true });
                    assert.equal(answer.status, 400);
                    assert.deepEqual(answer.body, expected);
                });
            }
        });

        describe('rooms.adminRooms (apps/meteor/app/api/server/v1/rooms.ts, findAdminRooms in lib/rooms.ts, Rooms.findByNameOrFnameContainingAndTypes)', () => {
            // Rooms of every kind under one unique prefix; every query filters by it, so a real
            // server's other rooms never count.
            let prefix: string;
            let groups: Array<string>;
            let channel: string;
            let team: string;
            const title = () => `${prefix}-discussion`;
            before(async () => {
                prefix = s.unique('admin-rooms');
                groups = [`${prefix}-g1`, `${prefix}-g2`, `${prefix}-g3`];
                const created = [];
                for (const name of groups) {
                    created.push((await w.owner.client.post('groups.create', { name, members: [w.member.username] })).group);
                }
                channel = `${prefix}-c1`;
                await w.owner.client.post('channels.create', { name: channel });
                team = `${prefix}-t1`;
                await w.owner.client.post('teams.create', { name: team, type: 1 });
                await w.owner.client.post('rooms.createDiscussion', { prid: created[0]._id, t_name: title() });
                // Encrypted, so the projection test sees a room that has the flag.
                await w.owner.client.post('groups.setEncrypted', { roomId: created[1]._id, encrypted: true });
            });
            const list = (who: Person | Record<string, string>, query: string) => as(who, 'GET', `/api/v1/rooms.adminRooms?${query}`);
            const shown = (room: any) => (room.prid ? room.fname : room.name);
            const namesOf = (answer: Answer) => answer.body.rooms.map(shown).sort();

            test('types[]=p: the private groups, without discussions and teams main rooms; {rooms, count, offset, total, success}', async () => {
                const answer = await list(w.adminOutsider, `types[]=p&filter=${prefix}`);
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                assert.deepEqual(Object.keys(answer.body).sort(), ['count', 'offset', 'rooms', 'success', 'total']);
                assert.deepEqual(namesOf(answer), groups);
                assert.deepEqual([answer.body.count, answer.body.offset, answer.body.total], [3, 0, 3]);
            });

            test('naming discussions and teams adds every discussion and team main room', async () => {
                const answer = await list(w.adminOutsider, `types[]=p&types[]=discussions&types[]=teams&filter=${prefix}`);
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                assert.deepEqual(namesOf(answer), [...groups, title(), team].sort());
                assert.equal(answer.body.total, 5);
            });

            test('no types: every room type, still without discussions and team main rooms', async () => {
                const answer = await list(w.adminOutsider, `filter=${prefix}`);
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                assert.deepEqual(namesOf(answer), [channel, ...groups].sort());
            });

            test('filter: contained, case-insensitive, taken literally (no regular expression)', async () => {
                const upper = await list(w.adminOutsider, `types[]=p&filter=${encodeURIComponent(prefix.toUpperCase().slice(2))}`);
                assert.deepEqual(namesOf(upper), groups);
                const pattern = await list(w.adminOutsider, `types[]=p&filter=${encodeURIComponent(`${prefix}-g.`)}`);
                assert.equal(pattern.status, 200, JSON.stringify(pattern.body));
                assert.deepEqual([pattern.body.total, pattern.body.rooms], [0, []]);
            });

            test('paging: count and offset cut the page, total counts all; count=0 is no limit; sort is JSON', async () => {
                const sort = encodeURIComponent(JSON.stringify({ name: -1 }));
                const first = await list(w.adminOutsider, `types[]=p&filter=${prefix}&count=2&sort=${sort}`);
                assert.equal(first.status, 200, JSON.stringify(first.body));
                assert.deepEqual(
                    first.body.rooms.map((room: any) => room.name),
                    [groups[2], groups[1]],
                );
                assert.deepEqual([first.body.count, first.body.offset, first.body.total], [2, 0, 3]);
                const second = await list(w.adminOutsider, `types[]=p&filter=${prefix}&count=2&offset=2&sort=${sort}`);
                assert.deepEqual(
                    second.body.rooms.map((room: any) => room.name),
                    [groups[0]],
                );
                assert.deepEqual([second.body.count, second.body.offset, second.body.total], [1, 2, 3]);
                const all = await list(w.adminOutsider, `types[]=p&filter=${prefix}&count=0`);
                assert.equal(all.body.count, 3);
                const bad = await list(w.adminOutsider, `types[]=p&sort=${encodeURIComponent('{"name":2}')}`);
                assert.equal(bad.status, 400);
                assert.equal(bad.body.errorType, 'error-invalid-sort');
            });

            test('the admin fields only: neither encrypted nor last activity, even for an encrypted group', async () => {
                const answer = await list(w.adminOutsider, `types[]=p&filter=${prefix}`);
                for (const room of answer.body.rooms) {
                    for (const field of ['encrypted', 'lm', 'lastMessage', '_updatedAt', 'e2eKeyId']) {
                        assert.ok(!(field in room), `${room.name} shows ${field}`);
                    }
                    assert.equal(room.t, 'p');
                    assert.equal(typeof room._id, 'string');
                    assert.equal(room.usersCount, 2);
                }
            });

            test('a plain user (no view-room-administration): 400 "error-not-authorized", a plain Error', async () => {
                const answer = await list(w.owner, `types[]=p&filter=${prefix}`);
                assert.equal(answer.status, 400);
                assert.deepEqual(answer.body, { success: false, error: 'error-not-authorized' });
            });
        });

        describe("the stand-in's groups.seed (POST /api/v1/standin/groups.seed)", () => {
            test('count groups with owner and members, flags every n-th, listed by rooms.adminRooms; admins only', async (t) => {
                const prefix = s.unique('seed');
                const seeded = await as(admin(), 'POST', '/api/v1/standin/groups.seed', {
                    count: 20,
                    prefix,
                    ownerId: w.owner.id,
                    members: [w.member.id],
                    every: { encrypted: 2, archived: 5, federated: 10, discussion: 4, teamMain: 7 },
                });
                if (absent(seeded)) {
                    return t.skip('only the stand-in seeds storage');
                }
                assert.equal(seeded.status, 200, JSON.stringify(seeded.body));
                assert.equal(seeded.body.rooms.length, 20);
                const all = await as(admin(), 'GET', `/api/v1/rooms.adminRooms?types[]=p&types[]=discussions&types[]=teams&filter=${prefix}&count=0`);
                assert.equal(all.body.total, 20);
                const byTitle = new Map(all.body.rooms.map((room: any) => [room.prid ? room.fname : room.name, room]));
                const room = (n: number): any => byTitle.get(`${prefix}-${n}`);
                assert.equal(room(5).archived, true);
                assert.equal(room(10).federated, true);
                assert.equal(room(4).prid, room(1)._id);
                assert.equal(room(7).teamMain, true);
                assert.equal(room(3).usersCount, 2);
                const plain = await as(admin(), 'GET', `/api/v1/rooms.adminRooms?types[]=p&filter=${prefix}&count=0`);
                assert.equal(plain.body.total, 20 - 5 - 2);
                // The owner's subscription: the owner finds the group and holds the owner role there.
                assert.equal((await as(w.owner, 'GET', `/api/v1/groups.info?roomId=${room(2)._id}`)).body.group.encrypted, true);
                const refused = await as(w.owner, 'POST', '/api/v1/standin/groups.seed', { count: 1, prefix: s.unique('nope') });
                assert.equal(refused.status, 403);
            });
        });

        describe('rooms.saveRoomSettings {encrypted} (apps/meteor/app/channel-settings/server/methods/saveRoomSettings.ts)', () => {
            test('an archived group is switched like any other: saveRoomSettings checks no archived flag', async () => {
                const { group } = await w.owner.client.post('groups.create', { name: s.unique('archived-settings'), members: [w.member.username] });
                await w.owner.client.post('groups.archive', { roomId: group._id });
                const answer = await as(w.owner, 'POST', '/api/v1/rooms.saveRoomSettings', { rid: group._id, encrypted: true });
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                assert.deepEqual(answer.body, { rid: group._id, success: true });
                assert.equal((await w.owner.client.get('groups.info', { roomId: group._id })).group.encrypted, true);
                assert.deepEqual(await s.e2eNotices(w.owner, group._id), [`room_e2e_enabled by ${w.owner.username}`]);
            });

            test("a federated group: the room type's allowRoomSettingChange(E2E) refuses (stand-in: /standin/rooms.federate)", async (t) => {
                const { group } = await w.owner.client.post('groups.create', { name: s.unique('federated-settings') });
                const federated = await as(admin(), 'POST', '/standin/rooms.federate', { roomId: group._id });
                if (absent(federated)) {
                    return t.skip('federation cannot be set up through REST');
                }
                const answer = await as(w.owner, 'POST', '/api/v1/rooms.saveRoomSettings', { rid: group._id, encrypted: true });
                assert.equal(answer.status, 400);
                assert.deepEqual(answer.body, E2E_UNAVAILABLE);
            });
        });

        describe('POST /api/apps/:id/status (apps/meteor/ee/server/apps/communication/rest.ts, AppManager.changeStatus)', () => {
            const statusOf = (who: Person | Record<string, string>, id: string, body: unknown) => as(who, 'POST', `/api/apps/${id}/status`, body);
            const endpoint = () => as(w.owner, 'GET', `/api/apps/public/${s.target.appId}/groups.getEncrypted?roomId=${w.group._id}`);

            // Enabling runs the app's start-up again (`initialize` → `extendConfiguration`). From Apps-Engine
            // 1.62 at least, `disable` keeps the app's slash commands (`purgeAppConfig(app, {keepSlashcommands: true})`)
            // while `addCommand` still refuses a command already provided (`isAlreadyDefined`), so the
            // app's `provideSlashCommand` throws "already exists" and what `extendConfiguration` would
            // register after it (this app's endpoints) is not registered: they stay 404 until the app is
            // updated. Found on the stand-in's 1.62 (Rocket.Chat 7.4+); 1.42 and 1.46 purge commands and
            // come back whole. The test puts the app back by updating it when needed.
            test('disabled: the app endpoints are gone (404 "Not Found"); disabling again is refused; enabled again', async (t) => {
                let back = false;
                try {
                    const disabled = await statusOf(admin(), s.target.appId, { status: 'manually_disabled' });
                    assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
                    assert.equal(disabled.body.success, true);
                    // 6.11–7.x servers that did not await the Deno engine's getStatus() answer `status: {}`.
                    if (typeof disabled.body.status === 'string') {
                        assert.equal(disabled.body.status, 'manually_disabled');
                    }
                    const gone = await endpoint();
                    assert.deepEqual({ status: gone.status, body: gone.body }, { status: 404, body: 'Not Found' });
                    const again = await statusOf(admin(), s.target.appId, { status: 'manually_disabled' });
                    assert.deepEqual(
                        { status: again.status, body: again.body },
                        { status: 400, body: { success: false, error: 'Can not disable an App which is not enabled.' } },
                    );
                } finally {
                    const enabled = await statusOf(admin(), s.target.appId, { status: 'manually_enabled' });
                    assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
                    if (typeof enabled.body.status === 'string') {
                        assert.equal(enabled.body.status, 'manually_enabled');
                    }
                    back = await eventually(async () => (await endpoint()).status !== 404, 5000);
                    if (!back) {
                        const zip = packageApp({ quiet: true, ifStale: true });
                        await s.target.admin.installApp(readFileSync(zip), basename(zip));
                        assert.ok(
                            await eventually(async () => (await endpoint()).status !== 404, 10_000),
                            'the endpoint does not answer after updating the app',
                        );
                    }
                }
                if (atLeast(versionOf(s.target.version), [7, 4])) {
                    t.diagnostic(
                        back
                            ? 'the endpoints came back on enabling'
                            : 'the endpoints stayed 404 after enabling (the kept slash command); updating the app restored them',
                    );
                } else {
                    assert.ok(back, 'the endpoint does not answer after enabling');
                }
            });

            test('refusals: no status, an unknown app, a caller without manage-apps', async () => {
                const missing = await statusOf(admin(), s.target.appId, {});
                assert.deepEqual(
                    { status: missing.status, body: missing.body },
                    { status: 400, body: { success: false, error: 'Invalid status provided, it must be "status" field and a string.' } },
                );
                const unknown = await statusOf(admin(), 'no-such-app', { status: 'manually_disabled' });
                assert.deepEqual(
                    { status: unknown.status, body: unknown.body },
                    { status: 404, body: { success: false, error: 'No App found by the id of: no-such-app' } },
                );
                const member = await statusOf(w.member, s.target.appId, { status: 'manually_disabled' });
                assert.equal(member.status, 403);
                assert.deepEqual(
                    member.body,
                    nineOrLater
                        ? { success: false, error: 'User does not have the permissions required for this action [error-forbidden]' }
                        : PERMISSION_REQUIRED,
                );
            });
        });

        describe('discussions (apps/meteor/app/discussion/server/methods/createDiscussion.ts)', () => {
            let mine: World;
            let discussion: any;
            const title = 'Release plan';
            before(async () => {
                mine = await s.world();
            });

            test('rooms.createDiscussion: a room of the parent type, with prid, the title as fname and a name of its own', async () => {
                const answer = await as(mine.owner, 'POST', '/api/v1/rooms.createDiscussion', {
                    prid: mine.group._id,
                    t_name: title,
                    users: [mine.member.username],
                });
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                discussion = answer.body.discussion;
                assert.equal(discussion.prid, mine.group._id);
                assert.equal(discussion.fname, title);
                assert.equal(discussion.t, 'p');
                assert.notEqual(discussion.name, title);
                assert.equal((await as(mine.member, 'GET', `/api/v1/groups.info?roomId=${discussion._id}`)).status, 200);
            });

            test('a member of the parent who is not in the discussion may read it; an outsider may not', async (t) => {
                if (!discussion) {
                    return t.skip('no discussion was created');
                }
                const moderator = await as(mine.moderator, 'GET', `/api/v1/groups.info?roomId=${discussion._id}`);
                assert.equal(moderator.status, 200, JSON.stringify(moderator.body));
                assert.equal(moderator.body.group._id, discussion._id);
                const outsider = await as(mine.outsider, 'GET', `/api/v1/groups.info?roomId=${discussion._id}`);
                assert.deepEqual({ status: outsider.status, body: outsider.body }, { status: 400, body: NOT_FOUND });
            });

            test('an archived discussion is named by its title in the refusal', async (t) => {
                if (!discussion) {
                    return t.skip('no discussion was created');
                }
                await mine.owner.client.post('groups.archive', { roomId: discussion._id });
                const answer = await as(mine.owner, 'POST', '/api/v1/groups.setEncrypted', { roomId: discussion._id, encrypted: true });
                assert.equal(answer.status, 400);
                assert.deepEqual(answer.body, archivedError(title));
            });

            test('an outsider of the parent cannot start one', async () => {
                const answer = await as(mine.outsider, 'POST', '/api/v1/rooms.createDiscussion', { prid: mine.group._id, t_name: 'nope' });
                assert.equal(answer.status, 400);
                assert.equal(answer.body.success, false);
            });
        });
    });
}
