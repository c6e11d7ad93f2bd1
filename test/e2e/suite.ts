// The end-to-end suite: the packaged app in a real Apps-Engine runtime, driven only through
// Rocket.Chat's REST API. Where it can, it asks the server's own `groups.setEncrypted` the same
// question as the app's mirror and requires the same answer.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { type Person, type Scenario, type World } from './scenario';
import {
    E2E_UNAVAILABLE,
    EDIT_NOT_ALLOWED,
    ENCRYPTED_REQUIRED,
    NOT_FOUND,
    NOT_PROVIDED,
    TOGGLE_NOT_ALLOWED,
    archivedError,
    rcError,
} from '../support/rocketchat';

/** The product's promises, through the real runtime: parity with the core route, both write paths, `/encrypt`, settings. */
export function endToEndSuite(scenario: () => Scenario): void {
    describe('groups.setEncrypted, groups.getEncrypted and /encrypt', () => {
        let s: Scenario;
        let target: Scenario['target'];
        before(() => {
            s = scenario();
            target = s.target;
        });
        const person = (label: string, roles?: Array<string>) => s.person(label, roles);
        const world = () => s.world();
        const viaApp = (who: Person, body: unknown, headers?: Record<string, string>) => s.viaApp(who, body, headers);
        const viaCore = (who: Person, body: unknown) => s.viaCore(who, body);
        const encryptedOf = (w: World) => s.encryptedOf(w.owner, w.group._id);
        const e2eNotices = (w: World) => s.e2eNotices(w.owner, w.group._id);

        describe("groups.setEncrypted's rules: the app answers exactly as Rocket.Chat's own route", () => {
            let w: World;
            before(async () => {
                w = await world();
            });

            const cases: Array<[string, (w: World) => [Person, unknown, unknown]]> = [
                ['encrypted as a string', (w) => [w.owner, { roomId: w.group._id, encrypted: 'true' }, ENCRYPTED_REQUIRED]],
                ['encrypted missing', (w) => [w.owner, { roomId: w.group._id }, ENCRYPTED_REQUIRED]],
                ['encrypted null', (w) => [w.owner, { roomId: w.group._id, encrypted: null }, ENCRYPTED_REQUIRED]],
                ['encrypted 1', (w) => [w.owner, { roomId: w.group._id, encrypted: 1 }, ENCRYPTED_REQUIRED]],
                ['no room named', (w) => [w.owner, { encrypted: true }, NOT_PROVIDED]],
                ['no such room', (w) => [w.owner, { roomId: 'nope-nope-nope', encrypted: true }, NOT_FOUND]],
                ['a public channel', (w) => [w.owner, { roomId: w.channel._id, encrypted: true }, NOT_FOUND]],
                ['a public channel by name', (w) => [w.owner, { roomName: w.channel.name, encrypted: true }, NOT_FOUND]],
                ['a direct message', (w) => [w.owner, { roomId: w.botDm._id, encrypted: true }, NOT_FOUND]],
                ['a group the caller is not in', (w) => [w.outsider, { roomId: w.group._id, encrypted: true }, NOT_FOUND]],
                ['an admin who is not in the group', (w) => [w.adminOutsider, { roomId: w.group._id, encrypted: true }, NOT_FOUND]],
                ['an archived group', (w) => [w.owner, { roomId: w.archived._id, encrypted: true }, archivedError(w.archived.name)]],
                ['a plain member', (w) => [w.member, { roomId: w.group._id, encrypted: true }, EDIT_NOT_ALLOWED]],
                ['a moderator', (w) => [w.moderator, { roomId: w.group._id, encrypted: true }, TOGGLE_NOT_ALLOWED]],
                ['a moderator setting false on a never-set group', (w) => [w.moderator, { roomId: w.group._id, encrypted: false }, TOGGLE_NOT_ALLOWED]],
            ];
            for (const [label, request] of cases) {
                test(`${label} → 400, same body as the core route, nothing changed`, async () => {
                    const [who, body, expected] = request(w);
                    const fromApp = await viaApp(who, body);
                    const fromCore = await viaCore(who, body);
                    assert.equal(fromApp.status, 400);
                    assert.deepEqual(fromApp.body, expected);
                    assert.deepEqual({ status: fromApp.status, body: fromApp.body }, { status: fromCore.status, body: fromCore.body });
                    assert.equal(await encryptedOf(w), undefined);
                    assert.deepEqual(await e2eNotices(w), []);
                });
            }

            test('E2E switched off for the workspace → the same refusal from both', async () => {
                await target.admin.post('settings/E2E_Enable', { value: false });
                try {
                    const fromApp = await viaApp(w.owner, { roomId: w.group._id, encrypted: true });
                    const fromCore = await viaCore(w.owner, { roomId: w.group._id, encrypted: true });
                    assert.deepEqual(fromApp.body, E2E_UNAVAILABLE);
                    assert.deepEqual(fromApp, fromCore);
                } finally {
                    await target.admin.post('settings/E2E_Enable', { value: true });
                }
            });

            test('a federated group → the same refusal from both (stand-in only: federation has no REST set-up)', async (t) => {
                const fed = await world();
                const marked = await target.admin.request('POST', '/standin/rooms.federate', { roomId: fed.group._id });
                if (marked.status !== 200) {
                    return t.skip('the server cannot mark a group federated through REST');
                }
                const fromApp = await viaApp(fed.owner, { roomId: fed.group._id, encrypted: true });
                const fromCore = await viaCore(fed.owner, { roomId: fed.group._id, encrypted: true });
                assert.deepEqual(fromApp.body, E2E_UNAVAILABLE);
                assert.deepEqual(fromApp, fromCore);
            });

            test('not logged in → 401 from the server, before the app runs', async () => {
                const anonymous = await fetch(`${target.url}/api/apps/public/${target.appId}/groups.setEncrypted`, {
                    method: 'POST',
                    headers: { 'content-type': 'application/json' },
                    body: JSON.stringify({ roomId: w.group._id, encrypted: true }),
                });
                assert.equal(anonymous.status, 401);
            });
        });

        describe('switching through the endpoint', () => {
            test('on, again, off: 200 each, one notice per real change, by the caller', async () => {
                const w = await world();
                const on = await viaApp(w.owner, { roomId: w.group._id, encrypted: true });
                assert.equal(on.status, 200);
                assert.equal(on.body.success, true);
                assert.equal(on.body.group._id, w.group._id);
                assert.equal(on.body.group.name, w.group.name);
                assert.equal(on.body.group.t, 'p');
                assert.equal(on.body.group.encrypted, true);
                assert.equal(on.body.group.u.username, w.owner.username);
                assert.equal(await encryptedOf(w), true);

                const again = await viaApp(w.owner, { roomName: w.group.name, encrypted: true });
                assert.equal(again.status, 200);
                const off = await viaApp(w.owner, { roomId: w.group._id, encrypted: false });
                assert.equal(off.status, 200);
                assert.equal(await encryptedOf(w), false);
                assert.deepEqual(await e2eNotices(w), [`room_e2e_enabled by ${w.owner.username}`, `room_e2e_disabled by ${w.owner.username}`]);
            });

            test("the answer's group is the group as Rocket.Chat's groups.info shows it right after", async () => {
                const w = await world();
                for (const encrypted of [true, false]) {
                    const answer = await viaApp(w.owner, { roomId: w.group._id, encrypted });
                    const { group } = await w.owner.client.get('groups.info', { roomId: w.group._id });
                    if (target.modifierWorks) {
                        // Rebuilt from the app's room: the fields of groups.setEncrypted's documented answer, and the room's flags.
                        const fields = [
                            '_id',
                            'fname',
                            'description',
                            'broadcast',
                            'encrypted',
                            'teamMain',
                            'name',
                            't',
                            'msgs',
                            'usersCount',
                            'u',
                            'ts',
                            'ro',
                            'teamId',
                            '_updatedAt',
                            'default',
                            'sysMes',
                            'federated',
                        ];
                        const pick = (room: Record<string, unknown>) =>
                            Object.fromEntries(fields.filter((key) => room[key] !== undefined).map((key) => [key, room[key]]));
                        assert.deepEqual(answer.body.group, pick(group));
                    } else {
                        assert.deepEqual(answer.body.group, group);
                    }
                }
            });

            test('a global admin who is a member may switch it', async () => {
                const w = await world();
                const answer = await viaApp(w.adminMember, { roomId: w.group._id, encrypted: true });
                assert.equal(answer.status, 200);
                assert.deepEqual(await e2eNotices(w), [`room_e2e_enabled by ${w.adminMember.username}`]);
            });

            test('groups.getEncrypted: state, who may toggle, no leak', async () => {
                const w = await world();
                const status = (who: Person, query: string) => who.client.appCall(target.appId, `groups.getEncrypted?${query}`, 'GET');
                assert.deepEqual((await status(w.owner, `roomId=${w.group._id}`)).body, { encrypted: false, canToggle: true, success: true });
                assert.deepEqual((await status(w.member, `roomName=${w.group.name}`)).body, { encrypted: false, canToggle: false, success: true });
                const outsider = await status(w.outsider, `roomId=${w.group._id}`);
                assert.equal(outsider.status, 400);
                assert.deepEqual(outsider.body, NOT_FOUND);
            });
        });

        describe('/encrypt', () => {
            test('in the group itself, with no service account: nothing changes, and the owner is told what an admin must set', async (t) => {
                const w = await world();
                const answer = await s.withAppSettings({ service_account_user_id: '', service_account_token: '' }, () =>
                    w.owner.client.command('encrypt', 'on', w.group._id),
                );
                assert.equal(answer.status, 200);
                assert.equal(await encryptedOf(w), undefined);
                assert.deepEqual(await e2eNotices(w), []);
                if (target.modifierWorks) {
                    // Before 7.4 the app could write, but only Rocket.Chat's table may say who may, and nobody can read it.
                    await s.checkLastReply(w.owner, t, 'the owner is told an admin must set an account able to read the table', (reply) =>
                        assert.match(
                            reply,
                            /^The app cannot read Rocket\.Chat's permission table here, so it changes nothing; .*An admin must set an account able to read it/,
                        ),
                    );
                } else {
                    // 7.4+: the server drops the app's write and a command carries no session.
                    await s.checkLastReply(w.owner, t, 'the owner is told a service account is needed', (reply) => assert.match(reply, /service account/));
                }
            });

            test('with a plain user as service account: enough before 7.4 (it only reads the table); from 7.4 it may not write', async (t) => {
                const w = await world();
                const plain = await person('plain-service');
                await s.withAppSettings({ service_account_user_id: plain.id, service_account_token: plain.client.authToken }, () =>
                    w.owner.client.command('encrypt', 'on', w.group._id),
                );
                if (target.modifierWorks) {
                    assert.equal(await encryptedOf(w), true);
                    assert.deepEqual(await e2eNotices(w), [`room_e2e_enabled by ${w.owner.username}`]);
                    await s.checkLastReply(w.owner, t, 'the owner is told it is on', (reply) =>
                        assert.equal(reply, `End-to-end encryption is now on for #${w.group.name}.`),
                    );
                } else {
                    assert.equal(await encryptedOf(w), undefined);
                    await s.checkLastReply(w.owner, t, 'the owner is told the service account may not', (reply) =>
                        assert.match(reply, /service account may not change encryption/),
                    );
                }
            });

            test('`/encrypt off #group` from the DM with the app, with a service account configured', async (t) => {
                const w = await world();
                await viaApp(w.owner, { roomId: w.group._id, encrypted: true });
                const service = await person('service', ['admin', 'user']);
                await s.withAppSettings({ service_account_user_id: service.id, service_account_token: service.client.authToken }, async () => {
                    const answer = await w.owner.client.command('encrypt', `off #${w.group.name}`, w.botDm._id);
                    assert.equal(answer.status, 200);
                    assert.equal(await encryptedOf(w), false);
                    const by = target.modifierWorks ? w.owner.username : service.username;
                    assert.deepEqual(await e2eNotices(w), [`room_e2e_enabled by ${w.owner.username}`, `room_e2e_disabled by ${by}`]);
                    await s.checkLastReply(w.owner, t, 'the owner is told it is off', (reply) =>
                        assert.equal(reply, `End-to-end encryption is now off for #${w.group.name}.`),
                    );
                });
            });

            test('a member is told why not, and nothing changes', async (t) => {
                const w = await world();
                // Any account that can read the permission table lets the app say why (before 7.4 it is all it needs).
                const plain = await person('plain-reader');
                await s.withAppSettings({ service_account_user_id: plain.id, service_account_token: plain.client.authToken }, () =>
                    w.member.client.command('encrypt', 'on', w.group._id),
                );
                assert.equal(await encryptedOf(w), undefined);
                await s.checkLastReply(w.member, t, 'the member is told why not', (reply) => assert.match(reply, /You may not edit/));
            });
        });

        describe('app settings changed at runtime', () => {
            test('"Allow turning encryption off" unset → off is refused; set again → allowed', async () => {
                const w = await world();
                await viaApp(w.owner, { roomId: w.group._id, encrypted: true });
                await s.withAppSettings({ allow_turning_off: false }, async () => {
                    const refused = await viaApp(w.owner, { roomId: w.group._id, encrypted: false });
                    assert.equal(refused.status, 400);
                    assert.deepEqual(refused.body, rcError('Turning end-to-end encryption off is not allowed in this workspace', 'error-action-not-allowed'));
                    assert.equal(await encryptedOf(w), true);
                });
                const allowed = await viaApp(w.owner, { roomId: w.group._id, encrypted: false });
                assert.equal(allowed.status, 200);
            });

            test("toggle roles widened to moderators in the app only → still refused: the settings narrow Rocket.Chat's table, never widen it", async () => {
                const w = await world();
                await s.withAppSettings({ toggle_roles: 'owner, admin, moderator' }, async () => {
                    const answer = await viaApp(w.moderator, { roomId: w.group._id, encrypted: true });
                    assert.deepEqual(answer.body, TOGGLE_NOT_ALLOWED);
                    assert.equal(await encryptedOf(w), undefined);
                });
            });
        });
    });
}
