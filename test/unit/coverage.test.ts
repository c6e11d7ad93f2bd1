// The coverage report's query, rows and CSV, and the encryptAll job's runs, against small fakes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type ChunkDeps, ENCRYPT_ALL_PROCESSOR, ENCRYPT_ALL_WATCH, LEASE_MS, runChunk } from '../../lib/bulk/EncryptAllChunk';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { AllowedRoles } from '../../lib/authority/Authority';
import type { TableUnavailable } from '../../lib/authority/PermissionTable';
import { cancelEncryptAll } from '../../lib/bulk/CancelEncryptAll';
import type { CancelMark, JobRecord, JobState } from '../../lib/bulk/JobRecord';
import { Serial } from '../../lib/history/Serial';
import { coverageReport } from '../../lib/coverage/CoverageReport';
import { SELECTIONS_KEPT, ScanCache, Selections } from '../../lib/coverage/CoverageScan';
import { toCsv } from '../../lib/coverage/csv';
import { type GroupRow, rowOf, totalsOf } from '../../lib/coverage/GroupRow';
import { readReportQuery, selectRows } from '../../lib/coverage/ReportQuery';
import { Refusal, isRefusal } from '../../lib/Refusal';

const PAGING = { defaultCount: 50, upperLimit: 100, infiniteCount: true };

describe('the report query, read as Rocket.Chat reads its list routes', () => {
    test('paging follows getPaginationItems: default 50, cut to the upper limit, 0 means all only where the server allows it', () => {
        const count = (query: Record<string, string>, paging = PAGING) => (readReportQuery(query, paging) as { count: number }).count;
        assert.equal(count({}), 50);
        assert.equal(count({ count: '500' }), 100);
        assert.equal(count({ count: '0' }), 0);
        assert.equal(count({ count: '0' }, { ...PAGING, infiniteCount: false }), 50);
        assert.equal(count({ count: 'many' }), 50);
        assert.equal((readReportQuery({ offset: '-3' }, PAGING) as { offset: number }).offset, 0);
    });

    test("a sort that is not JSON with 1 or -1 per known field gets parseJsonQuery's error-invalid-sort; a state or format outside the list, invalid-params", () => {
        for (const sort of ['name', '{"name":2}', '{"password":1}', '[1]']) {
            const refusal = readReportQuery({ sort }, PAGING);
            assert.ok(isRefusal(refusal));
            assert.deepEqual(
                [refusal.status, refusal.error, refusal.errorType, refusal.details],
                [400, `Invalid sort parameter provided: "${sort}" [error-invalid-sort]`, 'error-invalid-sort', { helperMethod: 'parseJsonQuery' }],
            );
        }
        for (const query of [{ state: 'purple' }, { format: 'xml' }]) {
            const refusal = readReportQuery(query, PAGING);
            assert.ok(isRefusal(refusal));
            assert.equal(refusal.errorType, 'invalid-params');
        }
    });

    test('rows are filtered by state and name and sorted by the fields asked for, ties by id', () => {
        const rows = [
            row('b', { encrypted: true, members: 3 }),
            row('a', { members: 9 }),
            row('c', { federated: true, cannotEncrypt: 'federated', members: 3 }),
        ];
        const names = (query: Record<string, string>) => selectRows(rows, readReportQuery(query, PAGING) as never).map((r) => r.name);
        assert.deepEqual(names({}), ['a', 'b', 'c']);
        assert.deepEqual(names({ state: 'encrypted' }), ['b']);
        assert.deepEqual(names({ state: 'unencrypted' }), ['a', 'c']);
        assert.deepEqual(names({ state: 'cannot-encrypt' }), ['c']);
        assert.deepEqual(names({ sort: '{"members":-1,"name":-1}' }), ['a', 'c', 'b']);
        assert.deepEqual(names({ filter: 'B' }), ['b']);
    });
});

