// Who may do what: every caller × room kind × E2E setting × value, with the expected answer derived
// in one table (`expected`) from Rocket.Chat's rules for groups.setEncrypted (the README's table of
// refusals). The app and Rocket.Chat's own route are each held to it, on rooms of their own, so no
// cell gives anyone more than Rocket.Chat would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type Person, type Room, type Scenario } from '../scenario';
import { E2E_UNAVAILABLE, EDIT_NOT_ALLOWED, NOT_FOUND, TOGGLE_NOT_ALLOWED, archivedError } from '../../support/rocketchat';

const CALLERS = ['admin member', 'admin non-member', 'owner', 'moderator', 'leader', 'member', 'non-member', 'anonymous'] as const;
const ROOMS = ['group', 'channel', 'DM', 'archived group', 'team main group'] as const;
type Caller = (typeof CALLERS)[number];
type RoomKind = (typeof ROOMS)[number];

const MEMBERS: ReadonlyArray<Caller> = ['admin member', 'owner', 'moderator', 'leader', 'member'];

/** Who holds `edit-room` and `toggle-room-e2e-encryption` among the callers who are members. */
interface Table {
    editRoom: ReadonlyArray<Caller>;
    toggle: ReadonlyArray<Caller>;
}

/** Rocket.Chat's default table (apps/meteor/app/authorization/server/constant/permissions.ts). */
const DEFAULT_TABLE: Table = { editRoom: ['admin member', 'owner', 'moderator'], toggle: ['admin member', 'owner'] };

/**
 * A workspace that took toggling from owners and gave it to moderators (Rocket.Chat #12416, #13173):
 * `toggle-room-e2e-encryption` held by admin and moderator. The app's setting names owner, admin
 * and moderator, so it narrows nothing and the app must answer exactly as the core route.
 */
const CHANGED_TABLE: Table = { editRoom: DEFAULT_TABLE.editRoom, toggle: ['admin member', 'moderator'] };
const CHANGED_PERMISSIONS = { 'toggle-room-e2e-encryption': ['admin', 'moderator'] };
const CHANGED_SETTINGS = { toggle_roles: 'owner, admin, moderator' };

/** Rocket.Chat's checks, in its order, for a room whose flag was never set (so either value is a change). */
export function expected(caller: Caller, room: RoomKind, e2e: boolean, archivedName: string, table: Table = DEFAULT_TABLE): { status: number; body?: unknown } {
    if (caller === 'anonymous') {
        return { status: 401 };
    }
    if (room === 'channel' || room === 'DM' || !MEMBERS.includes(caller)) {
        return { status: 400, body: NOT_FOUND };
    }
    if (room === 'archived group') {
        return { status: 400, body: archivedError(archivedName) };
    }
    if (!table.editRoom.includes(caller)) {
        return { status: 400, body: EDIT_NOT_ALLOWED };
    }
    if (!e2e) {
        return { status: 400, body: E2E_UNAVAILABLE };
    }
    if (!table.toggle.includes(caller)) {
        return { status: 400, body: TOGGLE_NOT_ALLOWED };
    }
    return { status: 200 };
}

