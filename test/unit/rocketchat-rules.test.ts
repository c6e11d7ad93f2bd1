// Every rule of Rocket.Chat's groups.setEncrypted (apps/meteor/app/api/server/v1/groups.ts and the
// saveRoomSettings it calls), through the app's endpoint, with the exact status, `error`,
// `errorType` and `details`. Each test changes one thing against a group that works.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { setEncrypted, workspace } from '../fakes/harness';
import { E2E_UNAVAILABLE, EDIT_NOT_ALLOWED, ENCRYPTED_REQUIRED, NOT_FOUND, NOT_PROVIDED, TOGGLE_NOT_ALLOWED, archivedError } from '../support/rocketchat';

describe('rule 1: `encrypted` must be a real boolean, checked before the room', () => {
    for (const [label, value] of [
        ['missing', undefined],
        ['the string "true"', 'true'],
        ['null', null],
        ['the number 1', 1],
    ] as const) {
        test(`${label} → 400 bodyParam error without errorType, nothing read or written`, async () => {
            const ws = workspace();
            const body = value === undefined ? { roomId: 'secret' } : { roomId: 'secret', encrypted: value };
            const response = await setEncrypted(ws, 'olivia', body);
            assert.equal(response.status, 400);
            assert.deepEqual(response.content, ENCRYPTED_REQUIRED);
            assert.equal(ws.calls['room.getById'], undefined);
            assert.equal(ws.encryptedOf('secret'), undefined);
        });
    }

    test('the boolean error wins even when no room is named', async () => {
        const response = await setEncrypted(workspace(), 'olivia', {});
        assert.deepEqual(response.content, ENCRYPTED_REQUIRED);
    });
});

describe('rule 2: a group must be named', () => {
    test('neither roomId nor roomName → error-room-param-not-provided', async () => {
        const response = await setEncrypted(workspace(), 'olivia', { encrypted: true });
        assert.equal(response.status, 400);
        assert.deepEqual(response.content, NOT_PROVIDED);
    });

    test('both empty → error-room-param-not-provided', async () => {
        const response = await setEncrypted(workspace(), 'olivia', { encrypted: true, roomId: '', roomName: '' });
        assert.deepEqual(response.content, NOT_PROVIDED);
    });

    test('a present roomId wins over roomName', async () => {
        const ws = workspace();
        const response = await setEncrypted(ws, 'olivia', { encrypted: true, roomId: 'nope', roomName: 'secret' });
        assert.deepEqual(response.content, NOT_FOUND);
        assert.equal(ws.encryptedOf('secret'), undefined);
    });

    test('roomName alone names the group by its name', async () => {
        const ws = workspace();
        const response = await setEncrypted(ws, 'olivia', { encrypted: true, roomName: 'secret' });
        assert.equal(response.status, 200);
        assert.equal(ws.encryptedOf('secret'), true);
    });
});

describe('rule 3: one "not found" for missing, not a group, or not yours', () => {
    for (const [label, user, body] of [
        ['no such room', 'olivia', { roomId: 'nope' }],
        ['a public channel', 'olivia', { roomId: 'town' }],
        ['a direct message', 'olivia', { roomId: 'dm' }],
        ['a group the caller is not in', 'otto', { roomId: 'secret' }],
        ['a group an admin is not in (no bypass)', 'adam', { roomId: 'secret' }],
        ['a channel by name', 'olivia', { roomName: 'town' }],
    ] as const) {
        test(`${label} → error-room-not-found, nothing changed`, async () => {
            const ws = workspace();
            const response = await setEncrypted(ws, user, { ...body, encrypted: true });
            assert.equal(response.status, 400);
            assert.deepEqual(response.content, NOT_FOUND);
            assert.equal(ws.calls['room.update'], undefined);
            assert.deepEqual(ws.notices, []);
        });
    }
});

test('rule 4: archived group → error-room-archived with the group name', async () => {
    const ws = workspace();
    const response = await setEncrypted(ws, 'olivia', { roomId: 'old', encrypted: true });
    assert.equal(response.status, 400);
    assert.deepEqual(response.content, archivedError('old'));
    assert.equal(ws.encryptedOf('old'), undefined);
});

describe('rule 5: edit-room', () => {
    test('a plain member → Editing room is not allowed', async () => {
        const ws = workspace();
        const response = await setEncrypted(ws, 'mia', { roomId: 'secret', encrypted: true });
        assert.equal(response.status, 400);
        assert.deepEqual(response.content, EDIT_NOT_ALLOWED);
    });

    test('a leader has no edit-room by default', async () => {
        const response = await setEncrypted(workspace(), 'lee', { roomId: 'secret', encrypted: true });
        assert.deepEqual(response.content, EDIT_NOT_ALLOWED);
    });

    test('edit-room is checked even when the value would not change', async () => {
        const ws = workspace();
        ws.setEncryptedFlag('secret', true);
        const response = await setEncrypted(ws, 'mia', { roomId: 'secret', encrypted: true });
        assert.deepEqual(response.content, EDIT_NOT_ALLOWED);
    });
});

