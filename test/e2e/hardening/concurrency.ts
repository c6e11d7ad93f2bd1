// Many toggles at once: every request answered with the state it asked for, no crash, and each
// group's room_e2e_* messages match its real changes (they alternate, the last one agrees with the
// final flag, and each is signed by someone who asked for that change).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import type { Person, Scenario } from '../scenario';

/** A fixed pseudo-random sequence, so a failure can be replayed. */
function seeded(seed: number): () => number {
    let state = seed;
    return () => {
        state = (state * 1103515245 + 12345) % 2 ** 31;
        return state / 2 ** 31;
    };
}

export function concurrencySuite(scenario: () => Scenario): void {
    describe('concurrency', () => {
        let s: Scenario;
        before(() => {
            s = scenario();
        });

        function assertConsistent(notices: Array<string>, flag: unknown, where: string): void {
            // Some request switched the never-set group on: at least that change was announced.
            assert.ok(notices.length > 0, `${where}: no notice for any change`);
            notices.forEach((notice, i) => {
                const expectedType = i % 2 === 0 ? 'room_e2e_enabled' : 'room_e2e_disabled';
                assert.ok(notice.startsWith(expectedType), `${where}: notice ${i} is ${notice}; the notices do not match real changes: ${notices.join(', ')}`);
            });
            const last = notices.at(-1);
            assert.equal(Boolean(flag), last?.startsWith('room_e2e_enabled') ?? false, `${where}: final flag ${String(flag)} vs last notice ${last}`);
        }

        test('100 concurrent toggles of one group by three owners, mixed on and off', async () => {
            const owners: Array<Person> = await Promise.all([s.person('c-owner'), s.person('c-owner'), s.person('c-owner')]);
            const [first, ...others] = owners;
            const { group } = await first.client.post('groups.create', { name: s.unique('c-group'), members: others.map((o) => o.username) });
            for (const other of others) {
                await first.client.post('groups.addOwner', { roomId: group._id, userId: other.id });
            }
            const random = seeded(42);
            // The first owner only ever switches on, the second only off, the third both: whose
            // session made each change is then something a notice can get wrong.
            const requests = Array.from({ length: 100 }, () => {
                const who = Math.floor(random() * owners.length);
                const coin = random() < 0.5;
                return { who: owners[who], encrypted: who === 0 ? true : who === 1 ? false : coin };
            });
            const answers = await Promise.all(requests.map(({ who, encrypted }) => s.viaApp(who, { roomId: group._id, encrypted })));
            assert.deepEqual(
                answers.map((answer) => answer.status).filter((status) => status !== 200),
                [],
                `not all answered 200: ${JSON.stringify(answers.find((answer) => answer.status !== 200)?.body)}`,
            );
            // Each caller is answered with the state they asked for: their toggle's read-back was not
            // another's write (toggles of one group wait in line).
            answers.forEach((answer, i) =>
                assert.equal(answer.body.group?.encrypted === true, requests[i].encrypted, `request ${i}: ${JSON.stringify(answer.body)}`),
            );
            const flag = await s.encryptedOf(first, group._id);
            const notices = await s.e2eNotices(first, group._id);
            assertConsistent(notices, flag, 'one group');
            // Every change is signed by someone who asked for exactly that: a session mixed up between
            // concurrent callers, or a change made as another account, names someone who did not.
            for (const notice of notices) {
                const [type, , username] = notice.split(' ');
                assert.ok(
                    requests.some((request) => request.who.username === username && request.encrypted === (type === 'room_e2e_enabled')),
                    `${notice}: that user never asked for it`,
                );
            }
        });

        test('100 groups switched on at once', async () => {
            const owner = await s.person('c-many');
            const groups = await Promise.all(
                Array.from({ length: 100 }, async () => (await owner.client.post('groups.create', { name: s.unique('c-many') })).group),
            );
            const answers = await Promise.all(groups.map((group) => s.viaApp(owner, { roomId: group._id, encrypted: true })));
            assert.deepEqual(
                answers.map((answer) => answer.status).filter((status) => status !== 200),
                [],
            );
            for (const group of groups) {
                assert.equal(await s.encryptedOf(owner, group._id), true);
                assert.deepEqual(await s.e2eNotices(owner, group._id), [`room_e2e_enabled by ${owner.username}`]);
            }
        });
    });
}
