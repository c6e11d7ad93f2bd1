// The stand-in's scheduler on a cluster: two instances' schedulers over one database file run each
// job once, as agenda's lock makes Rocket.Chat's instances do, and a lock left by an instance that
// went away is taken again once agenda's lock lifetime has passed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import { JobScheduler, LOCK_LIFETIME_MS } from '../standin/apps/scheduler';
import { Storage } from '../standin/storage/Storage';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the scheduler of a cluster (two instances, one database)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'standin-scheduler-'));
    const schedulers: Array<JobScheduler> = [];
    after(() => {
        schedulers.forEach((scheduler) => scheduler.stop());
        rmSync(dir, { recursive: true, force: true });
    });
    /** Two instances over one database file, each looking for due jobs every 20 ms. */
    const cluster = (name: string) => {
        const path = join(dir, `${name}.sqlite`);
        const instances = [new Storage(path), new Storage(path)].map((storage) => {
            const scheduler = new JobScheduler(storage, () => undefined, { processEveryMs: 20 });
            schedulers.push(scheduler);
            return { storage, scheduler };
        });
        return instances;
    };

    test('a one-time job scheduled on one instance runs once, on whichever locks it', async () => {
        const [one, two] = cluster('once');
        const runs: Array<string> = [];
        for (const [label, { scheduler }] of [
            ['1', one],
            ['2', two],
        ] as const) {
            scheduler.define('job_app', async () => {
                runs.push(label);
                await sleep(50);
            });
        }
        one.scheduler.schedule(new Date(Date.now() + 50), 'job_app', {});
        await sleep(400);
        assert.equal(runs.length, 1, runs.join(', '));
        assert.deepEqual(
            two.scheduler.jobs(() => true),
            [],
            'done and removed',
        );
    });

    test('a recurring job runs once a period across both, never twice at once', async () => {
        const [one, two] = cluster('recurring');
        let running = 0;
        let overlapped = false;
        let runs = 0;
        for (const { scheduler } of [one, two]) {
            scheduler.define('every_app', async () => {
                running++;
                overlapped ||= running > 1;
                runs++;
                // A run that ends at once: its lock is gone when the other instance's timer fires,
                // so only the next run's time, moved on in the same write as the lock, stops it.
                await Promise.resolve();
                running--;
            });
        }
        one.scheduler.every(150, 'every_app', {}, true);
        await sleep(1000);
        assert.equal(overlapped, false);
        // About 1000 / 150 periods; two instances each running each period would make twice as many.
        assert.ok(runs >= 4 && runs <= 7, `${runs} runs`);
    });

    test('a lock left by an instance that went away holds for the lock lifetime, then the job runs again', async () => {
        const [one, two] = cluster('lock');
        const runs: Array<string> = [];
        two.scheduler.define('stuck_app', async () => void runs.push('2'));
        const job = one.scheduler.schedule(new Date(), 'stuck_app', {});
        // Instance 1 locked it and died before it finished.
        one.storage.appJobs.update(job._id, (found) => {
            found.lockedAt = new Date();
        });
        two.scheduler.runNow((candidate) => candidate._id === job._id);
        await sleep(100);
        assert.deepEqual(runs, [], 'a fresh lock is honoured');
        one.storage.appJobs.update(job._id, (found) => {
            found.lockedAt = new Date(Date.now() - LOCK_LIFETIME_MS - 1);
        });
        two.scheduler.runNow((candidate) => candidate._id === job._id);
        await sleep(100);
        assert.deepEqual(runs, ['2']);
    });
});