describe('rows and totals', () => {
    test('a row takes the admin list for what it carries and the room for the flag and last activity; federated groups and a workspace without E2E cannot be encrypted', () => {
        const room = { id: 'r1', lastModifiedAt: new Date('2026-11-01T10:00:00Z'), _unmappedProperties_: { encrypted: false } } as never;
        const listed = { _id: 'r1', name: 'ops', fname: 'Ops team', usersCount: 4, teamMain: true };
        assert.deepEqual(rowOf(listed, room, true), {
            id: 'r1',
            name: 'ops',
            displayName: 'Ops team',
            kind: 'team',
            encrypted: false,
            archived: false,
            federated: false,
            members: 4,
            lastActivity: '2026-11-01T10:00:00.000Z',
        });
        assert.equal(rowOf(listed, room, false).cannotEncrypt, 'e2e-disabled');
        assert.equal(rowOf({ ...listed, federated: true }, room, true).cannotEncrypt, 'federated');
        assert.equal(rowOf({ ...listed, prid: 'p', teamMain: false }, undefined, true).kind, 'discussion');
        const totals = totalsOf([row('a', { encrypted: true }), row('b', { archived: true }), row('c', { cannotEncrypt: 'federated', federated: true })]);
        assert.deepEqual(totals, { groups: 3, encrypted: 1, notEncrypted: 2, cannotEncrypt: { total: 1, federated: 1, 'e2e-disabled': 0 }, archived: 1 });
    });

    test('CSV: quoted where needed, and a name a spreadsheet would run as a formula is defused', () => {
        const csv = toCsv([row('=HYPERLINK("x")', { displayName: 'a, "b"' }), row('plain', { lastActivity: '2026-11-01T10:00:00.000Z' })]);
        const lines = csv.split('\r\n');
        assert.equal(lines[0], 'id,name,displayName,kind,encrypted,archived,federated,members,lastActivity,cannotEncrypt');
        assert.equal(lines[1], `"id-=HYPERLINK(""x"")","'=HYPERLINK(""x"")","a, ""b""",group,false,false,false,1,,`);
        assert.equal(lines[2], 'id-plain,plain,plain,group,false,false,false,1,2026-11-01T10:00:00.000Z,');
        assert.equal(lines[3], '');
    });

    // OWASP's "CSV Injection": every form a spreadsheet runs as a formula, and every character that
    // would start a new cell inside one, each on its own. A defused cell holds an apostrophe, so it
    // is quoted too.
    const nameCell = (name: string) => {
        const line = toCsv([row(name, { id: 'r1', displayName: 'd' })]).split('\r\n')[1];
        return line.slice('r1,'.length, line.length - ',d,group,false,false,false,1,,'.length);
    };
    for (const [label, name, expected] of [
        ['= first', '=1+2', `"'=1+2"`],
        ['+ first', '+1+2', `"'+1+2"`],
        ['- first', '-1+2', `"'-1+2"`],
        ['@ first', '@SUM(A1)', `"'@SUM(A1)"`],
        ['a tab first', '\tx', `"'\tx"`],
        ['a CR first', '\rx', `"'\rx"`],
        ['= after a space', ' =1+2', `"' =1+2"`],
        ['+ after spaces and a tab', '  \t+1', `"'  \t+1"`],
        ['@ after a no-break space', '\u00a0@x', `"'\u00a0@x"`],
        ['- after an ideographic space', '\u3000-1', `"'\u3000-1"`],
        ['full-width =', '＝1+2', `"'＝1+2"`],
        ['full-width +', '＋1', `"'＋1"`],
        ['full-width -', '－1', `"'－1"`],
        ['full-width @', '＠SUM(A1)', `"'＠SUM(A1)"`],
    ] as const) {
        test(`CSV: a formula (${label}) gets a leading apostrophe`, () => {
            assert.equal(nameCell(name), expected);
        });
    }
    for (const [label, name, expected] of [
        ['a comma', 'a,b', '"a,b"'],
        ['a semicolon (German Excel splits on it)', 'a;=1+2', '"a;=1+2"'],
        ['a double quote', 'say "hi"', '"say ""hi"""'],
        ['an apostrophe', "Bob's", `"Bob's"`],
        ['a line feed', 'a\nb', '"a\nb"'],
        ['a carriage return', 'a\rb', '"a\rb"'],
    ] as const) {
        test(`CSV: a cell holding ${label} is quoted, so it stays one cell`, () => {
            assert.equal(nameCell(name), expected);
        });
    }

    test('CSV: a plain name, or a sign inside one, is left as it is', () => {
        assert.equal(nameCell('ops-team'), 'ops-team');
        assert.equal(nameCell('a=b+c@d'), 'a=b+c@d');
    });
});

