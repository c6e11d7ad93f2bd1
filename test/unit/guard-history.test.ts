// Encryption that stays on (the guard) and a history of every change, over the fake workspace: the
// server's system-message event is played by hand, as Rocket.Chat 7.4+ would fire it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { SettingId } from '../../lib/AppSettings';
import { newInstanceState } from '../../lib/compositionRoot';
import { changeLog } from '../../lib/history/ChangeLog';
import { ENTRIES_PER_GROUP, EncryptionHistory } from '../../lib/history/EncryptionHistory';
import { SERVICE_TOKEN, TOKEN, encryptionHistory, reconcileNow, runCommand, setEncrypted, systemMessage, workspace } from '../fakes/harness';
import { NOT_FOUND } from '../support/rocketchat';

const session = { 'x-user-id': 'olivia', 'x-auth-token': TOKEN };

/** A 7.4+ workspace whose app keeps encrypted groups encrypted, with a service account that may. */
function guarded() {
    const ws = workspace();
    ws.roomModifier = 'ignored';
    ws.appSettings[SettingId.AllowTurningOff] = false;
    ws.appSettings[SettingId.ServiceAccountUserId] = 'svc';
    ws.appSettings[SettingId.ServiceAccountToken] = SERVICE_TOKEN;
    return ws;
}

/** What Rocket.Chat does when someone switches a group off through its own route: the flag, then the event. */
async function switchedOffInCore(ws: ReturnType<typeof workspace>, roomId: string, by: string) {
    ws.setEncryptedFlag(roomId, false);
    await systemMessage(ws, roomId, 'room_e2e_disabled', by);
}

const historyOf = async (ws: ReturnType<typeof workspace>, roomId = 'secret') =>
    (await encryptionHistory(ws, 'olivia', { roomId })).content.history.map(
        (entry: { encrypted: boolean; by: { username: string }; door: string }) => `${entry.encrypted ? 'on' : 'off'} by ${entry.by.username} (${entry.door})`,
    );