describe('rule 6: only on a change, E2E must be on and the caller may toggle', () => {
    test('E2E_Enable off → Only groups or direct channels can enable encryption', async () => {
        const ws = workspace();
        ws.serverSettings.E2E_Enable = false;
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        assert.equal(response.status, 400);
        assert.deepEqual(response.content, E2E_UNAVAILABLE);
        assert.equal(ws.encryptedOf('secret'), undefined);
    });

    test('a federated group → the same refusal', async () => {
        const response = await setEncrypted(workspace(), 'olivia', { roomId: 'fed', encrypted: true });
        assert.deepEqual(response.content, E2E_UNAVAILABLE);
    });

    test('a moderator has edit-room but not toggle-room-e2e-encryption', async () => {
        const ws = workspace();
        const response = await setEncrypted(ws, 'mo', { roomId: 'secret', encrypted: true });
        assert.equal(response.status, 400);
        assert.deepEqual(response.content, TOGGLE_NOT_ALLOWED);
        assert.equal(ws.encryptedOf('secret'), undefined);
    });

    test('strict comparison: false on a group that never had the flag is a change', async () => {
        const ws = workspace();
        const response = await setEncrypted(ws, 'mo', { roomId: 'secret', encrypted: false });
        assert.deepEqual(response.content, TOGGLE_NOT_ALLOWED);
    });

    test('E2E off does not matter when nothing would change', async () => {
        const ws = workspace();
        ws.serverSettings.E2E_Enable = false;
        ws.setEncryptedFlag('secret', false);
        const response = await setEncrypted(ws, 'mo', { roomId: 'secret', encrypted: false });
        assert.equal(response.status, 200);
    });
});

describe('rules 7, 8, 11: the write, the notice, the answer', () => {
    test('an owner switches it on: flag written, one room_e2e_enabled notice by the owner', async () => {
        const ws = workspace();
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        assert.equal(response.status, 200);
        assert.equal(ws.encryptedOf('secret'), true);
        assert.deepEqual(ws.notices, [{ roomId: 'secret', type: 'room_e2e_enabled', userId: 'olivia', by: 'app' }]);
    });

    test('switching off posts room_e2e_disabled', async () => {
        const ws = workspace();
        ws.setEncryptedFlag('secret', true);
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: false });
        assert.equal(ws.encryptedOf('secret'), false);
        assert.deepEqual(
            ws.notices.map((notice) => notice.type),
            ['room_e2e_disabled'],
        );
    });

    test('a global admin who is a member may toggle', async () => {
        const ws = workspace();
        const response = await setEncrypted(ws, 'ada', { roomId: 'secret', encrypted: true });
        assert.equal(response.status, 200);
        assert.deepEqual(
            ws.notices.map((notice) => notice.userId),
            ['ada'],
        );
    });

    test('unset → false is written, but the boolean did not change, so no notice', async () => {
        const ws = workspace();
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: false });
        assert.equal(response.status, 200);
        assert.equal(ws.encryptedOf('secret'), false);
        assert.deepEqual(ws.notices, []);
    });

    test("the 200 body has the seed's shape with the room's real values", async () => {
        const ws = workspace();
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        assert.deepEqual(response.content, {
            group: {
                _id: 'secret',
                fname: 'secret',
                description: '',
                broadcast: false,
                encrypted: true,
                name: 'secret',
                t: 'p',
                msgs: 0,
                usersCount: 5,
                u: { _id: 'olivia', username: 'olivia' },
                ts: '2026-01-01T00:00:00.000Z',
                ro: false,
                _updatedAt: '2026-01-02T00:00:00.000Z',
            },
            success: true,
        });
    });

    test('a team main group carries teamMain', async () => {
        const response = await setEncrypted(workspace(), 'olivia', { roomId: 'team', encrypted: true });
        assert.equal(response.content.group.teamMain, true);
    });
});

test('rule 10: the same value again → 200, nothing written, no notice', async () => {
    const ws = workspace();
    ws.setEncryptedFlag('secret', true);
    const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
    assert.equal(response.status, 200);
    assert.equal(response.content.success, true);
    assert.equal(ws.calls['room.update'], undefined);
    assert.deepEqual(ws.notices, []);
});

test("not logged in → 401 in the seed's shape", async () => {
    const response = await setEncrypted(workspace(), undefined, { roomId: 'secret', encrypted: true });
    assert.equal(response.status, 401);
    assert.deepEqual(response.content, { status: 'error', message: 'You must be logged in to do this.' });
});

describe('the order of the checks', () => {
    test('archived is told before edit rights (a plain member sees "archived")', async () => {
        const response = await setEncrypted(workspace(), 'mia', { roomId: 'old', encrypted: true });
        assert.equal(response.content.errorType, 'error-room-archived');
    });

    test('access is checked before archived (an outsider sees "not found")', async () => {
        const response = await setEncrypted(workspace(), 'otto', { roomId: 'old', encrypted: true });
        assert.deepEqual(response.content, NOT_FOUND);
    });

    test('edit rights are checked before E2E availability', async () => {
        const ws = workspace();
        ws.serverSettings.E2E_Enable = false;
        const response = await setEncrypted(ws, 'mia', { roomId: 'secret', encrypted: true });
        assert.deepEqual(response.content, EDIT_NOT_ALLOWED);
    });

    test('E2E availability is checked before the toggle permission', async () => {
        const ws = workspace();
        ws.serverSettings.E2E_Enable = false;
        const response = await setEncrypted(ws, 'mo', { roomId: 'secret', encrypted: true });
        assert.deepEqual(response.content, E2E_UNAVAILABLE);
    });
});