describe("the report's per-question selections are bounded", () => {
    test(`a scan keeps the last ${SELECTIONS_KEPT} questions; the least recently asked is dropped and selected again when it returns`, () => {
        const selections = new Selections();
        const asked: Array<string> = [];
        const ask = (question: string) => selections.get(question, () => (asked.push(question), [row(question)]));
        ask('first');
        for (let i = 0; i < SELECTIONS_KEPT + 8; i++) {
            ask(`q${i}`);
            ask(`q0`); // asked again each time: the most recent, never dropped
        }
        assert.equal(selections.size, SELECTIONS_KEPT);
        assert.equal(asked.filter((question) => question === 'q0').length, 1);
        ask('first');
        assert.equal(asked.filter((question) => question === 'first').length, 2);
    });

    test('many distinct filters asked of one report scan leave at most the bound on it', async () => {
        const listed = Array.from({ length: 5 }, (_, i) => ({ _id: `g${i}`, name: `g${i}`, t: 'p' }));
        const cache = new ScanCache();
        const deps = {
            list: { allows: async () => undefined, all: async () => listed },
            rooms: { getById: async (id: string) => ({ id, type: 'p' }) as never },
            serverSettings: { getValueById: async () => true },
            cache,
        };
        for (let i = 0; i < SELECTIONS_KEPT * 3; i++) {
            const query = readReportQuery({ filter: `name-${i}` }, PAGING);
            assert.ok(!isRefusal(query));
            assert.ok(!isRefusal(await coverageReport(deps, { kind: 'bearer', token: 't' }, query)));
        }
        const scan = await cache.get(async () => assert.fail('the report scans once a minute'), false);
        assert.ok(!isRefusal(scan));
        assert.equal(scan.selections.size, SELECTIONS_KEPT);
    });
});

