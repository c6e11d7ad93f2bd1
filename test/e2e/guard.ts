// Encryption that stays on, and the history, through the server as people use it: the core route
// switches a group off, and (on 7.4+) the app switches it back on and records who did what.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import type { Person, Scenario, World } from './scenario';
import { eventually } from '../support/eventually';
import { NOT_FOUND } from '../support/rocketchat';

export function guardSuite(scenario: () => Scenario): void {
    describe('encryption that stays on, and the history', () => {
        let s: Scenario;
        let service: Person;
        /** Whether the server tells apps of changes made elsewhere (Rocket.Chat 7.4+). */
        let events: boolean;
        before(async () => {
            s = scenario();
            service = await s.person('g-service', ['admin', 'user']);
            events = !s.target.modifierWorks;
        });
        const keepingEncrypted = <T>(run: () => Promise<T>, allowOff = false) =>
            s.withAppSettings({ allow_turning_off: allowOff, service_account_user_id: service.id, service_account_token: service.client.authToken }, run);
        const history = async (who: Person, roomId: string) =>
            (await who.client.appCall(s.target.appId, `groups.encryptionHistory?roomId=${roomId}`, 'GET')).body;

        test("an owner switches a group off through Rocket.Chat's own route: on 7.4+ it is encrypted again within seconds, with one notice each way and a private word to the owner", async (t) => {
            const w = await s.world();
            await s.viaApp(w.owner, { roomId: w.group._id, encrypted: true });
            await keepingEncrypted(async () => {
                const off = await s.viaCore(w.owner, { roomId: w.group._id, encrypted: false });
                assert.equal(off.status, 200);
                if (!events) {
                    // Before 7.4 nothing tells the app: the group stays off, and admins are told the guard cannot work here.
                    assert.equal(await s.encryptedOf(w.owner, w.group._id), false);
                    await w.adminMember.client.command('encrypt', 'status', w.group._id);
                    await s.checkLastReply(w.adminMember, t, "an admin's status says the guard cannot work before 7.4", (reply) =>
                        assert.match(reply, /does not tell apps about changes made elsewhere/),
                    );
                    return;
                }
                assert.ok(await eventually(async () => (await s.encryptedOf(w.owner, w.group._id)) === true), 'not switched back on');
                assert.deepEqual(await s.e2eNotices(w.owner, w.group._id), [
                    `room_e2e_enabled by ${w.owner.username}`,
                    `room_e2e_disabled by ${w.owner.username}`,
                    `room_e2e_enabled by ${service.username}`,
                ]);
                await s.checkLastReply(w.owner, t, 'the owner is told privately why the group is encrypted again', (reply) =>
                    assert.match(reply, /This workspace keeps encrypted groups encrypted/),
                );
            });
        });

        test('with "Allow turning encryption off" on, the group stays off', async () => {
            const w = await s.world();
            await s.viaApp(w.owner, { roomId: w.group._id, encrypted: true });
            await keepingEncrypted(async () => {
                await s.viaCore(w.owner, { roomId: w.group._id, encrypted: false });
                await new Promise((resolve) => setTimeout(resolve, 500));
                assert.equal(await s.encryptedOf(w.owner, w.group._id), false);
            }, true);
        });

        test('a burst of 50 switch-offs of one group: it ends encrypted, and each switch-off that landed is undone exactly once, by the guard', async (t) => {
            if (!events) {
                return t.skip('before 7.4 the server does not tell the app');
            }
            const w = await s.world();
            await s.viaApp(w.owner, { roomId: w.group._id, encrypted: true });
            await keepingEncrypted(async () => {
                for (let i = 0; i < 50; i++) {
                    await s.viaCore(w.owner, { roomId: w.group._id, encrypted: false });
                }
                assert.ok(await eventually(async () => (await s.encryptedOf(w.owner, w.group._id)) === true, 8000), 'not switched back on');
            });
            // Rocket.Chat posts a notice only for a real change, so the notices are the changes.
            // A switch-off lands only while the group is on, and the waiting rule lets the guard
            // switch back once per switch-off at most: after the owner's first switch-on, each
            // landed switch-off is followed by exactly one switch-back, signed by the service
            // account. Anything else — a switch-back missed (the group is left off until the
            // reconcile), one by another door or account — breaks the pattern.
            const notices = await s.e2eNotices(w.owner, w.group._id);
            const offs = (notices.length - 1) / 2;
            assert.ok(Number.isInteger(offs) && offs >= 1 && offs <= 50, `${notices.length} notices: ${notices.join(', ')}`);
            assert.deepEqual(notices, [
                `room_e2e_enabled by ${w.owner.username}`,
                ...Array.from({ length: offs }, () => [`room_e2e_disabled by ${w.owner.username}`, `room_e2e_enabled by ${service.username}`]).flat(),
            ]);
            // And the history says which door: each switch-off is followed by the guard's switch-back,
            // none by the reconcile's (it keeps the newest entries: it may start with any switch-on).
            const entries: Array<string> = (await history(w.member, w.group._id)).history.map(
                (entry: { encrypted: boolean; door: string }) => `${entry.encrypted ? 'on' : 'off'} (${entry.door})`,
            );
            const pairs = entries[0]?.startsWith('on') ? entries.slice(1) : entries;
            assert.ok(pairs.length >= 2, entries.join(', '));
            assert.deepEqual(pairs, Array.from({ length: pairs.length / 2 }, () => ['off (core)', 'on (guard)']).flat(), entries.join(', '));
        });

        test("the history: a scripted sequence comes back in order with the right doors; before 7.4 only the app's doors", async () => {
            const w: World = await s.world();
            await keepingEncrypted(async () => {
                await s.viaApp(w.owner, { roomId: w.group._id, encrypted: true });
                await w.owner.client.command('encrypt', `off #${w.group.name}`, w.botDm._id);
                await s.viaCore(w.adminMember, { roomId: w.group._id, encrypted: true });
                const expected = [
                    `on by ${w.owner.username} (endpoint)`,
                    `off by ${w.owner.username} (command)`,
                    ...(events ? [`on by ${w.adminMember.username} (core)`] : []),
                ];
                const seen = async () =>
                    (await history(w.member, w.group._id)).history.map(
                        (entry: { encrypted: boolean; by: { username: string }; door: string }) =>
                            `${entry.encrypted ? 'on' : 'off'} by ${entry.by.username} (${entry.door})`,
                    );
                assert.ok(await eventually(async () => JSON.stringify(await seen()) === JSON.stringify(expected)), JSON.stringify(await seen()));
                assert.equal((await history(w.member, w.group._id)).sees, events ? 'every-door' : 'app-doors');
            }, true);
        });

        test('someone not in the group gets the same answer as for a group that does not exist', async () => {
            const w = await s.world();
            const outsider = await w.outsider.client.appCall(s.target.appId, `groups.encryptionHistory?roomId=${w.group._id}`, 'GET');
            const missing = await w.outsider.client.appCall(s.target.appId, 'groups.encryptionHistory?roomId=no-such-group', 'GET');
            assert.deepEqual(outsider.body, NOT_FOUND);
            assert.deepEqual({ status: outsider.status, body: outsider.body }, { status: missing.status, body: missing.body });
        });
    });
}
