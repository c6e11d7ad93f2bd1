// "One job at a time" across instances that share only the app's persistence (no compare-and-set):
// starts at the same instant, one on each instance, must come to one winner.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { type BulkDeps, startEncryptAll } from '../../lib/bulk/EncryptAllJob';
import { JobClaims } from '../../lib/bulk/JobClaims';
import { JobRecord } from '../../lib/bulk/JobRecord';
import { Serial } from '../../lib/history/Serial';
import { isRefusal } from '../../lib/Refusal';
import { workspace } from '../fakes/harness';

/** The claims of one instance over the workspace's shared persistence. */
const instance = (ws: ReturnType<typeof workspace>, settleMs = 20) => new JobClaims(ws.read().getPersistenceReader(), ws.persistence(), settleMs);

describe('job claims', () => {
    test('ten starts at once, one per instance: exactly one wins, and every loser names it', async () => {
        const ws = workspace();
        const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => instance(ws).claim(`job-${i}`)));
        const winners = outcomes.filter((outcome) => outcome.won);
        assert.equal(winners.length, 1);
        const winner = outcomes.findIndex((outcome) => outcome.won);
        for (const outcome of outcomes) {
            if (!outcome.won) {
                assert.equal(outcome.winner, `job-${winner}`);
            }
        }
    });

    test('a loser takes its claim back; the winner releases its own, so the next start can win', async () => {
        const ws = workspace();
        const [first, second] = await Promise.all([instance(ws).claim('a'), instance(ws).claim('b')]);
        const won = first.won ? first : second;
        assert.ok(won.won);
        await won.release();
        assert.equal(ws.records.filter((record) => record.associations.some((association) => association.id === 'encrypt-all-claim')).length, 0);
        assert.ok((await instance(ws).claim('c')).won);
    });

    test('a start whose claim comes while another is still settling loses to it', async () => {
        const ws = workspace();
        const early = instance(ws, 60).claim('early');
        await new Promise((resolve) => setTimeout(resolve, 10));
        const late = await instance(ws, 60).claim('late');
        assert.deepEqual(late, { won: false, winner: 'early' });
        assert.ok((await early).won);
    });
});

describe('encryptAll started on two instances at the same instant', () => {
    const ADMIN = { id: 'adam', username: 'adam', roles: ['user', 'admin'] } as IUser;
    /** One instance's start door: its own line for starts (memory), the workspace's persistence shared. */
    function instanceOf(ws: ReturnType<typeof workspace>, scheduled: Array<string>): BulkDeps {
        const reader = ws.read().getPersistenceReader();
        return {
            record: new JobRecord(reader, ws.persistence()),
            list: { allows: async () => undefined },
            serverSettings: { getValueById: async () => true },
            serviceAccount: async () => ({ state: 'checked', username: 'svc', missing: [], fullAdmin: false }),
            authority: {
                allowedRoles: async () => ({ editRoom: [{ id: 'admin', name: 'admin' }], toggle: [{ id: 'admin', name: 'admin' }], decidedBy: 'table' }),
            },
            scheduler: { scheduleOnce: async (schedule) => void scheduled.push(schedule.id) },
            starts: new Serial(),
            claims: new JobClaims(reader, ws.persistence(), 20),
            scan: async () => {
                throw new Error('no dry run here');
            },
        };
    }

    test('one job, one error-app-job-running: the instances share no memory, only the persistence', async () => {
        const ws = workspace();
        const scheduled: Array<string> = [];
        const start = (deps: BulkDeps) =>
            startEncryptAll(deps, { caller: ADMIN, credential: { kind: 'session', userId: 'adam', token: 't' }, dryRun: false, includeArchived: false });
        const answers = await Promise.all([start(instanceOf(ws, scheduled)), start(instanceOf(ws, scheduled))]);
        const refused = answers.filter(isRefusal);
        assert.equal(refused.length, 1);
        assert.equal(refused[0].errorType, 'error-app-job-running');
        const started = answers.find((answer) => !isRefusal(answer)) as { jobId: string };
        assert.equal((await new JobRecord(ws.read().getPersistenceReader()).state())?.jobId, started.jobId);
        assert.equal(scheduled.filter((id) => id === 'encrypt-all').length, 1, 'one line of runs');
    });
});