describe('the encryptAll job, run by run', () => {
    test('a run encrypts each group once, skips archived and federated ones with the reason, and records each for its starter: two calls a group', async () => {
        const job = fakeJob(['g1', 'g2', 'old', 'fed', 'done']);
        job.rooms.get('old')!.archived = true;
        job.rooms.get('fed')!.federated = true;
        job.rooms.get('done')!.encrypted = true;
        await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
        const state = job.state!;
        assert.equal(state.status, 'done');
        assert.deepEqual(state.counts, { total: 5, changed: 2, alreadyEncrypted: 1, skipped: 2, failed: 0 });
        assert.deepEqual(state.reasons, { archived: 1, federated: 1 });
        assert.deepEqual(job.writes, ['g1', 'g2']);
        assert.deepEqual(job.recorded, ['g1 by starter (bulk) as bulk:J:g1', 'g2 by starter (bulk) as bulk:J:g2']);
        assert.equal(job.pages, 1, 'the flags come with the list: no room is read');
    });

    test("Rocket.Chat's rate limiter pauses the line until it may go on; the group is tried again, not counted, its record taken back", async () => {
        const job = fakeJob(['g1', 'g2']);
        job.limitedOnce.add('g2');
        await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
        assert.equal(job.state!.status, 'running');
        assert.equal(job.state!.counts.changed, 1);
        assert.deepEqual(job.withdrawn, ['bulk:J:g2']);
        const [next] = job.scheduled;
        assert.equal(next.id, ENCRYPT_ALL_PROCESSOR);
        assert.deepEqual(next.data, { line: 'L1' });
        assert.ok(next.when.getTime() - Date.now() > 3000, 'waits at least the seconds the limiter named');
        await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
        assert.equal(job.state!.status, 'done');
        assert.deepEqual(job.writes, ['g1', 'g2', 'g2']);
        assert.equal(job.state!.counts.changed, 2);
    });

    test('after a restart in the middle of a page, a group already switched is not written again, and its history record is the same one', async () => {
        const job = fakeJob(['g1', 'g2']);
        // The run before the restart switched g1 and recorded it, but did not save the job.
        job.rooms.get('g1')!.encrypted = true;
        job.recorded.push('g1 by starter (bulk) as bulk:J:g1');
        job.state!.updatedAt = new Date(Date.now() - LEASE_MS - 1000).toISOString();
        await runChunk(job.deps, { processor: ENCRYPT_ALL_WATCH });
        assert.equal(job.state!.status, 'done');
        assert.deepEqual(job.writes, ['g2']);
        assert.equal(new Set(job.recorded).size, 2, 'one record per group');
        assert.deepEqual(job.state!.counts, { total: 2, changed: 1, alreadyEncrypted: 1, skipped: 0, failed: 0 });
    });

    test('a watch leaves a line that shows progress alone and looks again when its lease ends; a run of an older line stops', async () => {
        const job = fakeJob(['g1']);
        await runChunk(job.deps, { processor: ENCRYPT_ALL_WATCH });
        assert.deepEqual(job.writes, []);
        assert.equal(job.scheduled[0].id, ENCRYPT_ALL_WATCH);
        assert.equal(job.scheduled[0].data, undefined);
        await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'an older line' });
        assert.deepEqual(job.writes, []);
        assert.equal(job.state!.status, 'running');
    });

    test("the service account's rejected token ends the job with the reason", async () => {
        const job = fakeJob(['g1', 'g2']);
        job.rejected = true;
        await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
        assert.equal(job.state!.status, 'failed');
        assert.match(job.state!.error!, /did not accept the service account's token/);
        assert.deepEqual(job.writes, ['g1']);
        assert.deepEqual(job.recorded, [], 'a write that did not land leaves no record');
    });

    test('a listing the rate limiter refused waits the seconds it names, and goes on', async () => {
        const job = fakeJob(['g1']);
        const page = job.deps.groups.page;
        const error = 'Error, too many requests. Please slow down. You must wait 2 seconds before trying this endpoint again. [error-too-many-requests]';
        job.deps.groups.page = async () => Refusal.passedOn(429, { success: false, error });
        await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
        assert.equal(job.state!.status, 'running');
        const wait = job.scheduled[0].when.getTime() - Date.now();
        assert.ok(wait > 1500 && wait <= 3000, `waits ${wait} ms, not the default`);
        job.deps.groups.page = page;
        await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
        assert.equal(job.state!.status, 'done');
    });

    test('a listing the server did not answer (an instance restarting) is tried again later, not the end of the job', async () => {
        const job = fakeJob(['g1']);
        const page = job.deps.groups.page;
        job.deps.groups.page = async () => Refusal.serverUnanswered();
        await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
        assert.equal(job.state!.status, 'running');
        assert.equal(job.scheduled[0].id, ENCRYPT_ALL_PROCESSOR);
        job.deps.groups.page = page;
        await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
        assert.equal(job.state!.status, 'done');
        assert.deepEqual(job.writes, ['g1']);
    });

    test('pages go on from the offset saved: 250 groups, three pages, each group written once', async () => {
        const ids = Array.from({ length: 250 }, (_, i) => `g${String(i).padStart(3, '0')}`);
        const job = fakeJob(ids);
        await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
        assert.equal(job.state!.status, 'done');
        assert.equal(job.pages, 3);
        assert.deepEqual(job.writes, ids);
        assert.equal(job.state!.listed, 250);
    });
});

