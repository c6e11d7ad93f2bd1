// The admin surfaces get the toggle's care: who may start encrypting every group, who may read the
// workspace's totals, which rooms the admin list keeps, and whose room the panel acts on. Each test
// fails if the rule it names is dropped.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { PermissionTable } from '../../lib/authority/PermissionTable';
import type { ServiceAccountReport } from '../../lib/authority/ServiceAccountCheck';
import { ENCRYPT_ALL_PROCESSOR, ENCRYPT_ALL_WATCH, LEASE_MS } from '../../lib/bulk/EncryptAllChunk';
import { type BulkDeps, type DryRunAnswer, encryptionNotes, jobProgress, startEncryptAll } from '../../lib/bulk/EncryptAllJob';
import { JOB_NEEDS } from '../../lib/bulk/JobReadiness';
import type { JobState } from '../../lib/bulk/JobRecord';
import { AdminRoomList } from '../../lib/coverage/AdminRoomList';
import { type Scan, Selections } from '../../lib/coverage/CoverageScan';
import type { GroupRow } from '../../lib/coverage/GroupRow';
import { VIEW_ROOM_ADMINISTRATION, workspaceSummary } from '../../lib/coverage/WorkspaceSummary';
import { Serial } from '../../lib/history/Serial';
import { SWITCH_OFF, SWITCH_ON, confirmOffViewId } from '../../lib/panel/ids';
import { isRefusal, Refusal } from '../../lib/Refusal';
import type { Credential } from '../../lib/rest/Credential';
import type { FakeWorkspace } from '../fakes/FakeWorkspace';
import { panelDoor, withPlainServiceAccount, workspace } from '../fakes/harness';

const CALLER: Credential = { kind: 'session', userId: 'adam', token: 'adam-token' };
const SERVICE: Credential = { kind: 'session', userId: 'svc', token: 'svc-token' };
/** A service account that holds everything the encryptAll job needs. */
const READY: ServiceAccountReport = { state: 'checked', username: 'svc', missing: [], fullAdmin: false };

function user(id: string, roles: Array<string>): IUser {
    return { id, username: id, roles } as IUser;
}

function scanOf(rows: Array<Partial<GroupRow>>): Scan {
    const full = rows.map(
        (row, i) =>
            ({
                id: `g${i}`,
                name: `g${i}`,
                displayName: `g${i}`,
                kind: 'group',
                encrypted: false,
                archived: false,
                federated: false,
                members: 1,
                ...row,
            }) as GroupRow,
    );
    return { listed: new Map(), rows: full, takenAt: new Date().toISOString(), e2eEnabled: true, selections: new Selections() };
}

