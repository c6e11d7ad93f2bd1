import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Deadline } from '../../lib/Deadline';
import { RoomQueue } from '../../lib/RoomQueue';
import { TOKEN, setEncrypted, workspace } from '../fakes/harness';

const tick = () => new Promise((resolve) => setImmediate(resolve));
const soon = () => Deadline.after(5000);
const late = () => {
    throw new Error('late');
};

describe('RoomQueue', () => {
    test('one room: one task at a time, in arrival order, later ones told they waited', async () => {
        const queue = new RoomQueue();
        const events: Array<string> = [];
        const task = (name: string) => async (waited: boolean) => {
            events.push(`${name} start${waited ? ' (waited)' : ''}`);
            await tick();
            events.push(`${name} end`);
        };
        await Promise.all([queue.run('r', soon(), task('a'), late), queue.run('r', soon(), task('b'), late), queue.run('r', soon(), task('c'), late)]);
        assert.deepEqual(events, ['a start', 'a end', 'b start (waited)', 'b end', 'c start (waited)', 'c end']);
        assert.equal(queue.busyRooms, 0);
    });

    test('different rooms do not wait for each other', async () => {
        const queue = new RoomQueue();
        const events: Array<string> = [];
        const task = (name: string) => async () => {
            events.push(`${name} start`);
            await tick();
            events.push(`${name} end`);
        };
        await Promise.all([queue.run('r1', soon(), task('a'), late), queue.run('r2', soon(), task('b'), late)]);
        assert.deepEqual(events, ['a start', 'b start', 'a end', 'b end']);
    });

    test('a failing task frees the room for the next', async () => {
        const queue = new RoomQueue();
        const failing = queue.run(
            'r',
            soon(),
            async () => {
                throw new Error('boom');
            },
            late,
        );
        const next = queue.run(
            'r',
            soon(),
            async (waited) => waited,
            () => false,
        );
        await assert.rejects(failing, /boom/);
        assert.equal(await next, true);
        assert.equal(queue.busyRooms, 0);
    });
});

test('40 concurrent toggles of one group on a 7.4+ server: all succeed, notices match the changes', async () => {
    const ws = workspace();
    ws.roomModifier = 'ignored';
    const headers = { 'x-user-id': 'olivia', 'x-auth-token': TOKEN };
    const values = Array.from({ length: 40 }, (_, i) => i % 3 !== 0);
    const answers = await Promise.all(values.map((encrypted) => setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted }, headers)));
    assert.deepEqual(
        answers.filter((answer) => answer.status !== 200),
        [],
    );
    const types = ws.notices.map((notice) => notice.type);
    // The first `true` changed the never-set group: at least that change was announced.
    assert.ok(types.length > 0, 'no notice at all');
    types.forEach((type, i) => assert.equal(type, i % 2 === 0 ? 'room_e2e_enabled' : 'room_e2e_disabled'));
    assert.equal(ws.encryptedOf('secret'), values.at(-1));
    assert.equal(ws.instance.queue.busyRooms, 0);
});
