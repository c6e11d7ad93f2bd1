// The app on several instances (docs/instances.md): each instance runs its own
// copy of the app, an event fires only where the message was saved, and the app's own REST calls
// land on any instance. Driven through the balancer and through each instance directly; on a
// target without instances (one server) it is skipped.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import type { Person, Scenario } from './scenario';
import { eventually } from '../support/eventually';
import { rcError } from '../support/rocketchat';

/** How long after the last change a test waits for a second record that must never come. */
const SETTLE_MS = 2000;

export function clusterSuite(scenario: () => Scenario): void {
    describe('several instances: each change recorded once, one switch-back, one job', () => {
        let s: Scenario;
        let owner: Person;
        let service: Person;
        let instances: Array<string>;
        before(async () => {
            s = scenario();
            instances = s.target.instanceUrls ?? [];
            [owner, service] = await Promise.all([s.person('k-owner'), s.person('k-service', ['admin', 'user'])]);
        });
        /** `run` with the app's service account set (the guard and the job write through it) and these settings. */
        const withServiceAccount = <T>(values: Record<string, unknown>, run: () => Promise<T>) =>
            s.withAppSettings({ service_account_user_id: service.id, service_account_token: service.client.authToken, ...values }, run);
        const skipped = (t: { skip(message: string): void }) => {
            if (instances.length < 2) {
                t.skip('the target is one server, not a cluster');
                return true;
            }
            return false;
        };
        /** `who`, talking to instance `index` (0: the first) instead of the balancer. */
        const on = (who: Person, index: number): Person => ({ ...who, client: who.client.at(instances[index]) });
        const history = async (roomId: string): Promise<Array<[boolean, string, string | undefined]>> => {
            const answer = await owner.client.appCall(s.target.appId, `groups.encryptionHistory?roomId=${roomId}`, 'GET');
            assert.equal(answer.status, 200, JSON.stringify(answer.body));
            return answer.body.history.map((entry: any) => [entry.encrypted, entry.door, entry.by?.username]);
        };
        /** The group's history once it holds `count` entries (the events that record core changes come a moment later), and after a pause that would let a duplicate in. */
        const settledHistory = async (roomId: string, count: number) => {
            await eventually(async () => (await history(roomId)).length >= count, 15_000, 100);
            await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
            return history(roomId);
        };
        const group = async (label: string) => (await owner.client.post('groups.create', { name: s.unique(label) })).group as { _id: string };

        test('20 changes through the balancer, by the app and by the core route: 20 entries, each with its door and caller', async (t) => {
            if (skipped(t)) {
                return;
            }
            const { _id: roomId } = await group('k-twenty');
            const expected: Array<[boolean, string, string]> = [];
            for (let i = 0; i < 20; i++) {
                const encrypted = i % 2 === 0;
                // The app's endpoint writes through the server's route from 7.4, which the balancer
                // may hand to the other instance: that instance sees the change's event, and must
                // know it for the app's own.
                const viaApp = i % 4 < 2;
                const answer = viaApp ? await s.viaApp(owner, { roomId, encrypted }) : await s.viaCore(owner, { roomId, encrypted });
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                expected.push([encrypted, viaApp ? 'endpoint' : 'core', owner.username]);
                if (!viaApp) {
                    // A core change is recorded from its event: the next change waits for it, so the order is the changes' order.
                    await eventually(async () => (await history(roomId)).length === i + 1, 10_000, 50);
                }
            }
            assert.deepEqual(await settledHistory(roomId, 20), expected);
        });

        test('10 + 10 changes at once on the two instances: one entry per change', async (t) => {
            if (skipped(t)) {
                return;
            }
            const groups = await Promise.all(Array.from({ length: 20 }, (_, i) => group(`k-concurrent-${i}`)));
            const answers = await Promise.all(groups.map((made, i) => s.viaApp(on(owner, i % 2), { roomId: made._id, encrypted: true })));
            assert.deepEqual(
                answers.map((answer) => answer.status),
                groups.map(() => 200),
                JSON.stringify(answers.find((answer) => answer.status !== 200)?.body),
            );
            // The events reach either instance a moment later: after one pause, no group has a second entry.
            await settledHistory(groups[0]._id, 1);
            for (const made of groups) {
                assert.deepEqual(await history(made._id), [[true, 'endpoint', owner.username]]);
            }
        });

        test('a core switch-off on instance 2, where turning off is not allowed: one switch-back, one guard entry', async (t) => {
            if (skipped(t)) {
                return;
            }
            const { _id: roomId } = await group('k-guard');
            assert.equal((await s.viaApp(owner, { roomId, encrypted: true })).status, 200);
            await withServiceAccount({ allow_turning_off: false }, async () => {
                const off = await s.viaCore(on(owner, 1), { roomId, encrypted: false });
                assert.equal(off.status, 200, JSON.stringify(off.body));
                assert.ok(await eventually(async () => (await s.encryptedOf(owner, roomId)) === true, 15_000, 100), 'the group was not switched back');
                const entries = await settledHistory(roomId, 3);
                assert.deepEqual(
                    entries.map(([encrypted, door]) => [encrypted, door]),
                    [
                        [true, 'endpoint'],
                        [false, 'core'],
                        [true, 'guard'],
                    ],
                );
                const notices = await s.e2eNotices(owner, roomId);
                assert.deepEqual(notices, [
                    `room_e2e_enabled by ${owner.username}`,
                    `room_e2e_disabled by ${owner.username}`,
                    `room_e2e_enabled by ${service.username}`,
                ]);
            });
        });

        test('encryptAll started on both instances at the same instant: one job, one refusal, every group switched on once', async (t) => {
            if (skipped(t)) {
                return;
            }
            const admin = await s.person('k-admin', ['admin', 'user']);
            const groups = await Promise.all(Array.from({ length: 6 }, (_, i) => group(`k-job-${i}`)));
            await withServiceAccount({}, async () => {
                const starts = await Promise.all([0, 1].map((index) => on(admin, index).client.appCall(s.target.appId, 'groups.encryptAll', 'POST', {})));
                const started = starts.filter((answer) => answer.status === 200);
                const refused = starts.filter((answer) => answer.status !== 200);
                assert.equal(started.length, 1, JSON.stringify(starts.map((answer) => answer.body)));
                const jobId = started[0].body.jobId;
                assert.deepEqual(refused[0].body, rcError(`An encryptAll job is already running: ${jobId}`, 'error-app-job-running'));
                let end: any;
                assert.ok(
                    await eventually(
                        async () => {
                            const answer = await admin.client.appCall(s.target.appId, `groups.encryptAll?jobId=${jobId}`, 'GET');
                            end = answer.body;
                            return answer.status === 200 && end.status !== 'running';
                        },
                        240_000,
                        500,
                    ),
                    `the job did not end: ${JSON.stringify(end)}`,
                );
                assert.equal(end.status, 'done', JSON.stringify(end));
                assert.equal(end.counts.failed, 0, JSON.stringify(end.failed));
            });
            await settledHistory(groups[0]._id, 1);
            for (const made of groups) {
                assert.equal(await s.encryptedOf(owner, made._id), true);
                assert.deepEqual(await s.e2eNotices(owner, made._id), [`room_e2e_enabled by ${service.username}`]);
                assert.deepEqual(await history(made._id), [[true, 'bulk', admin.username]]);
            }
        });
    });
}
