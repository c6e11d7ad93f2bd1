// The app settings: which roles may edit and toggle (for workspaces that changed Rocket.Chat's
// permission table) and whether encryption may be switched off at all.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { DEFAULT_TOGGLE_ROLES, SETTINGS, SettingId, parseRoles } from '../../lib/AppSettings';
import { setEncrypted, workspace } from '../fakes/harness';
import { EDIT_NOT_ALLOWED, TOGGLE_NOT_ALLOWED, rcError } from '../support/rocketchat';

describe('role settings', () => {
    test("defaults are Rocket.Chat's: edit-room owner/moderator/admin, toggle owner/admin", () => {
        const value = (id: string) => SETTINGS.find((setting) => setting.id === id)?.packageValue;
        assert.deepEqual(parseRoles(value(SettingId.EditRoomRoles), ''), ['owner', 'moderator', 'admin']);
        assert.deepEqual(parseRoles(value(SettingId.ToggleRoles), ''), ['owner', 'admin']);
    });

    test('adding moderator to the toggle roles lets a moderator toggle', async () => {
        const ws = workspace();
        ws.appSettings[SettingId.ToggleRoles] = 'owner, admin, moderator';
        const response = await setEncrypted(ws, 'mo', { roomId: 'secret', encrypted: true });
        assert.equal(response.status, 200);
        assert.equal(ws.encryptedOf('secret'), true);
    });

    test('a leader needs both lists', async () => {
        const ws = workspace();
        ws.appSettings[SettingId.ToggleRoles] = 'owner admin leader';
        const onlyToggle = await setEncrypted(ws, 'lee', { roomId: 'secret', encrypted: true });
        assert.deepEqual(onlyToggle.content, EDIT_NOT_ALLOWED);
        ws.appSettings[SettingId.EditRoomRoles] = 'owner,moderator,admin,leader';
        const both = await setEncrypted(ws, 'lee', { roomId: 'secret', encrypted: true });
        assert.equal(both.status, 200);
    });

    test('removing owner from the toggle roles stops owners', async () => {
        const ws = workspace();
        ws.appSettings[SettingId.ToggleRoles] = 'admin';
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        assert.deepEqual(response.content, TOGGLE_NOT_ALLOWED);
    });

    test("a blank list means Rocket.Chat's default, not nobody", async () => {
        const ws = workspace();
        ws.appSettings[SettingId.ToggleRoles] = '  ';
        assert.deepEqual(parseRoles('  ', DEFAULT_TOGGLE_ROLES), ['owner', 'admin']);
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        assert.equal(response.status, 200);
    });

    test('room roles are read only when a global role did not answer', async () => {
        const ws = workspace();
        await setEncrypted(ws, 'ada', { roomId: 'secret', encrypted: true });
        assert.equal(ws.calls['room.getowners'], undefined);
    });
});

describe('allow turning encryption off', () => {
    const OFF_REFUSED = rcError('Turning end-to-end encryption off is not allowed in this workspace', 'error-action-not-allowed');

    test('when disallowed, switching an encrypted group off is refused and nothing changes', async () => {
        const ws = workspace();
        ws.appSettings[SettingId.AllowTurningOff] = false;
        ws.setEncryptedFlag('secret', true);
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: false });
        assert.equal(response.status, 400);
        assert.deepEqual(response.content, OFF_REFUSED);
        assert.equal(ws.encryptedOf('secret'), true);
        assert.deepEqual(ws.notices, []);
    });

    test('when disallowed, switching on still works', async () => {
        const ws = workspace();
        ws.appSettings[SettingId.AllowTurningOff] = false;
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: true });
        assert.equal(response.status, 200);
    });

    test('allowed by default', async () => {
        const ws = workspace();
        ws.setEncryptedFlag('secret', true);
        const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: false });
        assert.equal(response.status, 200);
        assert.equal(ws.encryptedOf('secret'), false);
    });
});
