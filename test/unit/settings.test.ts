// The app settings: which roles may edit and toggle (they narrow Rocket.Chat's permission table),
// how they are read when an admin saves them, and whether encryption may be switched off at all.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { IRole } from '@rocket.chat/apps-engine/definition/roles';

import { AppSettings, DEFAULT_TOGGLE_ROLES, SETTINGS, SettingId, normaliseRoles, parseRoles } from '../../lib/AppSettings';
import { REMAP_MS, RoleIds, isBuiltInRole } from '../../lib/authority/RoleIds';
import { runCommand, setEncrypted, workspace } from '../fakes/harness';
import { EDIT_NOT_ALLOWED, TOGGLE_NOT_ALLOWED, rcError } from '../support/rocketchat';

// The settings narrow Rocket.Chat's permission table and never widen it: these endpoint calls carry
// the caller's session, with which the app reads the table (before 7.4). There is no case left
// where the settings alone decide (authority.test.ts: a door with no one to read the table refuses).
describe('role settings narrow the permission table', () => {
    test("defaults are Rocket.Chat's: edit-room owner/moderator/admin, toggle owner/admin", () => {
        const value = (id: string) => SETTINGS.find((setting) => setting.id === id)?.packageValue;
        assert.deepEqual(parseRoles(value(SettingId.EditRoomRoles), ''), ['owner', 'moderator', 'admin']);
        assert.deepEqual(parseRoles(value(SettingId.ToggleRoles), ''), ['owner', 'admin']);
    });

    test('adding moderator to the toggle roles lets a moderator toggle only once the table gives moderators the permission too', async () => {
        const ws = workspace();
        ws.appSettings[SettingId.ToggleRoles] = 'owner, admin, moderator';
        const settingAlone = await setEncrypted(ws, 'mo', { roomId: 'secret', encrypted: true });
        assert.deepEqual(settingAlone.content, TOGGLE_NOT_ALLOWED);
        ws.setPermission('toggle-room-e2e-encryption', ['owner', 'admin', 'moderator']);
        const response = await setEncrypted(ws, 'mo', { roomId: 'secret', encrypted: true });
        assert.equal(response.status, 200);
        assert.equal(ws.encryptedOf('secret'), true);
    });

    test('a leader needs both lists (and the table)', async () => {
        const ws = workspace();
        ws.setPermission('edit-room', ['admin', 'owner', 'moderator', 'leader']);
        ws.setPermission('toggle-room-e2e-encryption', ['owner', 'admin', 'leader']);
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

    // The settings API stores what a script sends, of any type: anything but a real boolean takes
    // the stricter meaning.
    for (const value of ['false', 'true', '', 0, 1, 'yes']) {
        test(`${JSON.stringify(value)} (not a boolean) does not allow it`, async () => {
            const ws = workspace();
            ws.appSettings[SettingId.AllowTurningOff] = value;
            ws.setEncryptedFlag('secret', true);
            const response = await setEncrypted(ws, 'olivia', { roomId: 'secret', encrypted: false });
            assert.deepEqual(response.content, OFF_REFUSED);
            assert.equal(ws.encryptedOf('secret'), true);
        });
    }
});

describe('role settings as an admin types them', () => {
    const normalise = (value: unknown) => normaliseRoles(value, 'owner, admin', isBuiltInRole);

    test("built-in role names in any case are read in Rocket.Chat's spelling, and the change is said", () => {
        assert.deepEqual(normalise('Owner, ADMIN'), {
            value: 'owner, admin',
            notes: ['"Owner" is read as the built-in role "owner"', '"ADMIN" is read as the built-in role "admin"'],
        });
    });

    test('custom role names stay as typed; repeats and odd separators go', () => {
        assert.deepEqual(normalise(' owner ,crypto-Keepers  owner'), { value: 'owner, crypto-Keepers', notes: [] });
    });

    test('empty: the default, and why', () => {
        const { value, notes } = normalise('  ');
        assert.equal(value, 'owner, admin');
        assert.match(notes[0], /empty value means Rocket\.Chat's default roles/);
    });

    test('an admin is told which names are no role of the workspace', async () => {
        const ws = workspace();
        ws.appSettings[SettingId.ToggleRoles] = 'owner, admin, crypto-keepers';
        const reply = await runCommand(ws, 'ada', 'secret', ['status']);
        assert.match(reply, /For admins: the app's role settings name roles this workspace does not have: crypto-keepers\./);
    });
});

describe('custom role names, mapped to ids again', () => {
    /** The workspace's custom roles by name, as the role reader finds them; `lookups` counts its calls. */
    function roles(initial: Record<string, string>) {
        const byName = new Map(Object.entries(initial));
        const reader = {
            appId: 'app',
            roles: {
                getOneByIdOrName: async (name: string) => {
                    reader.lookups++;
                    const id = byName.get(name);
                    return id ? ({ id, name } as IRole) : null;
                },
            },
            lookups: 0,
        };
        return { byName, reader };
    }

    test("a role renamed, and its name given to another role: the setting's name narrows to the new one within REMAP_MS, and lookups are saved meanwhile", async () => {
        let now = 0;
        const ids = new RoleIds(() => now);
        const { byName, reader } = roles({ auditors: 'r-old' });
        assert.deepEqual(await ids.of(['auditors', 'admin'], reader), [
            { id: 'r-old', name: 'auditors' },
            { id: 'admin', name: 'admin' },
        ]);
        // The admin renames `auditors` to `former-auditors` and creates a new `auditors`.
        byName.delete('auditors');
        byName.set('former-auditors', 'r-old');
        byName.set('auditors', 'r-new');
        now += REMAP_MS - 1;
        assert.deepEqual(await ids.of(['auditors'], reader), [{ id: 'r-old', name: 'auditors' }], 'kept for a while: one lookup per name, not per decision');
        assert.equal(reader.lookups, 1);
        now += 1;
        assert.deepEqual(await ids.of(['auditors'], reader), [{ id: 'r-new', name: 'auditors' }]);
        // A role deleted: its name matches nobody once looked up again.
        byName.delete('auditors');
        now += REMAP_MS;
        assert.deepEqual(await ids.of(['auditors'], reader), []);
        assert.deepEqual(await ids.unknown(['auditors', 'owner'], reader), ['auditors']);
    });

    test('the role settings changed: every name is looked up at once (forget); a failed lookup keeps no old id', async () => {
        const ids = new RoleIds(() => 0);
        const { byName, reader } = roles({ auditors: 'r-old' });
        await ids.of(['auditors'], reader);
        byName.set('auditors', 'r-new');
        ids.forget();
        assert.deepEqual(await ids.of(['auditors'], reader), [{ id: 'r-new', name: 'auditors' }]);
        let now = 0;
        const failing = new RoleIds(() => now);
        await failing.of(['auditors'], reader);
        now += REMAP_MS;
        reader.roles.getOneByIdOrName = async () => {
            throw new Error('role bridge down');
        };
        assert.deepEqual(await failing.of(['auditors'], reader), []);
    });
});

describe('the service account saved one half at a time', () => {
    const settingsOf = (userId: unknown, token: unknown) =>
        new AppSettings({
            getValueById: async (id: string) => (id === SettingId.ServiceAccountUserId ? userId : id === SettingId.ServiceAccountToken ? token : undefined),
        });

    test('names the half still empty while the other is set, and nothing when both or neither are', async () => {
        assert.equal(await settingsOf('svc', '').serviceAccountMissingHalf(), 'personal access token');
        assert.equal(await settingsOf('  ', 'token').serviceAccountMissingHalf(), 'user id');
        assert.equal(await settingsOf(undefined, 'token').serviceAccountMissingHalf(), 'user id');
        assert.equal(await settingsOf('svc', 'token').serviceAccountMissingHalf(), undefined);
        assert.equal(await settingsOf('', '').serviceAccountMissingHalf(), undefined);
        assert.equal(await settingsOf('svc', 'token').serviceAccount().then(Boolean), true);
    });
});
