// Whatever arrives in the body or query, the answer is a clean 4xx in Rocket.Chat's shape and the
// workspace is untouched.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { getEncrypted, setEncrypted, workspace } from '../fakes/harness';
import { ENCRYPTED_REQUIRED, NOT_FOUND, NOT_PROVIDED } from '../support/rocketchat';

const huge = 'x'.repeat(1024 * 1024);

describe('groups.setEncrypted body', () => {
    for (const [label, content, expected] of [
        ['a string body', 'encrypted=true&roomId=secret', ENCRYPTED_REQUIRED],
        ['an array body', [{ roomId: 'secret', encrypted: true }], ENCRYPTED_REQUIRED],
        ['a null body', null, ENCRYPTED_REQUIRED],
        ['a number body', 42, ENCRYPTED_REQUIRED],
        ['encrypted as a Mongo operator', { roomId: 'secret', encrypted: { $ne: null } }, ENCRYPTED_REQUIRED],
        ['encrypted as an array', { roomId: 'secret', encrypted: [true] }, ENCRYPTED_REQUIRED],
        ['roomId as a Mongo operator', { roomId: { $ne: null }, encrypted: true }, NOT_FOUND],
        ['roomName as an array', { roomName: ['secret'], encrypted: true }, NOT_FOUND],
        ['roomId as a number', { roomId: 7, encrypted: true }, NOT_FOUND],
        // findPrivateGroupByIdOrName (apps/meteor/server/api/v1/groups.ts, 8.x): "not provided" only
        // without either key, or with both keys empty; a present, empty roomId is looked up and not found.
        ['roomId null, no roomName', { roomId: null, encrypted: true }, NOT_FOUND],
        ['roomId empty, no roomName', { roomId: '', encrypted: true }, NOT_FOUND],
        ['roomName empty, no roomId', { roomName: '', encrypted: true }, NOT_FOUND],
        ['roomId and roomName both empty', { roomId: '', roomName: '', encrypted: true }, NOT_PROVIDED],
        ['roomId null and roomName empty', { roomId: null, roomName: '', encrypted: true }, NOT_PROVIDED],
        ['a 1 MB roomId', { roomId: huge, encrypted: true }, NOT_FOUND],
        ['control characters in roomName', { roomName: 'sec\u0000ret\n', encrypted: true }, NOT_FOUND],
        ['unicode roomName', { roomName: '秘密🔒', encrypted: true }, NOT_FOUND],
        ['a __proto__ key carrying the fields', JSON.parse('{"__proto__": {"roomId": "secret", "encrypted": true}}'), ENCRYPTED_REQUIRED],
        ['a constructor key', JSON.parse('{"constructor": {"encrypted": true}, "roomId": "secret"}'), ENCRYPTED_REQUIRED],
        // A room named only through the prototype chain is no room named: own keys count, as in Rocket.Chat's `'roomId' in params` on a plain parsed body.
        ['a roomId that only a __proto__ key carries', JSON.parse('{"__proto__": {"roomId": "secret"}, "encrypted": true}'), NOT_PROVIDED],
    ] as const) {
        test(`${label} → 400 in Rocket.Chat's shape, nothing changed`, async () => {
            const ws = workspace();
            const response = await setEncrypted(ws, 'olivia', content);
            assert.equal(response.status, 400);
            assert.deepEqual(response.content, expected);
            assert.equal(ws.encryptedOf('secret'), undefined);
            assert.equal(ws.calls['room.update'], undefined);
        });
    }
});

describe('groups.getEncrypted', () => {
    test('an owner sees the state and that they may toggle', async () => {
        const response = await getEncrypted(workspace(), 'olivia', { roomId: 'secret' });
        assert.equal(response.status, 200);
        assert.deepEqual(response.content, { encrypted: false, canToggle: true, success: true });
    });

    test('by name, after encryption is on', async () => {
        const ws = workspace();
        await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        const response = await getEncrypted(ws, 'mia', { roomName: 'secret' });
        assert.deepEqual(response.content, { encrypted: true, canToggle: false, success: true });
    });

    test('a moderator may edit but not toggle', async () => {
        const response = await getEncrypted(workspace(), 'mo', { roomId: 'secret' });
        assert.equal(response.content.canToggle, false);
    });

    test('E2E switched off for the workspace → nobody can toggle', async () => {
        const ws = workspace();
        ws.serverSettings.E2E_Enable = false;
        const response = await getEncrypted(ws, 'olivia', { roomId: 'secret' });
        assert.equal(response.content.canToggle, false);
    });

    test('an archived group reports its state but cannot be toggled', async () => {
        const response = await getEncrypted(workspace(), 'olivia', { roomId: 'old' });
        assert.deepEqual(response.content, { encrypted: false, canToggle: false, success: true });
    });

    test('a group the caller is not in is "not found", as for a toggle', async () => {
        const response = await getEncrypted(workspace(), 'adam', { roomId: 'secret' });
        assert.equal(response.status, 400);
        assert.deepEqual(response.content, NOT_FOUND);
    });

    test('no room named → error-room-param-not-provided', async () => {
        const response = await getEncrypted(workspace(), 'olivia', {});
        assert.deepEqual(response.content, NOT_PROVIDED);
    });

    test('not logged in → 401', async () => {
        const response = await getEncrypted(workspace(), undefined, { roomId: 'secret' });
        assert.equal(response.status, 401);
    });
});

test('a Refusal from another copy of its module is still recognised (vm2 evaluates modules per require)', () => {
    // Loading the module twice, as vm2 does, needs CommonJS require and its cache.
    const path = require.resolve('../../lib/Refusal');
    const first = require(path); // eslint-disable-line @typescript-eslint/no-require-imports
    delete require.cache[path];
    const second = require(path); // eslint-disable-line @typescript-eslint/no-require-imports
    const refusal = second.Refusal.roomNotFound();
    assert.equal(refusal instanceof first.Refusal, false, 'the trap this guards against');
    assert.equal(first.isRefusal(refusal), true);
    assert.equal(first.isRefusal({ room: {} }), false);
});
