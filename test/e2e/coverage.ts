// The admin's view of the whole workspace, through the server as an admin uses it: the coverage
// report (JSON and CSV), `/encrypt report`, and encrypting every group with the encryptAll job.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { before, describe, test } from 'node:test';

import type { Person, Scenario } from './scenario';
import { appZip } from './target';
import { mapInBatches } from '../support/batches';
import { eventually } from '../support/eventually';
import { ADMIN_ROOMS_NOT_AUTHORIZED, rcError } from '../support/rocketchat';

export function coverageSuite(scenario: () => Scenario): void {
    describe("the admin's view: coverage report and encryptAll", () => {
        let s: Scenario;
        let admin: Person;
        let service: Person;
        let owner: Person;
        before(async () => {
            s = scenario();
            [admin, service, owner] = await Promise.all([
                s.person('c-admin', ['admin', 'user']),
                s.person('c-service', ['admin', 'user']),
                s.person('c-owner'),
            ]);
        });
        const report = (who: Person, query: Record<string, string>) =>
            who.client.appCall(s.target.appId, `groups.encryptionReport?${new URLSearchParams(query)}`, 'GET');
        const encryptAll = (who: Person, body: unknown) => who.client.appCall(s.target.appId, 'groups.encryptAll', 'POST', body);
        const progress = (who: Person, jobId: string) => who.client.appCall(s.target.appId, `groups.encryptAll?jobId=${jobId}`, 'GET');
        /** Groups owned by `owner`, named with one prefix that no other test uses; the admin is in none. */
        const groups = async (label: string, count: number) => {
            const prefix = s.unique(label);
            const made = [];
            for (let i = 0; i < count; i++) {
                made.push((await owner.client.post('groups.create', { name: `${prefix}-${i}` })).group);
            }
            return { prefix, made: made as Array<{ _id: string; name: string }> };
        };
        /**
         * Every private group of the workspace, as Rocket.Chat's own admin list gives them
         * (`groups.listAll`; `count=0` is all of them while `API_Allow_Infinite_Count` is on, its default).
         */
        const everyGroup = async (): Promise<Array<{ _id: string; encrypted?: boolean }>> => (await admin.client.get('groups.listAll', { count: '0' })).groups;
        const withServiceAccount = <T>(run: () => Promise<T>) =>
            s.withAppSettings({ service_account_user_id: service.id, service_account_token: service.client.authToken }, run);
        const finished = async (jobId: string) => {
            let last: any;
            assert.ok(
                await eventually(
                    async () => {
                        // A 503 (the server did not answer the app in time, under load) is asked again.
                        const answer = await progress(admin, jobId);
                        last = answer.body;
                        return answer.status === 200 && last.status !== 'running';
                    },
                    // The job encrypts every group of the workspace, those the earlier suites made too.
                    240_000,
                    500,
                ),
                `the job did not end: ${JSON.stringify(last)}`,
            );
            return last;
        };

        test('an admin who is in none of the groups sees each, with its state, kind and totals; a page, a filter, a sort and CSV', async () => {
            const { prefix, made } = await groups('report', 3);
            await owner.client.post('groups.setEncrypted', { roomId: made[1]._id, encrypted: true });
            const answer = await report(admin, { filter: prefix, refresh: 'true' });
            assert.equal(answer.status, 200, JSON.stringify(answer.body));
            assert.equal(answer.body.success, true);
            assert.equal(answer.body.total, 3);
            assert.deepEqual(
                answer.body.groups.map((row: any) => [row.name, row.encrypted, row.kind, row.archived, row.federated, row.members]),
                made.map((group, i) => [group.name, i === 1, 'group', false, false, 1]),
            );
            assert.ok(answer.body.totals.groups >= 3 && answer.body.totals.encrypted >= 1, JSON.stringify(answer.body.totals));
            assert.ok(!Number.isNaN(Date.parse(answer.body.scannedAt)));

            const page = await report(admin, { filter: prefix, count: '1', offset: '1', sort: JSON.stringify({ name: -1 }) });
            assert.deepEqual([page.body.count, page.body.offset, page.body.total, page.body.groups[0].name], [1, 1, 3, made[1].name]);
            const encrypted = await report(admin, { filter: prefix, state: 'encrypted' });
            assert.deepEqual(
                encrypted.body.groups.map((row: any) => row.id),
                [made[1]._id],
            );

            const csv = await admin.client.request('GET', `/api/apps/public/${s.target.appId}/groups.encryptionReport?filter=${prefix}&format=csv`);
            assert.equal(csv.status, 200);
            const lines = String(csv.body).trim().split('\r\n');
            assert.equal(lines[0], 'id,name,displayName,kind,encrypted,archived,federated,members,lastActivity,cannotEncrypt');
            assert.equal(lines.length, 4);
            assert.match(lines[2], new RegExp(`^${made[1]._id},${made[1].name},${made[1].name},group,true,false,false,1,`));
        });

        test("teams' main groups and discussions are listed too, each marked as such", async () => {
            const { prefix, made } = await groups('kinds', 1);
            const { discussion } = await owner.client.post('rooms.createDiscussion', { prid: made[0]._id, t_name: `${prefix}-talk` });
            const { team } = await owner.client.post('teams.create', { name: `${prefix}-team`, type: 1 });
            const answer = await report(admin, { filter: prefix, refresh: 'true', sort: JSON.stringify({ displayName: 1 }) });
            assert.equal(answer.status, 200, JSON.stringify(answer.body));
            assert.deepEqual(
                answer.body.groups.map((row: any) => [row.id, row.displayName, row.kind]),
                [
                    [made[0]._id, made[0].name, 'group'],
                    [discussion._id, `${prefix}-talk`, 'discussion'],
                    [team.roomId, `${prefix}-team`, 'team'],
                ],
            );
        });

        test("a group owner who may not see every room gets Rocket.Chat's own refusal, and nothing is listed", async () => {
            await groups('refused', 1);
            for (const answer of [await report(owner, {}), await encryptAll(owner, { dryRun: true }), await encryptAll(owner, {})]) {
                assert.equal(answer.status, 400);
                assert.deepEqual(answer.body, ADMIN_ROOMS_NOT_AUTHORIZED);
            }
        });

        test("bad parameters get Rocket.Chat's refusals (parseJsonQuery's sort, a schema's invalid-params)", async () => {
            const sort = await report(admin, { sort: '{"name":2}' });
            assert.equal(sort.status, 400);
            assert.deepEqual(sort.body, rcError('Invalid sort parameter provided: "{"name":2}"', 'error-invalid-sort', { helperMethod: 'parseJsonQuery' }));
            const state = await report(admin, { state: 'purple' });
            assert.equal(state.status, 400);
            assert.equal(state.body.errorType, 'invalid-params');
            const flag = await encryptAll(admin, { dryRun: 'yes' });
            assert.equal(flag.status, 400);
            assert.equal(flag.body.errorType, 'invalid-params');
        });

        test('the dry run changes nothing and says what would change, what is skipped and why, and what encryption means for members', async () => {
            const { made } = await groups('dry', 2);
            const { made: archived } = await groups('dry-archived', 1);
            await owner.client.post('groups.archive', { roomId: archived[0]._id });
            // No service account is set (a server started apart, as `npm start`, may have one): the
            // dry run says the real job could not run, and why.
            const answer = await s.withAppSettings({ service_account_user_id: '', service_account_token: '' }, () => encryptAll(admin, { dryRun: true }));
            assert.equal(answer.status, 200, JSON.stringify(answer.body));
            assert.equal(answer.body.dryRun, true);
            const would = answer.body.wouldChange.map((group: any) => group.roomId);
            assert.ok(made.every((group) => would.includes(group._id)));
            assert.deepEqual(
                answer.body.skipped.filter((group: any) => group.roomId === archived[0]._id),
                [{ roomId: archived[0]._id, name: archived[0].name, reason: 'archived' }],
            );
            assert.ok(answer.body.notes.some((note: string) => /not re-encrypted/.test(note)));
            assert.ok(answer.body.notes.some((note: string) => /slash commands/.test(note)));
            assert.deepEqual(
                answer.body.blockers.map((blocker: any) => blocker.reason),
                ['needs-service-account'],
            );
            assert.match(answer.body.blockers[0].text, /^No service account is set/);
            for (const group of made) {
                assert.notEqual(await s.encryptedOf(owner, group._id), true);
            }
        });

        test('the job needs the service account, and switches on every eligible group once, with one notice each; archived and federated ones are skipped with the reason, and the totals add up', async () => {
            // Refused at once, not answered `running` and failed on the job's first run.
            const refused = await s.withAppSettings({ service_account_user_id: '', service_account_token: '' }, () => encryptAll(admin, {}));
            assert.equal(refused.status, 400);
            assert.equal(refused.body.errorType, 'error-app-service-account');
            assert.match(refused.body.error, /^The encryptAll job cannot run: No service account is set/);
            // A plain account may neither list every group nor switch encryption: the dry run names
            // what it lacks, and a start is refused with it, before any group is touched.
            const plain = await s.person('c-plain');
            await s.withAppSettings({ service_account_user_id: plain.id, service_account_token: plain.client.authToken }, async () => {
                const dry = await encryptAll(admin, { dryRun: true });
                assert.equal(dry.status, 200, JSON.stringify(dry.body));
                assert.deepEqual(
                    dry.body.blockers.map((blocker: any) => blocker.reason),
                    ['service-account-lacks-rights'],
                );
                assert.match(
                    dry.body.blockers[0].text,
                    new RegExp(`^The service account @${plain.username} lacks view-room-administration, edit-room, toggle-room-e2e-encryption: `),
                );
                const start = await encryptAll(admin, {});
                assert.equal(start.status, 400, JSON.stringify(start.body));
                assert.equal(start.body.errorType, 'error-app-service-account');
                assert.deepEqual(start.body.details, { blockers: dry.body.blockers });
            });

            const { made } = await groups('job', 3);
            const { made: archived } = await groups('job-archived', 1);
            await owner.client.post('groups.archive', { roomId: archived[0]._id });
            // Federation has no REST set-up: only the stand-in can mark a group federated.
            const { made: federated } = await groups('job-federated', 1);
            const marked = (await s.target.admin.request('POST', '/standin/rooms.federate', { roomId: federated[0]._id })).status === 200;
            await withServiceAccount(async () => {
                assert.deepEqual((await encryptAll(admin, { dryRun: true })).body.blockers, []);
                const started = await encryptAll(admin, {});
                assert.equal(started.status, 200, JSON.stringify(started.body));
                assert.equal(started.body.status, 'running');
                // One job at a time: a second start is refused while the first runs.
                const again = await encryptAll(admin, {});
                if (again.status === 200) {
                    assert.notEqual((await progress(admin, started.body.jobId)).body.status, 'running');
                    await finished(again.body.jobId);
                } else {
                    assert.deepEqual(again.body, rcError(`An encryptAll job is already running: ${started.body.jobId}`, 'error-app-job-running'));
                }
                const end = await finished(started.body.jobId);
                assert.equal(end.status, 'done', JSON.stringify(end));
                assert.equal(end.counts.remaining, 0);
                assert.equal(end.by.username, admin.username);
                assert.ok(end.counts.changed >= made.length);
                assert.ok(end.skipped.some((group: any) => group.roomId === archived[0]._id && group.reason === 'archived'));
                if (marked) {
                    assert.ok(end.skipped.some((group: any) => group.roomId === federated[0]._id && group.reason === 'federated'));
                }
                // Every group listed has exactly one outcome.
                const { total, changed, alreadyEncrypted, skipped, failed } = end.counts;
                assert.equal(changed + alreadyEncrypted + skipped + failed, total);
                assert.equal(failed, 0, JSON.stringify(end.failed));
            });
            for (const group of made) {
                assert.equal(await s.encryptedOf(owner, group._id), true);
                assert.deepEqual(await s.e2eNotices(owner, group._id), [`room_e2e_enabled by ${service.username}`]);
                const history = (await owner.client.appCall(s.target.appId, `groups.encryptionHistory?roomId=${group._id}`, 'GET')).body.history;
                assert.deepEqual(
                    history.map((entry: any) => [entry.encrypted, entry.door, entry.by.username]),
                    [[true, 'bulk', admin.username]],
                );
            }
            assert.notEqual(await s.encryptedOf(owner, archived[0]._id), true);
            assert.notEqual(await s.encryptedOf(owner, federated[0]._id), true);
            const report2 = await report(admin, { refresh: 'true', state: 'unencrypted', count: '0' });
            assert.ok(!report2.body.groups.some((row: any) => made.some((group) => group._id === row.id)));
        });

        test('an app restart (an update) in the middle of a job: it goes on where it was, and every group is switched on exactly once', async (t) => {
            const prefix = s.unique('restart');
            const seeded = await admin.client.request('POST', '/api/v1/standin/groups.seed', { count: 400, prefix, ownerId: owner.id });
            if (seeded.status === 404) {
                t.skip("a real server has no route to make hundreds of groups at once (the stand-in's groups.seed)");
                return;
            }
            const made: Array<{ _id: string }> = seeded.body.rooms;
            await withServiceAccount(async () => {
                const started = await encryptAll(admin, {});
                assert.equal(started.status, 200, JSON.stringify(started.body));
                let seen: any;
                assert.ok(
                    await eventually(
                        async () => {
                            seen = (await progress(admin, started.body.jobId)).body;
                            return seen.counts?.changed >= 10 || seen.status !== 'running';
                        },
                        30_000,
                        100,
                    ),
                );
                assert.equal(seen.status, 'running', 'the job ended before the restart: nothing would be proven');
                // An update is how an admin restarts an app: the engine starts it afresh (a new
                // runtime on 6.11+) and keeps its scheduled jobs.
                await s.target.admin.installApp(readFileSync(appZip()), basename(appZip()));
                const end = await finished(started.body.jobId);
                assert.equal(end.status, 'done', JSON.stringify(end));
                assert.equal(end.counts.remaining, 0);
                assert.equal(end.counts.failed, 0, JSON.stringify(end.failed));
            });
            const notices = await mapInBatches(made, 20, (group) => s.e2eNotices(owner, group._id));
            notices.forEach((shown, i) => assert.deepEqual(shown, [`room_e2e_enabled by ${service.username}`], made[i]._id));
        });

        test('a job cancelled while it runs stops before its next group: the rest stay untouched, it says cancelled and by whom, and no notice follows', async (t) => {
            const prefix = s.unique('cancel');
            // Enough work that the job is still running when the cancel lands, on the fastest runtime
            // too (6.x runs the app in the server's own process) and under load, which slows the
            // polls below as much as the job.
            const count = 2000;
            const seeded = await admin.client.request('POST', '/api/v1/standin/groups.seed', { count, prefix, ownerId: owner.id });
            if (seeded.status === 404) {
                t.skip("a real server has no route to make hundreds of groups at once (the stand-in's groups.seed)");
                return;
            }
            const made: Array<{ _id: string }> = seeded.body.rooms;
            const cancel = (who: Person, body: unknown) => who.client.appCall(s.target.appId, 'groups.encryptAll.cancel', 'POST', body);
            // The seeded groups still unencrypted, by the report.
            const untouched = async () => (await report(admin, { refresh: 'true', state: 'unencrypted', filter: prefix, count: '1' })).body.total;
            const encryptedGroups = async () => (await everyGroup()).filter((group) => group.encrypted === true).length;
            const where = (job: any) => JSON.stringify({ status: job.status, listed: job.listed, counts: job.counts });
            let cancelledAt = '';
            await withServiceAccount(async () => {
                const started = await encryptAll(admin, {});
                assert.equal(started.status, 200, JSON.stringify(started.body));
                const { jobId } = started.body;
                // Before the rights: whoever may not start a job learns nothing of this one.
                const byOwner = await cancel(owner, { jobId });
                assert.deepEqual([byOwner.status, byOwner.body], [400, ADMIN_ROOMS_NOT_AUTHORIZED]);
                let seen: any;
                assert.ok(
                    await eventually(
                        async () => {
                            seen = (await progress(admin, jobId)).body;
                            // In the seeded groups (the workspace's newest, listed last): a page of them is done.
                            return (seen.counts?.total > 0 && seen.listed >= seen.counts.total - count + 100) || seen.status !== 'running';
                        },
                        120_000,
                        50,
                    ),
                );
                assert.equal(seen.status, 'running', 'the job ended before it was cancelled: nothing would be proven');
                const cancelled = await cancel(admin, { jobId });
                assert.equal(cancelled.status, 200, `${JSON.stringify(cancelled.body)}; before the cancel ${where(seen)}`);
                assert.equal(cancelled.body.status, 'cancelled');
                assert.equal(cancelled.body.cancelledBy.username, admin.username);
                cancelledAt = cancelled.body.finishedAt;
                // A group being written as the cancel came is finished; then nothing moves.
                await new Promise((resolve) => setTimeout(resolve, 2000));
                const after = (await progress(admin, jobId)).body;
                const encrypted = await encryptedGroups();
                await new Promise((resolve) => setTimeout(resolve, 2000));
                const later = (await progress(admin, jobId)).body;
                assert.equal(later.status, 'cancelled');
                assert.deepEqual([later.counts, later.listed, later.updatedAt], [after.counts, after.listed, after.updatedAt]);
                assert.ok(later.counts.remaining > 0, where(later));
                assert.equal(await encryptedGroups(), encrypted, 'a group was switched on after the cancel');

                const again = await cancel(admin, { jobId });
                assert.deepEqual(again.body, rcError(`The encryptAll job ${jobId} is not running: it is cancelled`, 'error-app-job-not-running'));
                const unknown = await cancel(admin, { jobId: 'no-such-job' });
                assert.deepEqual([unknown.status, unknown.body], [404, rcError('No encryptAll job has that id', 'error-app-job-not-found')]);
            });
            // The seeded groups the server has encrypted, by its own list (not the app's report), and
            // Rocket.Chat's notices in them, with their times: one each, and after the cancel
            // answered at most one (the group being written in that instant). Rocket.Chat posts a
            // notice only for a change, so the groups left unencrypted have none to read.
            const seededIds = new Set(made.map((group) => group._id));
            const switched = (await everyGroup()).filter((group) => seededIds.has(group._id) && group.encrypted === true);
            const messages = await mapInBatches(switched, 20, async (group) => (await owner.client.get('groups.messages', { roomId: group._id })).messages);
            let afterCancel = 0;
            for (const [i, group] of switched.entries()) {
                const notices = messages[i].filter((message: any) => message.t === 'room_e2e_enabled' || message.t === 'room_e2e_disabled');
                assert.deepEqual(
                    notices.map((message: any) => message.t),
                    ['room_e2e_enabled'],
                    group._id,
                );
                afterCancel += notices.filter((message: any) => Date.parse(message.ts) > Date.parse(cancelledAt)).length;
            }
            assert.ok(afterCancel <= 1, `${afterCancel} groups switched on after the cancel answered (at most the one being written)`);
            const seededLeft = await untouched();
            assert.ok(seededLeft > 0 && switched.length >= 100, `${switched.length} of ${count} seeded groups switched on, ${seededLeft} untouched`);
            assert.equal(switched.length, count - seededLeft, "the report's unencrypted groups are the server's");
        });
    });
}