describe('groups.encryptAll.cancel', () => {
    const ADMIN = { id: 'adam', username: 'adam', roles: ['user', 'admin'] } as IUser;
    const CALLER = { kind: 'session', userId: 'adam', token: 'adam-token' } as const;
    /** The cancel door over the same fake job and table, for whoever Rocket.Chat lets list every room (`listRefusal` otherwise). */
    function canceller(job: ReturnType<typeof fakeJob>, listRefusal?: Refusal) {
        const deps = {
            record: job.deps.record,
            list: { allows: async () => listRefusal },
            authority: job.deps.authority,
            starts: new Serial(),
            cache: { forget: () => undefined },
        };
        return (jobId: unknown, caller: IUser = ADMIN) => cancelEncryptAll(deps, { caller, credential: CALLER, jobId });
    }

    test('a run stops before its next group: the groups not reached stay as they were, the job says cancelled and by whom, and no run follows', async () => {
        const ids = Array.from({ length: 30 }, (_, i) => `g${i}`);
        const job = fakeJob(ids);
        const cancel = canceller(job);
        job.afterWrite = async (rid) => {
            if (rid === 'g4') {
                const answer = await cancel('J');
                assert.ok(!isRefusal(answer), JSON.stringify(answer));
                assert.equal(answer.status, 'cancelled');
            }
        };
        await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
        assert.deepEqual(job.writes, ['g0', 'g1', 'g2', 'g3', 'g4']);
        assert.equal(ids.filter((id) => job.rooms.get(id)!.encrypted).length, 5);
        const state = job.state!;
        assert.equal(state.status, 'cancelled');
        assert.deepEqual(state.cancelledBy, { id: 'adam', username: 'adam' });
        assert.ok(state.finishedAt);
        assert.equal(state.counts.changed, 5, 'the group written as the cancel came is counted');
        assert.deepEqual(job.scheduled, [], 'no further run');
        // A run that comes due later (a watch, a scheduled run) does nothing.
        await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
        await runChunk(job.deps, { processor: ENCRYPT_ALL_WATCH });
        assert.equal(job.writes.length, 5);
    });

    test("a run saving its page as the cancel lands does not write 'running' over it: its counts go into the cancelled job", async () => {
        const job = fakeJob(['g1', 'g2']);
        job.afterWrite = async (rid) => {
            if (rid === 'g2') {
                // The cancel's save landed after this run's last look at the mark.
                job.state = { ...job.state!, status: 'cancelled', cancelledBy: { id: 'adam', username: 'adam' }, finishedAt: new Date().toISOString() };
            }
        };
        await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
        assert.equal(job.state!.status, 'cancelled');
        assert.equal(job.state!.counts.changed, 2);
        assert.deepEqual(job.scheduled, []);
    });

    test('an unknown job is job-not-found, a job that ended is a 400 saying so, a missing jobId is invalid-params', async () => {
        const job = fakeJob(['g1']);
        const cancel = canceller(job);
        assert.deepEqual(await cancel('nope'), Refusal.jobNotFound());
        const missing = await cancel(undefined);
        assert.ok(isRefusal(missing));
        assert.deepEqual([missing.status, missing.errorType, missing.error], [400, 'invalid-params', "must have required property 'jobId'"]);
        assert.equal(((await cancel(7)) as Refusal).errorType, 'invalid-params');
        await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
        assert.equal(job.state!.status, 'done');
        const ended = await cancel('J');
        assert.deepEqual(ended, Refusal.jobNotRunning('J', 'done'));
        assert.deepEqual([ended.status, ended.error], [400, 'The encryptAll job J is not running: it is done [error-app-job-not-running]']);
    });

    test('the rights of a start, checked before the job is looked up: nothing is cancelled without them', async () => {
        const job = fakeJob(['g1']);
        const notAuthorized = Refusal.passedOn(400, { success: false, error: 'error-not-authorized' });
        assert.deepEqual(await canceller(job, notAuthorized)('J'), notAuthorized);
        assert.deepEqual(await canceller(job)('J', { id: 'ed', username: 'ed', roles: ['user', 'moderator'] } as IUser), Refusal.editNotAllowed(['admin']));
        assert.deepEqual(await canceller(job)('nope', { id: 'ed', username: 'ed', roles: ['user'] } as IUser), Refusal.editNotAllowed(['admin']));
        job.allowed = { ...(job.allowed as AllowedRoles), toggle: [] };
        assert.deepEqual(await canceller(job)('J'), Refusal.toggleNotAllowed([]));
        job.allowed = { unavailable: true };
        assert.deepEqual(await canceller(job)('J'), Refusal.permissionsUnavailable());
        assert.equal(job.state!.status, 'running');
        assert.equal(job.mark, undefined);
    });
});