describe('the guard', () => {
    test('a group switched off in Rocket.Chat itself is switched back on by the service account; the person is told why', async () => {
        const ws = guarded();
        ws.setEncryptedFlag('secret', true);
        await switchedOffInCore(ws, 'secret', 'olivia');
        assert.equal(ws.encryptedOf('secret'), true);
        assert.deepEqual(
            ws.notices.map((notice) => `${notice.type} by ${notice.userId}`),
            ['room_e2e_enabled by svc'],
        );
        assert.match(ws.lastReply('olivia') ?? '', /^You switched end-to-end encryption off for #secret\. This workspace keeps encrypted groups encrypted/);
        assert.deepEqual(await historyOf(ws), ['off by olivia (core)', 'on by svc (guard)']);
    });

    test('in the language of whoever switched it off', async () => {
        const ws = guarded();
        ws.users.get('mo')!.settings = { preferences: { language: 'de' } } as never;
        await switchedOffInCore(ws, 'secret', 'mo');
        assert.match(ws.lastReply('mo') ?? '', /^Sie haben die Ende-zu-Ende-Verschlüsselung von #secret ausgeschaltet/);
    });

    test('its own switch-on does not set it off again (no loop), and is recorded once', async () => {
        const ws = guarded();
        await switchedOffInCore(ws, 'secret', 'olivia');
        // The server then tells of the guard's own room_e2e_enabled.
        await systemMessage(ws, 'secret', 'room_e2e_enabled', 'svc');
        assert.equal(ws.calls['http.post'], 1);
        assert.deepEqual(await historyOf(ws), ['off by olivia (core)', 'on by svc (guard)']);
    });

    test('a burst of 50 switch-offs of one group: it ends encrypted, with at most one more switch-back run, not one per switch-off', async () => {
        const ws = guarded();
        await Promise.all(Array.from({ length: 50 }, () => switchedOffInCore(ws, 'secret', 'olivia')));
        assert.equal(ws.encryptedOf('secret'), true);
        assert.equal(ws.calls['http.post'], 1, 'one write');
        // Every switch-off is recorded, but only one switch-back waits per room (besides the one
        // under way): a run that would switch back reads the room first (nothing else in the guard
        // does), so one run per switch-off would read it fifty times. The writes alone cannot tell:
        // the later runs find the group on.
        assert.ok(ws.calls['room.getById'] <= 2, `${ws.calls['room.getById']} switch-back runs`);
    });

    test('with "Allow turning encryption off" on, the group stays off; the change is still recorded', async () => {
        const ws = guarded();
        ws.appSettings[SettingId.AllowTurningOff] = true;
        await switchedOffInCore(ws, 'secret', 'olivia');
        assert.equal(ws.encryptedOf('secret'), false);
        assert.equal(ws.calls['http.post'], undefined);
        assert.deepEqual(await historyOf(ws), ['off by olivia (core)']);
    });

    for (const [label, room, prepare, why] of [
        ['a federated group', 'fed', () => undefined, /federated groups cannot be encrypted/],
        ['an archived group', 'old', () => undefined, /it is archived/],
        [
            'E2E switched off for the workspace',
            'secret',
            (ws: ReturnType<typeof workspace>) => (ws.serverSettings.E2E_Enable = false),
            /switched off for the workspace/,
        ],
    ] as const) {
        test(`declines ${label}, and says so in the log`, async () => {
            const ws = guarded();
            prepare(ws);
            await switchedOffInCore(ws, room, 'olivia');
            assert.equal(ws.calls['http.post'], undefined);
            assert.ok(
                ws.logLines.some((line) => why.test(line)),
                ws.logLines.join('\n'),
            );
        });
    }

    test('no service account: it cannot, and says so in the log', async () => {
        const ws = guarded();
        ws.appSettings[SettingId.ServiceAccountToken] = '';
        await switchedOffInCore(ws, 'secret', 'olivia');
        assert.equal(ws.encryptedOf('secret'), false);
        assert.ok(ws.logLines.some((line) => line.startsWith('warn:') && /no service account is set/.test(line)));
    });

    test('a burst of switch-offs makes one more run, not one each; the room is free for the next switch-off afterwards', async () => {
        const ws = guarded();
        await Promise.all(Array.from({ length: 10 }, () => switchedOffInCore(ws, 'secret', 'olivia')));
        // Each run that would switch back reads the room first: one for the first event, at most one more waiting.
        assert.ok(ws.calls['room.getById'] <= 2, `${ws.calls['room.getById']} switch-back runs`);
        // Later someone switches it on, then off again in Rocket.Chat: neither the burst nor the switch-on left the room marked as waiting.
        await systemMessage(ws, 'secret', 'room_e2e_enabled', 'svc'); // the guard's own, heard
        await systemMessage(ws, 'secret', 'room_e2e_enabled', 'olivia');
        const writes = ws.calls['http.post'];
        await switchedOffInCore(ws, 'secret', 'olivia');
        assert.equal(ws.encryptedOf('secret'), true);
        assert.equal(ws.calls['http.post'], writes + 1);
    });

    test("other rooms and other system messages are not the guard's: a direct message switched off, a user joining", async () => {
        const ws = guarded();
        ws.setEncryptedFlag('dm', false);
        await systemMessage(ws, 'dm', 'room_e2e_disabled', 'olivia');
        await systemMessage(ws, 'secret', 'uj', 'olivia');
        assert.equal(ws.calls['http.post'], undefined);
        assert.equal(ws.calls['persistence.update'], undefined, 'nothing recorded');
    });

    for (const [door, change] of [
        ['endpoint', (ws: ReturnType<typeof workspace>) => setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: false })],
        ['command', (ws: ReturnType<typeof workspace>) => runCommand(ws, 'olivia', 'secret', ['off'])],
    ] as const) {
        test(`a change the app made through the ${door} on another instance is found in the history, not recorded again as Rocket.Chat's`, async () => {
            const ws = guarded();
            ws.appSettings[SettingId.AllowTurningOff] = true;
            ws.setEncryptedFlag('secret', true);
            await change(ws);
            // The server's event reaches another instance, which does not share the first one's memory.
            (ws as { instance: unknown }).instance = newInstanceState('encrypt-group-app');
            await systemMessage(ws, 'secret', 'room_e2e_disabled', 'olivia');
            assert.deepEqual(await historyOf(ws), [`off by olivia (${door})`]);
        });
    }

    test("the guard's own switch-on, heard by another instance, is not recorded again", async () => {
        const ws = guarded();
        await switchedOffInCore(ws, 'secret', 'olivia');
        (ws as { instance: unknown }).instance = newInstanceState('encrypt-group-app');
        await systemMessage(ws, 'secret', 'room_e2e_enabled', 'svc');
        assert.deepEqual(await historyOf(ws), ['off by olivia (core)', 'on by svc (guard)']);
    });

    test("a change two instances record under one key keeps the first record's moment: the guard still finds it as the app's", async () => {
        const ws = guarded();
        const svc = ws.users.get('svc')!;
        const log = changeLog(new EncryptionHistory(ws.read().getPersistenceReader(), ws.persistence()), ws.logger());
        const switchBack = { encrypted: true, by: svc, door: 'reconcile', key: 'reconcile:secret:found' } as const;
        // One run records the switch-back, writes it, and Rocket.Chat saves its notice.
        await log.record('secret', switchBack);
        ws.setEncryptedFlag('secret', true);
        await new Promise((resolve) => setTimeout(resolve, 5));
        const noticeAt = new Date();
        await new Promise((resolve) => setTimeout(resolve, 5));
        // A second run (another instance's, which read the history before) records the same change after that.
        await log.record('secret', switchBack);
        // The notice's event reaches a third instance.
        (ws as { instance: unknown }).instance = newInstanceState('encrypt-group-app');
        await systemMessage(ws, 'secret', 'room_e2e_enabled', 'svc', noticeAt);
        assert.deepEqual(await historyOf(ws), ['on by svc (reconcile)']);
    });

    test('the server refuses the switch-back: the group stays off, the log says why, and the history holds no switch-on that did not happen', async () => {
        const ws = guarded();
        ws.restRefusal = { error: 'Not allowed [error-action-not-allowed]', errorType: 'error-action-not-allowed' };
        await switchedOffInCore(ws, 'secret', 'olivia');
        assert.equal(ws.encryptedOf('secret'), false);
        assert.ok(
            ws.logLines.some(
                (line) => line.startsWith('warn:') && /the guard leaves #secret switched off: the write failed \(.*\[error-app-service-account\]\)$/.test(line),
            ),
            ws.logLines.join('\n'),
        );
        assert.equal(ws.lastReply('olivia'), undefined, 'nobody is told it was switched back');
        assert.deepEqual(await historyOf(ws), ['off by olivia (core)']);
    });

    test('switched on again before the guard ran: nothing to write, nobody told', async () => {
        const ws = guarded();
        ws.setEncryptedFlag('secret', true);
        await systemMessage(ws, 'secret', 'room_e2e_disabled', 'olivia');
        assert.equal(ws.calls['http.post'], undefined);
        assert.equal(ws.lastReply('olivia'), undefined);
    });

    test('an admin sees whether the guard works here', async () => {
        const on = guarded();
        on.setPermission('edit-room', ['admin', 'owner', 'moderator']);
        assert.match(await runCommand(on, 'ada', 'secret', ['status']), /encrypted groups stay encrypted/);
        const before74 = workspace();
        before74.appSettings[SettingId.AllowTurningOff] = false;
        await setEncrypted(before74, 'olivia', { roomId: 'team', encrypted: true });
        assert.match(await runCommand(before74, 'ada', 'secret', ['status']), /before Rocket\.Chat 7\.4\) does not tell apps/);
    });
});