export function roleMatrixSuite(scenario: () => Scenario): void {
    describe('role matrix (callers × rooms × E2E × value)', () => {
        let s: Scenario;
        let people: Record<Exclude<Caller, 'anonymous'>, Person>;
        let channel: Room;
        let archived: Room;
        let dmOfMembers: { _id: string };
        before(async () => {
            s = scenario();
            const [adminMember, adminOutsider, owner, moderator, leader, member, outsider] = await Promise.all([
                s.person('m-admin', ['admin', 'user']),
                s.person('m-admin-out', ['admin', 'user']),
                s.person('m-owner'),
                s.person('m-moderator'),
                s.person('m-leader'),
                s.person('m-member'),
                s.person('m-outsider'),
            ]);
            people = {
                'admin member': adminMember,
                'admin non-member': adminOutsider,
                owner,
                moderator,
                leader,
                member,
                'non-member': outsider,
            };
            channel = (await owner.client.post('channels.create', { name: s.unique('m-channel'), members: memberNames() })).channel;
            archived = await freshGroup('archived group');
            await owner.client.post('groups.archive', { roomId: archived._id });
            dmOfMembers = (await owner.client.post('im.create', { username: member.username })).room;
        });

        const memberNames = () => (['admin member', 'moderator', 'leader', 'member'] as const).map((who) => people[who].username);

        /** A never-toggled private group (or team main group) with the cast in their roles. */
        async function freshGroup(kind: RoomKind): Promise<Room> {
            const { owner, moderator, leader } = people;
            const name = s.unique('m-group');
            const room =
                kind === 'team main group'
                    ? { _id: (await owner.client.post('teams.create', { name, type: 1, members: memberNames() })).team.roomId, name }
                    : (await owner.client.post('groups.create', { name, members: memberNames() })).group;
            await owner.client.post('groups.addModerator', { roomId: room._id, userId: moderator.id });
            await owner.client.post('groups.addLeader', { roomId: room._id, userId: leader.id });
            return room;
        }

        async function roomFor(kind: RoomKind, caller: Caller): Promise<{ _id: string }> {
            switch (kind) {
                case 'channel':
                    return channel;
                case 'archived group':
                    return archived;
                case 'DM':
                    // The caller's own DM where they have one; outsiders aim at two other people's DM.
                    return caller === 'anonymous' || caller === 'non-member' || caller === 'admin non-member' || caller === 'owner'
                        ? dmOfMembers
                        : (await people[caller].client.post('im.create', { username: people.owner.username })).room;
                default:
                    return freshGroup(kind);
            }
        }

        async function ask(route: 'app' | 'core', caller: Caller, roomId: string, encrypted: boolean) {
            const body = { roomId, encrypted };
            if (caller === 'anonymous') {
                const path = route === 'app' ? `/api/apps/public/${s.target.appId}/groups.setEncrypted` : '/api/v1/groups.setEncrypted';
                const response = await fetch(`${s.target.url}${path}`, {
                    method: 'POST',
                    headers: { 'content-type': 'application/json' },
                    body: JSON.stringify(body),
                });
                return { status: response.status, body: undefined };
            }
            return route === 'app' ? s.viaApp(people[caller], body) : s.viaCore(people[caller], body);
        }

        /** Every caller × room × value through the app's endpoint and the core route, held to `table`. */
        function cells(e2e: boolean, table: Table): void {
            for (const caller of CALLERS) {
                for (const kind of ROOMS) {
                    for (const value of [true, false]) {
                        test(`${caller} · ${kind} · ${value ? 'on' : 'off'}`, async () => {
                            const want = expected(caller, kind, e2e, archived.name, table);
                            for (const route of ['app', 'core'] as const) {
                                const room = await roomFor(kind, caller);
                                const answer = await ask(route, caller, room._id, value);
                                assert.equal(answer.status, want.status, `${route} status`);
                                if (want.body) {
                                    assert.deepEqual(answer.body, want.body, `${route} body`);
                                }
                                if (kind === 'group' || kind === 'team main group') {
                                    const flag = await s.encryptedOf(people.owner, room._id);
                                    assert.equal(flag, want.status === 200 ? value : undefined, `${route} left the flag at ${String(flag)}`);
                                }
                            }
                        });
                    }
                }
            }
        }

        /**
         * `/encrypt` in the group by each member, with a service account configured, so the app
         * reads the table and decides itself on every server generation: the flag changes exactly
         * where Rocket.Chat's table lets the caller change it.
         */
        function commandCells(table: Table): void {
            for (const caller of MEMBERS) {
                for (const kind of ['group', 'team main group'] as const) {
                    for (const value of [true, false]) {
                        test(`/encrypt ${value ? 'on' : 'off'} · ${caller} · ${kind}`, async () => {
                            const want = expected(caller, kind, true, archived.name, table);
                            const room = await roomFor(kind, caller);
                            const answer = await people[caller as Exclude<Caller, 'anonymous'>].client.command('encrypt', value ? 'on' : 'off', room._id);
                            assert.equal(answer.status, 200, JSON.stringify(answer.body));
                            const flag = await s.encryptedOf(people.owner, room._id);
                            assert.equal(flag, want.status === 200 ? value : undefined, `/encrypt left the flag at ${String(flag)}`);
                        });
                    }
                }
            }
        }

        for (const e2e of [true, false]) {
            describe(`E2E ${e2e ? 'on' : 'off'}`, () => {
                before(async () => {
                    await s.target.admin.post('settings/E2E_Enable', { value: e2e });
                });
                // Leave the workspace as the other suites expect it.
                after(async () => {
                    await s.target.admin.post('settings/E2E_Enable', { value: true });
                });
                cells(e2e, DEFAULT_TABLE);
            });
        }

        describe('a service account configured: /encrypt by each member', () => {
            let restore: () => Promise<void>;
            before(async () => {
                const service = await s.person('m-service', ['admin', 'user']);
                restore = await s.holdAppSettings({ service_account_user_id: service.id, service_account_token: service.client.authToken });
            });
            after(async () => restore());
            commandCells(DEFAULT_TABLE);
        });

        describe('a changed permission table: owners may no longer toggle, moderators may', () => {
            let restore: Array<() => Promise<void>> = [];
            before(async () => {
                const service = await s.person('m-service-2', ['admin', 'user']);
                restore = [
                    (await s.holdPermissions(CHANGED_PERMISSIONS)).restore,
                    await s.holdAppSettings({ ...CHANGED_SETTINGS, service_account_user_id: service.id, service_account_token: service.client.authToken }),
                ];
            });
            after(async () => {
                for (const undo of restore.reverse()) {
                    await undo();
                }
            });
            cells(true, CHANGED_TABLE);
            commandCells(CHANGED_TABLE);
        });
    });
}
