// The reconcile, over the fake workspace: a group the app knows as encrypted and finds switched off
// — nobody told the app, or it was not running — is recorded as such and switched back on where
// turning off is not allowed, on every generation, and each finding is recorded once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { SettingId } from '../../lib/AppSettings';
import { GUARD_TURN_MS } from '../../lib/reconcile/Reconcile';
import { REST_TIMEOUT_MS } from '../../lib/rest/ServerRest';
import { SERVICE_TOKEN, TOKEN, encryptionHistory, reconcileNow, runCommand, setEncrypted, workspace } from '../fakes/harness';

type Ws = ReturnType<typeof workspace>;

const historyOf = async (ws: Ws, roomId = 'secret') =>
    (await encryptionHistory(ws, 'olivia', { roomId })).content.history.map(
        (entry: { encrypted: boolean; by?: { username: string }; door: string }) =>
            `${entry.encrypted ? 'on' : 'off'}${entry.by ? ` by ${entry.by.username}` : ''} (${entry.door})`,
    );

/** A workspace whose app keeps encrypted groups encrypted; `secret` switched on through the app, then off behind its back. */
async function switchedOffUnseen(generation: 'before 7.4' | '7.4+', serviceAccount = true): Promise<Ws> {
    const ws = workspace();
    if (generation === '7.4+') {
        ws.roomModifier = 'ignored';
    }
    if (serviceAccount) {
        ws.appSettings[SettingId.ServiceAccountUserId] = 'svc';
        ws.appSettings[SettingId.ServiceAccountToken] = SERVICE_TOKEN;
    }
    ws.appSettings[SettingId.AllowTurningOff] = false;
    await reconcileNow(ws, true);
    // On 7.4+ the caller's own session writes through Rocket.Chat's route.
    assert.equal((await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true }, { 'x-user-id': 'olivia', 'x-auth-token': TOKEN })).status, 200);
    // Rocket.Chat's own route switches it off, and the app is told nothing (stalled, disabled, or before 7.4).
    ws.setEncryptedFlag('secret', false);
    return ws;
}