describe('groups.encryptAll: who may start it', () => {
    // The live table (through the app's settings) lets `admin` edit rooms and switch encryption,
    // and `room-editor` only edit them.
    function bulk(serverSettings: Record<string, unknown> = { E2E_Enable: true }, stored?: JobState) {
        const done = { saved: [] as Array<JobState>, scheduled: [] as Array<string>, scanned: 0 };
        const deps: BulkDeps = {
            record: {
                state: async () => stored && structuredClone(stored),
                save: async (state: JobState) => void done.saved.push(state),
                saveGroupIds: async () => undefined,
            } as never,
            list: { allows: async () => undefined },
            serverSettings: { getValueById: async (id: string) => serverSettings[id] },
            serviceAccount: async () => READY,
            authority: {
                allowedRoles: async () => ({
                    editRoom: [
                        { id: 'admin', name: 'admin' },
                        { id: 'room-editor', name: 'room-editor' },
                    ],
                    toggle: [{ id: 'admin', name: 'admin' }],
                    decidedBy: 'table',
                }),
            },
            scheduler: { scheduleOnce: async (schedule) => void done.scheduled.push(schedule.id) },
            starts: new Serial(),
            claims: { claim: async () => ({ won: true, release: async () => undefined }) },
            scan: async () => (done.scanned++, scanOf([{}])),
        };
        return { deps, done };
    }
    const start = (deps: BulkDeps, caller: IUser, dryRun = false) => startEncryptAll(deps, { caller, credential: CALLER, dryRun, includeArchived: false });

    test('a caller holding both permissions starts a job', async () => {
        const { deps, done } = bulk();
        const answer = await start(deps, user('adam', ['user', 'admin']));
        assert.ok(!isRefusal(answer), JSON.stringify(answer));
        assert.equal(done.saved.length, 1);
        assert.ok(done.scheduled.length > 0);
    });

    test('one job at a time: while a job runs, a second start gets error-app-job-running naming it, and nothing is saved or scheduled', async () => {
        const now = new Date().toISOString();
        const running = {
            jobId: 'J1',
            status: 'running',
            by: { id: 'adam', username: 'adam' },
            includeArchived: false,
            startedAt: now,
            updatedAt: now,
            listed: 0,
            line: 'L1',
            lineProcessor: 'encrypt-all',
            counts: { total: 9, changed: 0, alreadyEncrypted: 0, skipped: 0, failed: 0 },
            reasons: {},
            skipped: [],
            failed: [],
        } as JobState;
        const { deps, done } = bulk(undefined, running);
        assert.deepEqual(await start(deps, user('adam', ['user', 'admin'])), Refusal.jobRunning('J1'));
        assert.deepEqual(done, { saved: [], scheduled: [], scanned: 0 });
        // A job that ended is no obstacle.
        for (const status of ['done', 'failed', 'cancelled'] as const) {
            const ended = bulk(undefined, { ...running, status });
            assert.ok(!isRefusal(await start(ended.deps, user('adam', ['user', 'admin']))), status);
        }
    });

    test('with E2E_Enable off, a job is refused as Rocket.Chat refuses each group, and nothing is scanned, saved or scheduled', async () => {
        for (const value of [false, undefined]) {
            const { deps, done } = bulk({ E2E_Enable: value });
            assert.deepEqual(await start(deps, user('adam', ['user', 'admin'])), Refusal.e2eUnavailable('workspace'));
            assert.deepEqual(done, { saved: [], scheduled: [], scanned: 0 });
        }
    });

    test('with E2E_Enable off, a dry run still answers what it would do, and says first that E2E must be switched on', async () => {
        for (const value of [false, undefined]) {
            const { deps, done } = bulk({ E2E_Enable: value });
            const answer = (await start(deps, user('adam', ['user', 'admin']), true)) as DryRunAnswer;
            assert.equal(answer.dryRun, true, JSON.stringify(answer));
            assert.deepEqual(
                answer.blockers.map((blocker) => blocker.reason),
                ['e2e-disabled'],
            );
            assert.match(answer.blockers[0]!.text, /^End-to-end encryption is switched off for this workspace/);
            assert.deepEqual(done, { saved: [], scheduled: [], scanned: 1 });
        }
    });

    for (const dryRun of [false, true]) {
        const what = dryRun ? 'a dry run' : 'a job';

        test(`a caller whose roles may edit rooms but not switch encryption: ${what} is refused with toggle-room-e2e-encryption's refusal`, async () => {
            const { deps, done } = bulk();
            assert.deepEqual(await start(deps, user('eddie', ['user', 'room-editor']), dryRun), Refusal.toggleNotAllowed(['admin']));
            assert.deepEqual(done, { saved: [], scheduled: [], scanned: 0 });
        });

        test(`a caller whose roles may do neither: ${what} is refused with edit-room's refusal`, async () => {
            const { deps, done } = bulk();
            assert.deepEqual(await start(deps, user('otto', ['user']), dryRun), Refusal.editNotAllowed(['admin', 'room-editor']));
            assert.deepEqual(done, { saved: [], scheduled: [], scanned: 0 });
        });
    }
});

