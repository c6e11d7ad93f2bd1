// "One job at a time" across instances that share only the app's persistence (no compare-and-set):
// starts at the same instant, one on each instance, must come to one winner.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { JobClaims } from '../../lib/bulk/JobClaims';
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