describe('the reconcile', () => {
    test('before 7.4, no service account: switched back with the room modifier and the app bot’s notice, recorded as found and as reconciled', async () => {
        const ws = await switchedOffUnseen('before 7.4', false);
        const report = await reconcileNow(ws);
        assert.equal(ws.encryptedOf('secret'), true);
        assert.deepEqual(
            { checked: report.checked, switchedBack: report.switchedBack, unseen: report.unseen, problem: report.problem },
            { checked: 1, switchedBack: 1, unseen: 1, problem: undefined },
        );
        assert.deepEqual((await historyOf(ws)).slice(-2), ['off (unseen)', 'on by app-bot (reconcile)']);
        assert.deepEqual(ws.notices.at(-1), { roomId: 'secret', type: 'room_e2e_enabled', userId: 'app-bot', by: 'app' });
    });

    test('a group switched off a moment ago is left to the guard (its event may be on its way), and looked at again once that moment has passed', async () => {
        const ws = await switchedOffUnseen('7.4+');
        ws.rooms.get('secret')!.updatedAt = new Date(Date.now() - GUARD_TURN_MS / 2);
        const report = await reconcileNow(ws);
        assert.equal(ws.encryptedOf('secret'), false);
        assert.deepEqual([report.unseen, report.switchedBack], [0, 0]);
        const again = ws.scheduled.at(-1) as { id: string; when: Date; data?: unknown };
        assert.equal(again.id, 'encryption-reconcile');
        assert.ok(again.when.getTime() >= Date.now() + GUARD_TURN_MS / 2, `looked at again at ${again.when.toISOString()}`);
        assert.equal(again.data, undefined, 'a whole run, not the rest of one');
        // Once the moment has passed, nobody switched it back: the reconcile does.
        ws.rooms.get('secret')!.updatedAt = new Date(Date.now() - GUARD_TURN_MS);
        await reconcileNow(ws);
        assert.equal(ws.encryptedOf('secret'), true);
        assert.deepEqual((await historyOf(ws)).slice(-2), ['off (unseen)', 'on by svc (reconcile)']);
    });

    test("7.4+: switched back through Rocket.Chat's route as the service account, with the server's notice", async () => {
        const ws = await switchedOffUnseen('7.4+');
        await reconcileNow(ws);
        assert.equal(ws.encryptedOf('secret'), true);
        assert.deepEqual((await historyOf(ws)).slice(-2), ['off (unseen)', 'on by svc (reconcile)']);
        const [unseen, reconciled] = (await encryptionHistory(ws, 'olivia', { roomId: 'secret' })).content.history.slice(-2);
        assert.ok(reconciled.foundAt <= unseen.at && unseen.at <= reconciled.at, 'the switch-back says when the group was found off');
        assert.deepEqual(ws.notices.at(-1), { roomId: 'secret', type: 'room_e2e_enabled', userId: 'svc', by: 'server' });
        assert.ok(ws.httpCalls.some((call) => call.url.endsWith('/api/v1/rooms.saveRoomSettings')));
    });

    test('a second run, or two at once, finds nothing more to do and records nothing twice', async () => {
        const ws = await switchedOffUnseen('7.4+');
        await Promise.all([reconcileNow(ws), reconcileNow(ws)]);
        const again = await reconcileNow(ws);
        assert.equal(again.unseen, 0);
        const history = await historyOf(ws);
        assert.equal(history.filter((line: string) => line.endsWith('(reconcile)')).length, 1, history.join(', '));
        assert.equal(history.filter((line: string) => line.endsWith('(unseen)')).length, 1, history.join(', '));
    });

    test('7.4+ without a service account: it cannot write, and says so once per run, in the log and to admins in /encrypt status', async () => {
        const ws = await switchedOffUnseen('7.4+', false);
        const report = await reconcileNow(ws);
        assert.equal(ws.encryptedOf('secret'), false);
        assert.equal(report.problem, 'no-service-account');
        const warnings = ws.logLines.filter((line) => line.startsWith('warn:') && line.includes('the reconcile'));
        assert.equal(warnings.length, 1, warnings.join('\n'));
        assert.match(
            await runCommand(ws, 'ada', 'secret', ['status']),
            /found 1 encrypted group switched off and could not switch it back on: no service account is set/,
        );
        // Once an admin sets one, the next run switches the group back: the finding is not forgotten, nor recorded twice.
        ws.appSettings[SettingId.ServiceAccountUserId] = 'svc';
        ws.appSettings[SettingId.ServiceAccountToken] = SERVICE_TOKEN;
        await reconcileNow(ws);
        assert.equal(ws.encryptedOf('secret'), true);
        assert.deepEqual((await historyOf(ws)).slice(-3), ['on by olivia (endpoint)', 'off (unseen)', 'on by svc (reconcile)']);
    });

    test('a switch-off found while turning off was allowed stays off when an admin later forbids it', async () => {
        const ws = await switchedOffUnseen('7.4+');
        ws.appSettings[SettingId.AllowTurningOff] = true;
        await reconcileNow(ws);
        ws.appSettings[SettingId.AllowTurningOff] = false;
        const report = await reconcileNow(ws);
        assert.equal(report.checked, 0);
        assert.equal(ws.encryptedOf('secret'), false);
    });

    test('with turning off allowed, nothing is switched back; the change is recorded as unseen', async () => {
        const ws = await switchedOffUnseen('7.4+');
        ws.appSettings[SettingId.AllowTurningOff] = true;
        const report = await reconcileNow(ws);
        assert.equal(ws.encryptedOf('secret'), false);
        assert.equal(report.switchedBack, 0);
        assert.deepEqual((await historyOf(ws)).slice(-1), ['off (unseen)']);
        assert.ok(!ws.httpCalls.some((call) => call.url.endsWith('rooms.saveRoomSettings')));
    });

    test('a group the history knows as off, or not at all, is left alone', async () => {
        const ws = workspace();
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: false });
        ws.appSettings[SettingId.AllowTurningOff] = false;
        const report = await reconcileNow(ws);
        assert.deepEqual({ checked: report.checked, unseen: report.unseen }, { checked: 0, unseen: 0 });
        assert.equal(ws.encryptedOf('secret'), false);
    });

    test('it costs one room read per protected group, and a few calls besides', async () => {
        const ws = workspace();
        for (let i = 0; i < 40; i++) {
            ws.addRoom({ id: `g${i}`, members: ['olivia'], owners: ['olivia'] });
            await setEncrypted(ws, 'olivia', { roomId: `g${i}`, encrypted: true });
        }
        const before = { ...ws.calls };
        const report = await reconcileNow(ws);
        assert.equal(report.checked, 40);
        assert.equal(ws.calls['room.getById'] - (before['room.getById'] ?? 0), 40);
        const persistence = ['persistence.read', 'persistence.update', 'persistence.create', 'persistence.remove'];
        const other = persistence.reduce((sum, name) => sum + (ws.calls[name] ?? 0) - (before[name] ?? 0), 0);
        assert.ok(other <= 4, `${other} persistence calls`);
    });

    test('a run that runs out of time goes on in a one-time job from the group after the last it read, and says so', async () => {
        const ws = workspace();
        const ids = Array.from({ length: 60 }, (_, i) => `g${String(i).padStart(2, '0')}`);
        for (const id of ids) {
            ws.addRoom({ id, members: ['olivia'], owners: ['olivia'] });
            await setEncrypted(ws, 'olivia', { roomId: id, encrypted: true });
        }
        // Room reads that take 200 ms a batch, in a run that may start a batch only in its first 300 ms.
        const read = ws.read.bind(ws);
        ws.read = () => {
            const accessors = read();
            const rooms = accessors.getRoomReader();
            const slow = { ...rooms, getById: async (id: string) => (await new Promise((resolve) => setTimeout(resolve, 200)), rooms.getById(id)) };
            return { ...accessors, getRoomReader: () => slow } as typeof accessors;
        };
        ws.instance.budgetMs = REST_TIMEOUT_MS + 1000 + 300;
        const first = await reconcileNow(ws);
        assert.ok(first.checked > 0 && first.checked < ids.length, `${first.checked} read in the first run`);
        const next = ws.scheduled.at(-1) as { id: string; when: Date; data: { after: string } };
        assert.deepEqual(next, { id: 'encryption-reconcile', when: next.when, data: { after: ids[first.checked - 1] } });
        assert.ok(ws.logLines.some((line) => /goes on in a moment with the rest/.test(line)));
        ws.instance.budgetMs = undefined;
        const rest = await reconcileNow(ws, false, next.data.after);
        assert.equal(first.checked + rest.checked, ids.length, 'every group read once over the two runs');
    });

    describe('a start scans the workspace: a group the history knows as off and the scan finds on', () => {
        /** `secret` switched on and off through the app, and a service account that may list every group. */
        async function knownOff(): Promise<Ws> {
            const ws = workspace();
            ws.appSettings[SettingId.ServiceAccountUserId] = 'svc';
            ws.appSettings[SettingId.ServiceAccountToken] = SERVICE_TOKEN;
            ws.restAnswers['rooms.adminRooms'] = { statusCode: 200, body: { rooms: [{ _id: 'secret', name: 'secret', t: 'p' }], total: 1, success: true } };
            for (const encrypted of [true, false]) {
                assert.equal((await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted })).status, 200);
            }
            return ws;
        }

        test('switched on behind the app: recorded once as unseen, on a second start too', async () => {
            const ws = await knownOff();
            ws.setEncryptedFlag('secret', true);
            assert.equal((await reconcileNow(ws, true)).unseen, 1);
            assert.equal((await reconcileNow(ws, true)).unseen, 0);
            assert.deepEqual(await historyOf(ws), ['on by olivia (endpoint)', 'off by olivia (endpoint)', 'on (unseen)']);
        });

        test('switched on through the app while the run went on (after it read the history): no finding', async () => {
            const ws = await knownOff();
            // The owner's switch-on lands while the run lists the workspace, after it read the history.
            const http = ws.http.bind(ws);
            let switched = false;
            ws.http = () => {
                const server = http();
                return {
                    ...server,
                    get: async (url: string, request?: object) => {
                        if (url.includes('rooms.adminRooms') && !switched) {
                            switched = true;
                            assert.equal((await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true })).status, 200);
                        }
                        return server.get(url, request);
                    },
                };
            };
            assert.equal((await reconcileNow(ws, true)).unseen, 0);
            assert.ok(switched, 'the run listed the workspace');
            assert.deepEqual(await historyOf(ws), ['on by olivia (endpoint)', 'off by olivia (endpoint)', 'on by olivia (endpoint)']);
        });
    });

    test('a start after the app was not running records the period as a gap; the history shows it', async () => {
        const ws = workspace();
        await reconcileNow(ws, true);
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        await reconcileNow(ws, true);
        const { gaps } = (await encryptionHistory(ws, 'olivia', { roomId: 'secret' })).content;
        assert.equal(gaps.length, 1);
        assert.ok(gaps[0].from <= gaps[0].to);
        assert.match(await runCommand(ws, 'olivia', 'secret', ['history']), /the app was not running for a while/);
        await reconcileNow(ws);
        assert.equal((await encryptionHistory(ws, 'olivia', { roomId: 'secret' })).content.gaps.length, 1, 'a run on time is no gap');
        // A recurring run long after the last sign of life (the whole cluster was down): that is a gap too.
        const watch = ws.records.find((record) => record.associations.some((association) => association.id === 'encryption-watch'))!;
        (watch.data as { aliveAt: string }).aliveAt = new Date(Date.now() - 60 * 60_000).toISOString();
        await reconcileNow(ws);
        assert.equal((await encryptionHistory(ws, 'olivia', { roomId: 'secret' })).content.gaps.length, 2, 'a late run is a gap');
    });
});