describe('an encryptAll job whose starter loses the rights to start it', () => {
    for (const [what, lose, why] of [
        ['their admin role is taken away', (job: ReturnType<typeof fakeJob>) => (job.users.get('u1')!.roles = ['user']), /@starter no longer holds edit-room/],
        [
            'the table no longer lets their roles switch encryption',
            (job: ReturnType<typeof fakeJob>) => (job.allowed = { ...(job.allowed as AllowedRoles), toggle: [] }),
            /@starter no longer holds toggle-room-e2e-encryption/,
        ],
        ['they are deactivated', (job: ReturnType<typeof fakeJob>) => (job.users.get('u1')!.isEnabled = false), /@starter was deactivated/],
        ['they are deleted', (job: ReturnType<typeof fakeJob>) => job.users.delete('u1'), /@starter no longer exists/],
    ] as const) {
        test(`${what}: the next run ends it failed, naming what was lost, and writes nothing more`, async () => {
            const job = fakeJob(['g1', 'g2', 'g3']);
            // The first run switches g1, then the rate limiter pauses it; meanwhile the rights go.
            job.limitedOnce.add('g2');
            await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
            assert.equal(job.state!.status, 'running');
            lose(job);
            await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
            assert.equal(job.state!.status, 'failed');
            assert.match(job.state!.error!, why);
            assert.deepEqual(job.writes, ['g1', 'g2'], 'nothing written after the rights went');
            assert.deepEqual(
                ['g1', 'g2', 'g3'].map((id) => job.rooms.get(id)!.encrypted),
                [true, false, false],
            );
            assert.deepEqual(job.scheduled.length, 1, 'no run after the one that ended it');
        });
    }

    test('a table the service account cannot read now (the rate limiter) pauses the job; it goes on once the table answers', async () => {
        const job = fakeJob(['g1']);
        const allowed = job.allowed;
        const error = 'Error, too many requests. Please slow down. You must wait 7 seconds before trying this endpoint again. [error-too-many-requests]';
        job.allowed = { unavailable: true, answer: { statusCode: 429, body: { success: false, error } } };
        await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
        assert.equal(job.state!.status, 'running');
        assert.deepEqual(job.writes, []);
        const wait = job.scheduled[0].when.getTime() - Date.now();
        assert.ok(wait > 6000 && wait <= 8000, `waits the ${wait} ms the limiter named, not the default`);
        job.allowed = allowed;
        await runChunk(job.deps, { processor: ENCRYPT_ALL_PROCESSOR, line: 'L1' });
        assert.equal(job.state!.status, 'done');
    });
});

function row(name: string, overrides: Partial<GroupRow> = {}): GroupRow {
    return {
        id: `id-${name}`,
        name,
        displayName: name,
        kind: 'group',
        encrypted: false,
        archived: false,
        federated: false,
        members: 1,
        lastActivity: null,
        ...overrides,
    };
}

