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

const EDIT_ROOM: ReadonlyArray<Caller> = ['admin member', 'owner', 'moderator'];
const TOGGLE_E2E: ReadonlyArray<Caller> = ['admin member', 'owner'];
const MEMBERS: ReadonlyArray<Caller> = ['admin member', 'owner', 'moderator', 'leader', 'member'];

/** Rocket.Chat's checks, in its order, for a room whose flag was never set (so either value is a change). */
export function expected(caller: Caller, room: RoomKind, e2e: boolean, archivedName: string): { status: number; body?: unknown } {
    if (caller === 'anonymous') {
        return { status: 401 };
    }
    if (room === 'channel' || room === 'DM' || !MEMBERS.includes(caller)) {
        return { status: 400, body: NOT_FOUND };
    }
    if (room === 'archived group') {
        return { status: 400, body: archivedError(archivedName) };
    }
    if (!EDIT_ROOM.includes(caller)) {
        return { status: 400, body: EDIT_NOT_ALLOWED };
    }
    if (!e2e) {
        return { status: 400, body: E2E_UNAVAILABLE };
    }
    if (!TOGGLE_E2E.includes(caller)) {
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

        for (const e2e of [true, false]) {
            describe(`E2E ${e2e ? 'on' : 'off'}`, () => {
                before(async () => {
                    await s.target.admin.post('settings/E2E_Enable', { value: e2e });
                });
                // Leave the workspace as the other suites expect it.
                after(async () => {
                    await s.target.admin.post('settings/E2E_Enable', { value: true });
                });
                for (const caller of CALLERS) {
                    for (const kind of ROOMS) {
                        for (const value of [true, false]) {
                            test(`${caller} · ${kind} · ${value ? 'on' : 'off'}`, async () => {
                                const want = expected(caller, kind, e2e, archived.name);
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
            });
        }
    });
}
