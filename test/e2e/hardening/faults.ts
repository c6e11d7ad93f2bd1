// A bridge call that fails or hangs (room read, room update, message create, http): the caller gets a clear
// answer in time, the room is never half-changed, no notice tells of a change that did not happen, and the
// app stays enabled. Needs the stand-in's fault switch; skipped on a real server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { Scenario, World } from '../scenario';
import { FAULTS } from '../../support/faults';

export function faultSuite(scenario: () => Scenario): void {
    describe('faults in bridge calls', () => {
        let s: Scenario;
        let supported = true;
        before(async () => {
            s = scenario();
            supported = (await s.target.admin.request('POST', '/standin/faults', { faults: [] })).status === 200;
        });
        after(async () => {
            if (supported) {
                await s.target.admin.request('POST', '/standin/faults', { faults: [] });
            }
        });

        async function withFault<T>(fault: string, run: () => Promise<T>): Promise<T> {
            await s.target.admin.request('POST', '/standin/faults', { faults: [fault] });
            try {
                return await run();
            } finally {
                await s.target.admin.request('POST', '/standin/faults', { faults: [] });
            }
        }

        async function assertWhole(w: World, answered: { status: number; body: any }, fault: string, where: string): Promise<void> {
            assert.ok(answered.status === 200 || (answered.status >= 400 && answered.status < 600), where);
            assert.equal(typeof answered.body, 'object', `${where}: not a JSON answer`);
            const flag = await s.encryptedOf(w.owner, w.group._id);
            const notices = await s.e2eNotices(w.owner, w.group._id);
            if (answered.status === 200) {
                assert.equal(answered.body.success, true, where);
                assert.equal(flag, true, `${where}: success reported but the flag is ${String(flag)}`);
                assert.equal(notices.length, noticesFor(fault), `${where}: ${notices.join(', ')}`);
            } else {
                assert.equal(answered.body.success, false, where);
                assert.equal(typeof answered.body.error, 'string', where);
                assert.equal(flag, undefined, `${where}: refused but the flag is ${String(flag)}`);
                assert.deepEqual(notices, [], `${where}: a notice for a change that did not happen`);
            }
            const app = await s.target.admin.request('GET', `/api/apps/${s.target.appId}`);
            assert.match(String(app.body?.app?.status), /enabled/, `${where}: the app is ${app.body?.app?.status}`);
        }

        /**
         * A change that happened is announced once — unless the fault broke the app's own notice
         * (where the app writes the flag itself, its notice goes through the message bridge).
         */
        const noticesFor = (fault: string) => (fault === 'message-create' && s.target.modifierWorks ? 0 : 1);

        for (const fault of FAULTS) {
            test(`${fault} fails during an endpoint toggle`, async (t) => {
                if (!supported) {
                    return t.skip('the server has no fault switch (stand-in only)');
                }
                const w = await s.world();
                const started = Date.now();
                const answer = await withFault(fault, () => s.viaApp(w.owner, { roomId: w.group._id, encrypted: true }));
                // A hung call is answered by the app itself, before the shortest runtime timeout
                // (10 s on Apps-Engine 1.43–1.48) would answer with the engine's 500 instead.
                assert.ok(Date.now() - started < 9500, `answered after ${Date.now() - started} ms`);
                await assertWhole(w, answer, fault, `endpoint, ${fault}`);
                const after = await s.viaApp(w.owner, { roomId: w.group._id, encrypted: false });
                assert.equal(after.status, 200, 'the app does not recover once the fault is gone');
            });

            test(`${fault} fails during /encrypt`, async (t) => {
                if (!supported) {
                    return t.skip('the server has no fault switch (stand-in only)');
                }
                const w = await s.world();
                const answer = await withFault(fault, () => w.owner.client.command('encrypt', 'on', w.group._id));
                assert.equal(answer.status, 200, `commands.run: ${JSON.stringify(answer.body)}`);
                const flag = await s.encryptedOf(w.owner, w.group._id);
                const notices = await s.e2eNotices(w.owner, w.group._id);
                assert.ok(
                    flag === undefined ? notices.length === 0 : notices.length === noticesFor(fault),
                    `${fault}: flag ${String(flag)}, ${notices.join(', ')}`,
                );
                await s.checkLastReply(w.owner, t, 'the caller is answered, and no success is claimed for a change that did not happen', (reply) => {
                    assert.ok(reply.length > 0, 'an empty reply');
                    if (flag === undefined) {
                        assert.doesNotMatch(reply, /is now on/, 'success was reported for a change that did not happen');
                    }
                });
            });
        }
    });
}