/** A job over the private groups `ids` (oldest first), with the list, the REST route and the scheduler it uses. */
function fakeJob(ids: Array<string>) {
    const now = new Date().toISOString();
    const job = {
        state: {
            jobId: 'J',
            status: 'running',
            by: { id: 'u1', username: 'starter' },
            includeArchived: false,
            startedAt: now,
            updatedAt: now,
            listed: 0,
            line: 'L1',
            counts: { total: 0, changed: 0, alreadyEncrypted: 0, skipped: 0, failed: 0 },
            reasons: {},
            skipped: [],
            failed: [],
        } as JobState | undefined,
        rooms: new Map(ids.map((id) => [id, { encrypted: false, archived: false, federated: false }])),
        pages: 0,
        writes: [] as Array<string>,
        recorded: [] as Array<string>,
        withdrawn: [] as Array<string>,
        scheduled: [] as Array<{ id: string; when: Date; data?: Record<string, unknown> }>,
        limitedOnce: new Set<string>(),
        rejected: false,
        /** The starter as the user reader has them now. */
        users: new Map<string, Partial<IUser>>([['u1', { id: 'u1', username: 'starter', roles: ['user', 'admin'], isEnabled: true }]]),
        /** The live table within the app's settings, as the service account reads it: admin holds both permissions. */
        allowed: {
            editRoom: [{ id: 'admin', name: 'admin' }],
            toggle: [{ id: 'admin', name: 'admin' }],
            decidedBy: 'table',
        } as AllowedRoles | TableUnavailable,
        mark: undefined as CancelMark | undefined,
        /** Called after each write that landed (a test acts in the middle of a run). */
        afterWrite: (_rid: string) => undefined as void | Promise<void>,
        deps: undefined as unknown as ChunkDeps,
    };
    const record = {
        state: async () => job.state && structuredClone(job.state),
        save: async (state: JobState) => {
            state.updatedAt = new Date().toISOString();
            job.state = structuredClone(state);
        },
        cancelled: async (jobId: string) => (job.mark?.jobId === jobId ? job.mark : undefined),
        markCancelled: async (mark: CancelMark) => void (job.mark = mark),
    } as unknown as JobRecord;
    job.deps = {
        record,
        groups: {
            page: async (_credential: unknown, offset: number) => {
                job.pages++;
                const groups = ids.slice(offset, offset + 100).map((id) => ({ _id: id, name: id, ...job.rooms.get(id)! }));
                return { groups, total: ids.length };
            },
        },
        rest: {
            post: async (_route: string, _credential: unknown, body: Record<string, unknown>) => {
                const rid = String(body.rid);
                job.writes.push(rid);
                if (job.rejected) {
                    return { statusCode: 401, body: { status: 'error', message: 'You must be logged in to do this.' } };
                }
                if (job.limitedOnce.delete(rid)) {
                    const error =
                        'Error, too many requests. Please slow down. You must wait 4 seconds before trying this endpoint again. [error-too-many-requests]';
                    return { statusCode: 429, body: { success: false, error } };
                }
                job.rooms.get(rid)!.encrypted = true;
                await job.afterWrite(rid);
                return { statusCode: 200, body: { rid, success: true } };
            },
        },
        settings: { serviceAccount: async () => ({ kind: 'session', userId: 'svc', token: 'svc-token' }) },
        scheduler: {
            scheduleOnce: async (schedule: { id: string; when: unknown; data?: Record<string, unknown> }) => {
                job.scheduled.push({ id: schedule.id, when: new Date(schedule.when as Date), data: schedule.data });
            },
        },
        changes: {
            record: async (roomId, { by, door, key }) => {
                const line = `${roomId} by ${by?.username} (${door}) as ${key}`;
                if (!job.recorded.includes(line)) {
                    job.recorded.push(line);
                }
                return key;
            },
            withdraw: async (_roomId, key) => {
                job.withdrawn.push(String(key));
                job.recorded = job.recorded.filter((line) => !line.endsWith(` as ${key}`));
            },
        },
        cache: { forget: () => undefined },
        logger: { warn: () => undefined, error: () => undefined },
        authority: { allowedRoles: async () => job.allowed },
        users: { getById: async (id: string) => job.users.get(id) as IUser },
    } as ChunkDeps;
    return job;
}
