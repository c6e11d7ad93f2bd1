// The permission table as the app reads it must never miss a change: not one stamped earlier than
// another already read (instances' clocks apart, writes committed out of order), not a deletion.
// The server here answers `permissions.listAll` as Rocket.Chat's `permissionsGetMethod` does:
// `_updatedAt > updatedSince`, and the trash's `_deletedAt > updatedSince` as `remove`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { FULL_READ_MS, PermissionTable, READ_OVERLAP_MS, isUnavailable } from '../../lib/authority/PermissionTable';
import type { Credential } from '../../lib/rest/Credential';
import { REST_TIMEOUT_MS, type RestAnswer } from '../../lib/rest/ServerRest';

const credential: Credential = { kind: 'session', userId: 'svc', token: 'svc-token' };

function server(start: number) {
    let now = start;
    const permissions = new Map<string, { roles: Array<string>; _updatedAt: number }>();
    const trash = new Map<string, number>();
    const asked: Array<string | undefined> = [];
    const rest = {
        get: async (_route: string, _credential: Credential, query: Record<string, string> = {}) => {
            asked.push(query.updatedSince);
            const since = query.updatedSince === undefined ? undefined : Date.parse(query.updatedSince);
            const update = [...permissions]
                .filter(([, permission]) => since === undefined || permission._updatedAt > since)
                .map(([_id, permission]) => ({ _id, roles: permission.roles, _updatedAt: new Date(permission._updatedAt).toISOString() }));
            const remove =
                since === undefined ? [] : [...trash].filter(([, at]) => at > since).map(([_id, at]) => ({ _id, _deletedAt: new Date(at).toISOString() }));
            return { statusCode: 200, body: { update, remove, success: true } };
        },
    };
    return {
        rest,
        asked,
        clock: () => now,
        pass: (ms: number) => (now += ms),
        set: (id: string, roles: Array<string>, stampedAt = now) => permissions.set(id, { roles, _updatedAt: stampedAt }),
        remove: (id: string, at = now) => {
            permissions.delete(id);
            trash.set(id, at);
        },
    };
}

async function rolesOf(table: PermissionTable, rest: ReturnType<typeof server>['rest'], permission: string) {
    const read = await table.current(rest, credential);
    assert.ok(!isUnavailable(read));
    return read.get(permission);
}

describe('the permission table', () => {
    test('a change stamped before the newest one already seen is still applied', async () => {
        const rc = server(1_000_000);
        rc.set('edit-room', ['owner', 'moderator', 'admin']);
        rc.set('toggle-room-e2e-encryption', ['owner', 'admin']);
        const table = new PermissionTable(rc.clock);
        await rolesOf(table, rc.rest, 'edit-room');
        rc.pass(10_000);
        // Another instance, its clock 5 s behind, takes owners out of toggle; then this one changes edit-room.
        rc.set('edit-room', ['owner', 'admin']);
        rc.set('toggle-room-e2e-encryption', ['admin'], rc.clock() - 5_000);
        assert.deepEqual(await rolesOf(table, rc.rest, 'edit-room'), ['owner', 'admin']);
        rc.set('edit-room', ['admin'], rc.clock() + 1);
        rc.set('toggle-room-e2e-encryption', ['admin'], rc.clock() - 4_000);
        assert.deepEqual(await rolesOf(table, rc.rest, 'toggle-room-e2e-encryption'), ['admin']);
        assert.ok(
            rc.asked.slice(1).every((since) => since !== undefined),
            'later reads are delta reads',
        );
    });

    test('a change stamped further back than the overlap counts after the next whole read, at most FULL_READ_MS later', async () => {
        const rc = server(1_000_000);
        rc.set('toggle-room-e2e-encryption', ['owner', 'admin']);
        const table = new PermissionTable(rc.clock);
        await rolesOf(table, rc.rest, 'toggle-room-e2e-encryption');
        rc.set('toggle-room-e2e-encryption', ['admin'], rc.clock() - READ_OVERLAP_MS - 60_000);
        rc.pass(1_000);
        assert.deepEqual(await rolesOf(table, rc.rest, 'toggle-room-e2e-encryption'), ['owner', 'admin'], 'missed by the delta read');
        rc.pass(FULL_READ_MS);
        assert.deepEqual(await rolesOf(table, rc.rest, 'toggle-room-e2e-encryption'), ['admin']);
        assert.equal(rc.asked.at(-1), undefined, 'a whole read');
    });

    test('a deleted permission is held by nobody from the next read on', async () => {
        const rc = server(1_000_000);
        rc.set('toggle-room-e2e-encryption', ['owner', 'admin']);
        const table = new PermissionTable(rc.clock);
        await rolesOf(table, rc.rest, 'toggle-room-e2e-encryption');
        rc.pass(1_000);
        rc.remove('toggle-room-e2e-encryption');
        assert.equal(await rolesOf(table, rc.rest, 'toggle-room-e2e-encryption'), undefined);
        assert.notEqual(rc.asked.at(-1), undefined, 'seen in a delta read, from the trash');
    });

    test('a whole read drops what the table no longer holds, even when its deletion left no trace', async () => {
        const rc = server(1_000_000);
        rc.set('toggle-room-e2e-encryption', ['owner', 'admin']);
        rc.set('edit-room', ['owner', 'admin']);
        const table = new PermissionTable(rc.clock);
        await rolesOf(table, rc.rest, 'edit-room');
        rc.remove('toggle-room-e2e-encryption', 0);
        rc.pass(FULL_READ_MS);
        assert.equal(await rolesOf(table, rc.rest, 'toggle-room-e2e-encryption'), undefined);
    });
});