describe('the history', () => {
    test("the app's own changes through each door, and Rocket.Chat's, in order, each once, naming the real caller", async () => {
        const ws = workspace();
        ws.roomModifier = 'ignored';
        ws.appSettings[SettingId.ServiceAccountUserId] = 'svc';
        ws.appSettings[SettingId.ServiceAccountToken] = SERVICE_TOKEN;
        // The app started: recording begins.
        await reconcileNow(ws, true);
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, session);
        // On 7.4+ the server fires the event for the app's own writes too: recognised, not recorded twice.
        await systemMessage(ws, 'secret', 'room_e2e_enabled', 'olivia');
        await runCommand(ws, 'olivia', 'secret', ['off']);
        await systemMessage(ws, 'secret', 'room_e2e_disabled', 'svc');
        ws.setEncryptedFlag('secret', true);
        await systemMessage(ws, 'secret', 'room_e2e_enabled', 'ada');
        assert.deepEqual(await historyOf(ws), ['on by olivia (endpoint)', 'off by olivia (command)', 'on by ada (core)']);
        const answer = await encryptionHistory(ws, 'olivia', { roomId: 'secret' });
        assert.match(answer.content.since, /^\d{4}-\d\d-\d\dT/);
        assert.equal(answer.content.sees, 'every-door');
    });

    test("before 7.4 it says it sees only the app's doors", async () => {
        const ws = workspace();
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        const answer = await encryptionHistory(ws, 'olivia', { roomId: 'secret' });
        assert.equal(answer.content.sees, 'app-doors');
        assert.match(await runCommand(ws, 'olivia', 'secret', ['history']), /Before Rocket\.Chat 7\.4 the app sees only the changes made through it\./);
    });

    test('nothing recorded yet: an empty history with no beginning, not invented changes', async () => {
        const answer = await encryptionHistory(workspace(), 'olivia', { roomId: 'secret' });
        assert.deepEqual(answer.content, { history: [], since: null, gaps: [], sees: 'app-doors', success: true });
    });

    test("someone not in the group gets Rocket.Chat's 'not found', as for a group that does not exist", async () => {
        const ws = workspace();
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        const outsider = await encryptionHistory(ws, 'otto', { roomId: 'secret' });
        const missing = await encryptionHistory(ws, 'otto', { roomId: 'no-such-group' });
        assert.deepEqual(outsider.content, NOT_FOUND);
        assert.deepEqual({ status: outsider.status, body: outsider.content }, { status: missing.status, body: missing.content });
    });

    test(`a log: recording a change is one write and no read; a group keeps its newest ${ENTRIES_PER_GROUP}, pruned off the toggle path`, async () => {
        const ws = workspace();
        await reconcileNow(ws, true);
        for (let i = 0; i < ENTRIES_PER_GROUP + 10; i++) {
            await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: i % 2 === 0 });
        }
        const before = { ...ws.calls };
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        assert.equal(ws.calls['persistence.create'] - before['persistence.create'], 1);
        assert.equal(ws.calls['persistence.read'], before['persistence.read'], 'no read on the toggle path');
        assert.equal(ws.calls['persistence.update'], before['persistence.update'], 'nothing rewritten');
        const listed = (await encryptionHistory(ws, 'olivia', { roomId: 'secret' })).content;
        assert.equal(listed.history.length, ENTRIES_PER_GROUP);
        assert.equal(listed.history.at(-1).encrypted, true);
        await reconcileNow(ws, true);
        const changes = ws.records.filter((record) => (record.data as { kind?: string }).kind === 'change');
        assert.equal(changes.length, ENTRIES_PER_GROUP, 'the reconcile pruned the oldest');
        const after = (await encryptionHistory(ws, 'olivia', { roomId: 'secret' })).content;
        assert.deepEqual(after.history, listed.history);
        assert.equal(after.since, after.history[0].at, 'complete only from the oldest change kept');
    });

    test("no number of other groups' changes pushes a group's history out; reading it is one read whatever the workspace holds", async () => {
        const ws = workspace();
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        const history = new EncryptionHistory(ws.read().getPersistenceReader(), ws.persistence());
        const entry = { at: new Date().toISOString(), encrypted: true, door: 'core' as const, by: { id: 'otto', username: 'otto' } };
        await Promise.all(Array.from({ length: 2100 }, (_, i) => history.record(`otto-${i}`, entry)));
        const reads = ws.calls['persistence.read'] ?? 0;
        assert.deepEqual(await historyOf(ws), ['on by olivia (endpoint)']);
        assert.equal(ws.calls['persistence.read'] - reads, 2, "the group's changes, and the watch (since when)");
    });

    test('changes recorded at the same time are all kept (nothing is read and written back)', async () => {
        const ws = workspace();
        const history = new EncryptionHistory(ws.read().getPersistenceReader(), ws.persistence());
        const entry = (i: number) => ({
            at: new Date().toISOString(),
            encrypted: i % 2 === 0,
            door: 'core' as const,
            by: { id: 'olivia', username: 'olivia' },
        });
        await Promise.all(Array.from({ length: 40 }, (_, i) => history.record('secret', entry(i))));
        assert.equal((await history.of('secret')).entries.length, 40);
    });

    test('records of the format before the log are carried over when the app starts, once, with when recording began', async () => {
        const ws = workspace();
        const at = (minute: number) => `2026-11-0${minute}T10:00:00.000Z`;
        const old = [
            { at: at(1), encrypted: true, door: 'endpoint', by: { id: 'olivia', username: 'olivia' } },
            { at: at(2), encrypted: false, door: 'core', by: { id: 'mo', username: 'mo' } },
        ];
        ws.records.push(
            {
                data: { roomId: 'secret', since: at(1), entries: old },
                associations: [
                    { model: 'room', id: 'secret' },
                    { model: 'misc', id: 'encryption-history' },
                ],
            },
            { data: { since: at(1), groups: 'secret' }, associations: [{ model: 'misc', id: 'encryption-history-index' }] },
        );
        assert.deepEqual(await historyOf(ws), ['on by olivia (endpoint)', 'off by mo (core)'], 'read as it is before');
        ws.appSettings[SettingId.AllowTurningOff] = true;
        await reconcileNow(ws, true);
        await reconcileNow(ws, true);
        assert.deepEqual(await historyOf(ws), ['on by olivia (endpoint)', 'off by mo (core)']);
        assert.equal((await encryptionHistory(ws, 'olivia', { roomId: 'secret' })).content.since, at(1));
        assert.ok(!ws.records.some((record) => record.associations.some((association) => association.id === 'encryption-history')), 'old records gone');
    });

    test('/encrypt history #group: the last changes, with their doors', async () => {
        const ws = workspace();
        await reconcileNow(ws, true);
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        const reply = await runCommand(ws, 'olivia', 'dm', ['history', '#secret']);
        assert.match(
            reply,
            /^Encryption changes of #secret, newest last since \d{4}-\d\d-\d\d \d\d:\d\d:\n\d{4}-\d\d-\d\d \d\d:\d\d: on by @olivia \(the app's API\)/,
        );
    });
});