describe('groups.encryptAll: what a start does once allowed, and its progress', () => {
    const admin = user('adam', ['user', 'admin']);
    function bulk(current?: JobState) {
        const done = { saved: [] as Array<JobState>, scheduled: [] as Array<string> };
        const deps: BulkDeps = {
            record: {
                state: async () => current,
                save: async (state: JobState) => void done.saved.push(state),
                saveGroupIds: async () => undefined,
            } as never,
            list: { allows: async () => undefined },
            serverSettings: { getValueById: async () => true },
            serviceAccount: async () => READY,
            authority: {
                allowedRoles: async () => ({ editRoom: [{ id: 'admin', name: 'admin' }], toggle: [{ id: 'admin', name: 'admin' }], decidedBy: 'table' }),
            },
            scheduler: { scheduleOnce: async (schedule) => void done.scheduled.push(schedule.id) },
            starts: new Serial(),
            claims: { claim: async () => ({ won: true, release: async () => undefined }) },
            scan: async () => scanOf([]),
        };
        return { deps, done };
    }
    const start = (deps: BulkDeps, dryRun = false, includeArchived = false) =>
        startEncryptAll(deps, { caller: admin, credential: CALLER, dryRun, includeArchived });
    const running = (updatedAt: string): JobState =>
        ({
            jobId: 'job-1',
            status: 'running',
            updatedAt,
            lineProcessor: ENCRYPT_ALL_PROCESSOR,
            counts: {},
            reasons: {},
            skipped: [],
            failed: [],
        }) as unknown as JobState;

    test('a dry run: each group counted once as it would go, from a fresh scan; nothing saved or scheduled', async () => {
        const { deps, done } = bulk();
        const scan = scanOf([
            { encrypted: true },
            { archived: true, displayName: 'Old' },
            { federated: true, displayName: 'Fed' },
            { displayName: 'Sales' },
            { encrypted: true, archived: true },
        ]);
        deps.scan = async () => scan;
        assert.deepEqual(await start(deps, true), {
            dryRun: true,
            counts: { total: 5, wouldChange: 1, alreadyEncrypted: 2, skipped: 2 },
            wouldChange: [{ roomId: 'g3', name: 'Sales' }],
            skipped: [
                { roomId: 'g1', name: 'Old', reason: 'archived' },
                { roomId: 'g2', name: 'Fed', reason: 'federated' },
            ],
            notes: encryptionNotes(admin),
            scannedAt: scan.takenAt,
            blockers: [],
        });
        assert.deepEqual(
            ((await start(deps, true, true)) as { counts: unknown }).counts,
            { total: 5, wouldChange: 2, alreadyEncrypted: 2, skipped: 1 },
            'archived groups included',
        );
        assert.deepEqual(done, { saved: [], scheduled: [] });
        deps.scan = async () => Refusal.permissionsUnavailable();
        assert.deepEqual(await start(deps, true), Refusal.permissionsUnavailable(), "the scan's refusal");
    });

    test('refused at once, not started, when the permission table cannot be read; nothing saved', async () => {
        const { done } = bulk();
        const unreadable = bulk();
        unreadable.deps.authority = { allowedRoles: async () => ({ unavailable: true }) };
        assert.deepEqual(await start(unreadable.deps), Refusal.permissionsUnavailable());
        assert.deepEqual([done.saved, unreadable.done.saved], [[], []]);
    });

    test('a job already running: refused with its id; one whose line stopped saving is handed to the watch, one still working is left alone', async () => {
        const live = bulk(running(new Date().toISOString()));
        assert.deepEqual(await start(live.deps), Refusal.jobRunning('job-1'));
        assert.deepEqual(live.done, { saved: [], scheduled: [] });
        const stalled = bulk(running(new Date(Date.now() - LEASE_MS - 5_000).toISOString()));
        assert.deepEqual(await start(stalled.deps), Refusal.jobRunning('job-1'));
        assert.deepEqual(stalled.done, { saved: [], scheduled: [ENCRYPT_ALL_WATCH] });
    });

    test('a new job is saved as running, by its starter, and its line and the watch are scheduled', async () => {
        const { deps, done } = bulk();
        const answer = await start(deps, false, true);
        assert.ok(!isRefusal(answer) && !('dryRun' in answer));
        assert.equal(done.saved.length, 1);
        assert.equal(answer.jobId, done.saved[0]!.jobId);
        assert.deepEqual([answer.status, answer.by, answer.includeArchived], ['running', { id: 'adam', username: 'adam' }, true]);
        assert.deepEqual(done.scheduled, [ENCRYPT_ALL_PROCESSOR, ENCRYPT_ALL_WATCH]);
    });

    test("progress: for whoever may list every room, of the newest job or the one asked for, and no other job's", async () => {
        const { deps } = bulk(running(new Date().toISOString()));
        assert.equal(((await jobProgress(deps, CALLER, undefined)) as { jobId: string }).jobId, 'job-1');
        assert.equal(((await jobProgress(deps, CALLER, 'job-1')) as { jobId: string }).jobId, 'job-1');
        assert.deepEqual(await jobProgress(deps, CALLER, 'job-2'), Refusal.jobNotFound());
        assert.deepEqual(await jobProgress(bulk().deps, CALLER, undefined), Refusal.jobNotFound());
        const denied = Refusal.permissionsUnavailable();
        assert.deepEqual(await jobProgress({ ...deps, list: { allows: async () => denied } }, CALLER, 'job-1'), denied);
    });
});

