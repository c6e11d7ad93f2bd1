// A policy that holds when the app misses things: a group switched off while the app was disabled,
// while its runtime lost the server's events, or (before 7.4) anywhere outside the app is found by
// the reconcile and switched back on, and the history says what happened. Needs the stand-in's
// knobs (losing events, making a scheduled job due now); skipped on a real server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { Person, Scenario, World } from './scenario';
import { mapInBatches } from '../support/batches';
import { eventually } from '../support/eventually';

interface Entry {
    encrypted: boolean;
    door: string;
    by?: { username: string };
}

export function reconcileSuite(scenario: () => Scenario): void {
    describe('the reconcile: the policy holds when the app misses a change', () => {
        let s: Scenario;
        let service: Person;
        let supported = true;
        before(async () => {
            s = scenario();
            service = await s.person('r-service', ['admin', 'user']);
            supported = (await s.target.admin.request('POST', '/standin/faults', { faults: [] })).status === 200;
        });
        after(async () => {
            if (supported) {
                await s.target.admin.request('POST', '/standin/faults', { faults: [] });
            }
        });

        const keeping = <T>(allowOff: boolean, run: () => Promise<T>) =>
            s.withAppSettings(
                { allow_turning_off: allowOff, reconcile_minutes: 1, service_account_user_id: service.id, service_account_token: service.client.authToken },
                run,
            );
        const history = async (w: World): Promise<Array<Entry>> =>
            (await w.member.client.appCall(s.target.appId, `groups.encryptionHistory?roomId=${w.group._id}`, 'GET')).body.history;
        const line = (entry: Entry | undefined) => entry && `${entry.encrypted ? 'on' : 'off'}${entry.by ? ` by ${entry.by.username}` : ''} (${entry.door})`;
        /** One reconcile period passes: the recurring job comes due now. */
        const periodPasses = async () => {
            const due = await s.target.admin.request('POST', '/standin/scheduler.runNow', { processor: 'encryption-reconcile' });
            assert.equal(due.status, 200, JSON.stringify(due.body));
            assert.ok(due.body.due >= 1, 'the recurring reconcile is scheduled');
        };
        const losingEvents = async <T>(run: () => Promise<T>) => {
            await s.target.admin.request('POST', '/standin/faults', { faults: ['events-lost'] });
            try {
                return await run();
            } finally {
                await s.target.admin.request('POST', '/standin/faults', { faults: [] });
            }
        };
        /** The group is encrypted again, and the history ends with the reconcile's switch-back. */
        const switchedBack = async (w: World) => {
            assert.ok(await eventually(async () => (await s.encryptedOf(w.owner, w.group._id)) === true, 15_000), 'not switched back on');
            assert.ok(
                await eventually(async () => line((await history(w)).at(-1)) === `on by ${service.username} (reconcile)`),
                JSON.stringify(await history(w)),
            );
        };
        const encryptedByApp = async (w: World) => {
            const on = await s.viaApp(w.owner, { roomId: w.group._id, encrypted: true });
            assert.equal(on.status, 200, JSON.stringify(on.body));
        };

        test('the recurring reconcile runs every reconcile_minutes, as one job of the scheduler', async (t) => {
            if (!supported) {
                return t.skip('needs the stand-in (GET /standin/scheduler.jobs)');
            }
            await keeping(false, async () => {
                const listed = await eventually(async () => {
                    const { jobs } = (await s.target.admin.request('GET', '/standin/scheduler.jobs')).body;
                    const recurring = jobs.filter(
                        (job: { name: string; type: string }) => job.name.startsWith('encryption-reconcile_') && job.type === 'single',
                    );
                    return recurring.length === 1 && recurring[0].repeatInterval === '1 minutes';
                });
                assert.ok(listed, 'one recurring job, every minute');
            });
        });

        test('a switch-off made while the app was disabled is undone within seconds of enabling it', async (t) => {
            if (!supported) {
                return t.skip('needs the stand-in');
            }
            const w = await s.world();
            await keeping(false, async () => {
                await encryptedByApp(w);
                const status = (status: string) => s.target.admin.request('POST', `/api/apps/${s.target.appId}/status`, { status });
                assert.equal((await status('manually_disabled')).status, 200);
                try {
                    assert.equal((await s.viaCore(w.owner, { roomId: w.group._id, encrypted: false })).status, 200);
                } finally {
                    assert.equal((await status('manually_enabled')).status, 200);
                }
                await switchedBack(w);
                assert.equal(line((await history(w)).at(-2)), 'off (unseen)');
            });
        });

        test('a switch-off made while the runtime lost the server’s events is undone within one period', async (t) => {
            if (!supported) {
                return t.skip('needs the stand-in');
            }
            const w = await s.world();
            await keeping(false, async () => {
                await encryptedByApp(w);
                await losingEvents(async () => assert.equal((await s.viaCore(w.owner, { roomId: w.group._id, encrypted: false })).status, 200));
                await new Promise((resolve) => setTimeout(resolve, 300));
                assert.equal(await s.encryptedOf(w.owner, w.group._id), false, 'nobody told the app');
                await periodPasses();
                await switchedBack(w);
                assert.deepEqual(await s.e2eNotices(w.owner, w.group._id), [
                    `room_e2e_enabled by ${w.owner.username}`,
                    `room_e2e_disabled by ${w.owner.username}`,
                    `room_e2e_enabled by ${service.username}`,
                ]);
            });
        });

        test('before 7.4 (no events at all), a switch-off through Rocket.Chat’s own route is undone within one period', async (t) => {
            if (!supported || !s.target.modifierWorks) {
                return t.skip(supported ? 'on 7.4+ the guard undoes it at once (its own suite)' : 'needs the stand-in');
            }
            const w = await s.world();
            await keeping(false, async () => {
                await encryptedByApp(w);
                assert.equal((await s.viaCore(w.owner, { roomId: w.group._id, encrypted: false })).status, 200);
                await periodPasses();
                await switchedBack(w);
            });
        });

        test('with turning off allowed, the group stays off and the history shows the change as unseen', async (t) => {
            if (!supported) {
                return t.skip('needs the stand-in');
            }
            const w = await s.world();
            await keeping(true, async () => {
                await encryptedByApp(w);
                await losingEvents(async () => assert.equal((await s.viaCore(w.owner, { roomId: w.group._id, encrypted: false })).status, 200));
                await periodPasses();
                assert.ok(await eventually(async () => line((await history(w)).at(-1)) === 'off (unseen)', 15_000), JSON.stringify(await history(w)));
                assert.equal(await s.encryptedOf(w.owner, w.group._id), false);
            });
        });

        test("another user switches 2,100 groups of her own on through Rocket.Chat's route: a group's history stays complete", async (t) => {
            if (!supported || s.target.modifierWorks) {
                // Before 7.4 the server tells the app of no change made through its route: the
                // flood would add nothing to the history, and prove nothing.
                return t.skip(
                    supported ? 'before 7.4 the server tells the app of no change made elsewhere' : 'needs the stand-in (POST /api/v1/standin/groups.seed)',
                );
            }
            const w = await s.world();
            const mallory = await s.person('mallory');
            await keeping(true, async () => {
                for (const encrypted of [true, false, true]) {
                    assert.equal((await s.viaApp(w.owner, { roomId: w.group._id, encrypted })).status, 200);
                }
                const before = (await history(w)).map(line);
                assert.equal(before.length, 3);
                const seeded = await s.target.admin.request('POST', '/api/v1/standin/groups.seed', {
                    count: 2100,
                    prefix: s.unique('flood'),
                    ownerId: mallory.id,
                });
                assert.equal(seeded.status, 200, JSON.stringify(seeded.body));
                const answers = await mapInBatches(seeded.body.rooms as Array<{ _id: string }>, 10, (room) =>
                    mallory.client.request('POST', '/api/v1/groups.setEncrypted', { roomId: room._id, encrypted: true }),
                );
                answers.forEach((on) => assert.equal(on.status, 200, JSON.stringify(on.body)));
                await periodPasses();
                await new Promise((resolve) => setTimeout(resolve, 500));
                assert.deepEqual((await history(w)).map(line), before);
            });
        });
    });
}