// A server whose answers the test writes by hand, one per read, and which records each query.
function scripted(answers: Array<RestAnswer | Error>) {
    const asked: Array<string | undefined> = [];
    return {
        asked,
        rest: {
            get: async (_route: string, _credential: Credential, query: Record<string, string> = {}) => {
                asked.push(query.updatedSince);
                const answer = answers.shift()!;
                if (answer instanceof Error) {
                    throw answer;
                }
                return answer;
            },
        },
    };
}
const listed = (update: unknown, remove: unknown = []): RestAnswer => ({ statusCode: 200, body: { update, remove, success: true } });

describe('the permission table, read from answers it must not trust', () => {
    test('rows without a string id or a roles array, and role ids that are not strings, are left out', async () => {
        const rc = scripted([
            listed([
                { _id: 7, roles: ['admin'] },
                { _id: 'view-room-administration', roles: 'admin' },
                { _id: 'edit-room', roles: ['owner', 7, null, 'admin'] },
            ]),
        ]);
        const read = await new PermissionTable(() => 1_000_000).current(rc.rest, credential);
        assert.ok(!isUnavailable(read));
        assert.deepEqual([...read], [['edit-room', ['owner', 'admin']]]);
    });

    test('a refusal that still carries an update list is a refusal: unavailable, with the answer', async () => {
        const refusal: RestAnswer = { statusCode: 403, body: { update: [], success: false } };
        const read = await new PermissionTable(() => 1_000_000).current(scripted([refusal]).rest, credential);
        assert.deepEqual(read, { unavailable: true, answer: refusal });
    });

    test('a transport error is told apart from the server refusing', async () => {
        const read = await new PermissionTable(() => 1_000_000).current(scripted([new Error('socket hang up')]).rest, credential);
        assert.deepEqual(read, { unavailable: true, unreachable: 'transport' });
    });

    test('the next delta read starts READ_OVERLAP_MS before the newest stamp, whatever the rows order, skipping stamps it cannot parse', async () => {
        const newest = Date.UTC(2024, 0, 2);
        const rc = scripted([
            listed([
                { _id: 'a', roles: [], _updatedAt: 'not a date' },
                { _id: 'b', roles: [], _updatedAt: new Date(newest - 7_200_000).toISOString() },
                { _id: 'c', roles: [], _updatedAt: new Date(newest).toISOString() },
                { _id: 'd', roles: [], _updatedAt: new Date(newest - 3_600_000).toISOString() },
            ]),
            listed([]),
        ]);
        const table = new PermissionTable(() => newest + 10_000);
        await table.current(rc.rest, credential);
        await table.current(rc.rest, credential);
        assert.deepEqual(rc.asked, [undefined, new Date(newest - READ_OVERLAP_MS).toISOString()]);
    });

    test('a table with no stamp at all counts as read: the next read is a delta from when it was read', async () => {
        let now = 1_000_000;
        const rc = scripted([listed([{ _id: 'edit-room', roles: ['admin'] }]), listed([])]);
        const table = new PermissionTable(() => now);
        await table.current(rc.rest, credential);
        now += 1_000;
        await table.current(rc.rest, credential);
        assert.deepEqual(rc.asked, [undefined, new Date(1_000_000 - READ_OVERLAP_MS).toISOString()]);
    });
});

describe('reads under way', () => {
    // A server whose reads stay pending until the test settles them, in order.
    function pending() {
        const settle: Array<() => void> = [];
        return {
            settle,
            rest: {
                get: () => new Promise<RestAnswer>((resolve) => settle.push(() => resolve(listed([{ _id: 'edit-room', roles: ['admin'] }])))),
            },
        };
    }
    const tick = () => new Promise((resolve) => setImmediate(resolve));

    test('reads that overlap share one request, up to REST_TIMEOUT_MS after it was made', async () => {
        let now = 1_000_000;
        const rc = pending();
        const table = new PermissionTable(() => now);
        const first = table.current(rc.rest, credential);
        now += REST_TIMEOUT_MS;
        const second = table.current(rc.rest, credential);
        assert.equal(rc.settle.length, 1, 'one request');
        rc.settle[0]!();
        assert.equal(await second, await first);
    });

    test('a read pending for longer than its timeout is hung: the next caller gets a new request, and the hung one ending does not unshare it', async () => {
        let now = 1_000_000;
        const rc = pending();
        const table = new PermissionTable(() => now);
        const hung = table.current(rc.rest, credential);
        now += REST_TIMEOUT_MS + 1;
        const fresh = table.current(rc.rest, credential);
        assert.equal(rc.settle.length, 2, 'a new request');
        rc.settle[0]!();
        await hung;
        await tick();
        const third = table.current(rc.rest, credential);
        assert.equal(rc.settle.length, 2, 'still shares the fresh one');
        rc.settle[1]!();
        assert.equal(await third, await fresh);
    });
});