describe('groups.encryptAll: the service account the job will work as, checked before it starts', () => {
    const admin = user('adam', ['user', 'admin']);
    const german = { ...user('greta', ['user', 'admin']), settings: { preferences: { language: 'de' } } } as unknown as IUser;
    function bulk(account: ServiceAccountReport) {
        const done = { saved: [] as Array<JobState>, scheduled: [] as Array<string> };
        const deps: BulkDeps = {
            record: {
                state: async () => undefined,
                save: async (state: JobState) => void done.saved.push(state),
                saveGroupIds: async () => undefined,
            } as never,
            list: { allows: async () => undefined },
            serverSettings: { getValueById: async () => true },
            serviceAccount: async () => account,
            authority: {
                allowedRoles: async () => ({ editRoom: [{ id: 'admin', name: 'admin' }], toggle: [{ id: 'admin', name: 'admin' }], decidedBy: 'table' }),
            },
            scheduler: { scheduleOnce: async (schedule) => void done.scheduled.push(schedule.id) },
            starts: new Serial(),
            claims: { claim: async () => ({ won: true, release: async () => undefined }) },
            scan: async () => scanOf([{}]),
        };
        return { deps, done };
    }
    const account = (report: Partial<ServiceAccountReport>): ServiceAccountReport => ({ ...READY, ...report });
    const start = (deps: BulkDeps, dryRun: boolean, caller = admin) => startEncryptAll(deps, { caller, credential: CALLER, dryRun, includeArchived: false });

    const cases: Array<[string, ServiceAccountReport, string, RegExp]> = [
        ['none set', account({ state: 'unset', username: undefined }), 'needs-service-account', /^No service account is set, and the job works as it/],
        [
            'its token refused',
            account({ state: 'rejected', username: undefined }),
            'service-account-rejected',
            /does not accept the service account's user id and token/,
        ],
        [
            'an account that may not list every group',
            account({ missing: ['view-room-administration'] }),
            'service-account-lacks-rights',
            /^The service account @svc lacks view-room-administration: the job lists every group/,
        ],
        [
            'an account that may not switch encryption',
            account({ missing: ['edit-room', 'toggle-room-e2e-encryption'] }),
            'service-account-lacks-rights',
            /^The service account @svc lacks edit-room, toggle-room-e2e-encryption: /,
        ],
    ];
    for (const [label, report, reason, text] of cases) {
        test(`${label}: the dry run names it, in the caller's language; a start is refused at once with it, 400 error-app-service-account, and nothing is saved or scheduled`, async () => {
            const { deps, done } = bulk(report);
            const dry = (await start(deps, true)) as DryRunAnswer;
            assert.deepEqual(
                dry.blockers.map((blocker) => blocker.reason),
                [reason],
            );
            assert.match(dry.blockers[0]!.text, text);
            const inGerman = (await start(deps, true, german)) as DryRunAnswer;
            assert.notEqual(inGerman.blockers[0]!.text, dry.blockers[0]!.text);
            assert.match(inGerman.blockers[0]!.text, /Dienstkonto/);

            const refused = await start(deps, false);
            assert.ok(isRefusal(refused), JSON.stringify(refused));
            assert.equal(refused.status, 400);
            assert.equal(refused.errorType, 'error-app-service-account');
            assert.equal(refused.error, `The encryptAll job cannot run: ${dry.blockers[0]!.text} [error-app-service-account]`);
            assert.deepEqual(refused.details, { blockers: [{ reason, text: dry.blockers[0]!.text }] });
            assert.deepEqual(done, { saved: [], scheduled: [] });
        });
    }

    test('an account that could not be checked (the server did not answer): the dry run says so; a start is refused with 503, to be tried again', async () => {
        const { deps, done } = bulk(account({ state: 'unreachable' }));
        assert.deepEqual(
            ((await start(deps, true)) as DryRunAnswer).blockers.map((blocker) => blocker.reason),
            ['service-account-unchecked'],
        );
        assert.deepEqual(await start(deps, false), Refusal.serverUnanswered());
        assert.deepEqual(done, { saved: [], scheduled: [] });
    });

    test('an account holding all it needs: the dry run has no blockers, and a start runs', async () => {
        const { deps, done } = bulk(READY);
        assert.deepEqual(((await start(deps, true)) as DryRunAnswer).blockers, []);
        assert.ok(!isRefusal(await start(deps, false)));
        assert.equal(done.saved.length, 1);
    });

    test('the job asks of its service account what it uses: view-room-administration to list, edit-room and toggle-room-e2e-encryption to write', () => {
        assert.deepEqual([...JOB_NEEDS].sort(), ['edit-room', 'toggle-room-e2e-encryption', 'view-room-administration']);
    });
});

