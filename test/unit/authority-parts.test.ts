// The authority's parts on their own, where the command-level tests (authority.test.ts) cannot tell
// what went wrong: which built-in names skip the role reader, what is remembered of a custom role,
// who `decidedBy` names, and what the service-account check reports and says to admins.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Authority, isAllowedRoles } from '../../lib/authority/Authority';
import { PermissionTable } from '../../lib/authority/PermissionTable';
import { RoleIds, type RoleReader } from '../../lib/authority/RoleIds';
import { type ServiceAccountReport, checkServiceAccount, describeServiceAccount } from '../../lib/authority/ServiceAccountCheck';
import { JOB_NEEDS } from '../../lib/bulk/JobReadiness';
import type { Credential } from '../../lib/rest/Credential';
import type { RestAnswer } from '../../lib/rest/ServerRest';

const credential: Credential = { kind: 'session', userId: 'svc', token: 'svc-token' };

/** A role reader that knows `known` (name → id) and counts its calls. */
function reader(known: Record<string, string> = {}) {
    const asked: Array<string> = [];
    const roleReader: RoleReader = {
        appId: 'app-id',
        roles: {
            getOneByIdOrName: async (name: string) => {
                asked.push(name);
                return (known[name] === undefined ? null : { id: known[name] }) as never;
            },
        },
    };
    return { asked, roleReader, known };
}

describe('role ids', () => {
    test("each of Rocket.Chat's built-in roles is its own id, without asking the role reader", async () => {
        const builtIn = [
            'admin',
            'moderator',
            'owner',
            'leader',
            'user',
            'bot',
            'app',
            'guest',
            'anonymous',
            'livechat-agent',
            'livechat-manager',
            'livechat-monitor',
        ];
        const { asked, roleReader } = reader();
        assert.deepEqual(
            await new RoleIds().of(builtIn, roleReader),
            builtIn.map((name) => ({ id: name, name })),
        );
        assert.deepEqual(asked, []);
    });

    test('a custom role found is remembered; a name that is no role matches nobody and is asked again, in case it was created since', async () => {
        const rc = reader({ auditor: 'r4nd0m' });
        const ids = new RoleIds();
        assert.deepEqual(await ids.of(['auditor', 'nobody'], rc.roleReader), [{ id: 'r4nd0m', name: 'auditor' }]);
        assert.deepEqual(await ids.unknown(['auditor', 'nobody'], rc.roleReader), ['nobody']);
        rc.known.nobody = 'n3w';
        assert.deepEqual(await ids.of(['nobody'], rc.roleReader), [{ id: 'n3w', name: 'nobody' }]);
        assert.deepEqual(rc.asked, ['auditor', 'nobody', 'nobody', 'nobody']);
    });
});

describe('who decides', () => {
    const authority = (table: RestAnswer) =>
        new Authority({
            settings: { editRoomRoles: async () => ['owner'], toggleRoles: async () => ['owner'] },
            table: new PermissionTable(() => 1_000_000),
            roleIds: new RoleIds(),
            roleReader: reader().roleReader,
            rest: { get: async () => table },
        });
    const table: RestAnswer = { statusCode: 200, body: { update: [{ _id: 'edit-room', roles: ['owner'] }], remove: [], success: true } };

    test("the server, when it checks the caller again: the settings' roles as they are", async () => {
        assert.deepEqual(await authority(table).allowedRoles(true, credential), {
            editRoom: [{ id: 'owner', name: 'owner' }],
            toggle: [{ id: 'owner', name: 'owner' }],
            decidedBy: 'server',
        });
    });

    test('the table, read with a credential: a role counts only where it holds the permission', async () => {
        const allowed = await authority(table).allowedRoles(false, credential);
        assert.ok(isAllowedRoles(allowed));
        assert.deepEqual(allowed, { editRoom: [{ id: 'owner', name: 'owner' }], toggle: [], decidedBy: 'table' });
    });
});