describe('/encrypt report: only for roles holding view-room-administration', () => {
    // The live table: admin and a custom `auditor` role hold view-room-administration.
    function summary() {
        const done = { scanned: 0 };
        const deps = {
            settings: { serviceAccount: async () => SERVICE },
            rest: {
                get: async (route: string) => {
                    assert.equal(route, 'permissions.listAll');
                    return { statusCode: 200, body: { update: [{ _id: VIEW_ROOM_ADMINISTRATION, roles: ['admin', 'auditor'] }], remove: [] } };
                },
            },
            table: new PermissionTable(),
            cache: { get: (scan: () => Promise<Scan | Refusal>) => scan() },
            scan: async () => (done.scanned++, scanOf([{ members: 9 }, { encrypted: true }])),
        };
        return { deps, done };
    }

    test('an admin, and a custom role holding it, get the totals', async () => {
        for (const caller of [user('adam', ['user', 'admin']), user('aud', ['user', 'auditor'])]) {
            const { deps } = summary();
            const answer = await workspaceSummary(deps, caller);
            assert.ok(!isRefusal(answer), JSON.stringify(answer));
            assert.equal(answer.totals.groups, 2);
        }
    });

    test("a caller whose roles do not hold it gets Rocket.Chat's not-authorized, and nothing is scanned", async () => {
        for (const caller of [user('olivia', ['user', 'owner', 'moderator']), user('nobody', [])]) {
            const { deps, done } = summary();
            assert.deepEqual(await workspaceSummary(deps, caller), Refusal.notAuthorized());
            assert.equal(done.scanned, 0);
        }
    });
});

describe('the admin room list keeps only private groups (rooms.adminRooms also lists public ones when asked for discussions and teams)', () => {
    const rooms = [
        { _id: 'group', t: 'p' },
        { _id: 'channel', t: 'c' },
        { _id: 'public-discussion', t: 'c', prid: 'channel' },
        { _id: 'private-discussion', t: 'p', prid: 'group' },
        { _id: 'public-team', t: 'c', teamMain: true },
        { _id: 'private-team', t: 'p', teamMain: true },
        { _id: 'dm', t: 'd' },
        { _id: 'omnichannel', t: 'l' },
        { _id: 'no-type' },
    ];
    const list = new AdminRoomList({ get: async () => ({ statusCode: 200, body: { rooms, total: rooms.length } }) });

    test('a page keeps the private ones, and moves on by every room the server gave', async () => {
        const page = await list.page(CALLER, 0, 100);
        assert.ok(!isRefusal(page));
        assert.deepEqual(
            page.rooms.map((room) => room._id),
            ['group', 'private-discussion', 'private-team'],
        );
        assert.equal(page.fetched, rooms.length);
    });

    test('the whole list too', async () => {
        const all = await list.all(CALLER);
        assert.ok(!isRefusal(all));
        assert.deepEqual(
            all.map((room) => room._id),
            ['group', 'private-discussion', 'private-team'],
        );
    });
});

describe('the panel acts only where the caller may: an admin who is not a member', () => {
    // adam is a global admin in none of the groups but his own; the panel is open there, and the
    // payload names the group `secret`, as a forged or stale interaction would.
    function adamsWorkspace(): FakeWorkspace {
        // With an account to read the table, so that only the membership rule stands in the way.
        const ws = withPlainServiceAccount(workspace());
        ws.addRoom({ id: 'adams-group', members: ['adam'], owners: ['adam'] });
        return ws;
    }
    const click = (ws: FakeWorkspace, actionId: string) =>
        panelDoor(ws).call.block({ actionId, value: 'secret', user: ws.users.get('adam'), room: { id: 'adams-group' } });

    test('its switch-on changes nothing and shows the refusal', async () => {
        const ws = adamsWorkspace();
        const answer = await click(ws, SWITCH_ON);
        assert.equal(answer.kind, 'update-bar');
        assert.equal(ws.encryptedOf('secret'), undefined);
        assert.deepEqual(ws.notices, []);
    });

    test('its switch-off opens no confirmation', async () => {
        const ws = adamsWorkspace();
        ws.setEncryptedFlag('secret', true);
        const answer = await click(ws, SWITCH_OFF);
        assert.equal(answer.kind, 'update-bar');
        assert.equal(ws.encryptedOf('secret'), true);
    });

    test('a confirmation of switching off, submitted anyway, changes nothing', async () => {
        const ws = adamsWorkspace();
        ws.setEncryptedFlag('secret', true);
        const { call, pushed } = panelDoor(ws);
        await call.submit({ view: { id: confirmOffViewId('secret') }, user: ws.users.get('adam'), triggerId: 't' });
        assert.equal(ws.encryptedOf('secret'), true);
        assert.deepEqual(ws.notices, []);
        assert.equal(pushed.length, 1);
    });
});