describe('the service account check', () => {
    /** A server answering `me` with `me` (or throwing it) and the table with `table`. */
    function server(me: RestAnswer | Error, table: RestAnswer) {
        return {
            get: async (route: string) => {
                if (route !== 'me') {
                    return table;
                }
                if (me instanceof Error) {
                    throw me;
                }
                return me;
            },
        };
    }
    const everything: RestAnswer = {
        statusCode: 200,
        body: {
            update: [
                { _id: 'edit-room', roles: ['admin', 'owner'] },
                { _id: 'toggle-room-e2e-encryption', roles: ['admin', 'owner'] },
                { _id: 'api-bypass-rate-limit', roles: ['admin', 'bot'] },
            ],
            success: true,
        },
    };
    const me = (roles: unknown): RestAnswer => ({ statusCode: 200, body: { username: 'svc', roles } });
    const check = (answer: RestAnswer | Error, table = everything) =>
        checkServiceAccount(server(answer, table), new PermissionTable(() => 1_000_000), credential);

    test('none set: nothing is asked', async () => {
        const report = await checkServiceAccount(server(new Error('must not be asked'), everything), new PermissionTable(), undefined);
        assert.deepEqual(report, { state: 'unset', missing: [], fullAdmin: false });
    });

    test('a token the server does not accept, a server that does not answer, an answer that is no user', async () => {
        assert.deepEqual(await check({ statusCode: 401, body: {} }), { state: 'rejected', missing: [], fullAdmin: false });
        assert.deepEqual(await check(new Error('ECONNREFUSED')), { state: 'unreachable', missing: [], fullAdmin: false });
        assert.deepEqual(await check({ statusCode: 502, body: { username: 'svc', roles: ['admin'] } }), {
            state: 'unreachable',
            missing: [],
            fullAdmin: false,
        });
    });

    test('a table it cannot read: unreachable, with the name it goes by', async () => {
        assert.deepEqual(await check(me(['admin']), { statusCode: 403, body: { success: false } }), {
            state: 'unreachable',
            username: 'svc',
            missing: [],
            fullAdmin: false,
        });
    });

    test('checked: the permissions none of its roles holds, roles that are not strings ignored', async () => {
        assert.deepEqual(await check(me(['bot', 7])), {
            state: 'checked',
            username: 'svc',
            missing: ['edit-room', 'toggle-room-e2e-encryption'],
            fullAdmin: false,
        });
        const noTable: RestAnswer = { statusCode: 200, body: { update: [], success: true } };
        assert.deepEqual((await check(me(['bot']), noTable)).missing, ['edit-room', 'toggle-room-e2e-encryption', 'api-bypass-rate-limit']);
        assert.deepEqual(await check(me(['admin'])), { state: 'checked', username: 'svc', missing: [], fullAdmin: true });
    });

    test("the encryptAll job's needs: view-room-administration counts, api-bypass-rate-limit does not", async () => {
        const table: RestAnswer = {
            statusCode: 200,
            body: {
                update: [
                    { _id: 'view-room-administration', roles: ['admin', 'auditor'] },
                    { _id: 'edit-room', roles: ['admin', 'bot'] },
                    { _id: 'toggle-room-e2e-encryption', roles: ['admin', 'bot'] },
                    { _id: 'api-bypass-rate-limit', roles: ['admin'] },
                ],
                success: true,
            },
        };
        const job = (roles: Array<string>) => checkServiceAccount(server(me(roles), table), new PermissionTable(() => 1_000_000), credential, JOB_NEEDS);
        assert.deepEqual((await job(['bot'])).missing, ['view-room-administration']);
        assert.deepEqual((await job(['auditor'])).missing, ['edit-room', 'toggle-room-e2e-encryption']);
        assert.deepEqual((await job(['bot', 'auditor'])).missing, []);
    });

    test('what admins read, for each state', () => {
        const said = (report: Partial<ServiceAccountReport>) => describeServiceAccount({ state: 'checked', missing: [], fullAdmin: false, ...report });
        assert.match(said({ state: 'unset' }), /^no service account is set: .*change nothing.*before 7\.4 any plain account/);
        assert.equal(said({ state: 'rejected' }), "the service account's user id and token were not accepted by the server");
        assert.equal(said({ state: 'unreachable' }), "the service account could not be checked: the server's REST API did not answer at Site_Url");
        assert.equal(said({ username: 'svc' }), 'the service account @svc holds every permission it needs');
        assert.equal(
            said({ username: 'svc', missing: ['edit-room', 'api-bypass-rate-limit'] }),
            'the service account @svc lacks edit-room, api-bypass-rate-limit',
        );
        assert.equal(
            said({ username: 'root', fullAdmin: true }),
            'the service account @root holds every permission it needs; it is a full admin, far more than the app needs (a role of its own holding only edit-room, toggle-room-e2e-encryption and api-bypass-rate-limit, plus view-room-administration for the report and groups.encryptAll, is enough)',
        );
    });
});
