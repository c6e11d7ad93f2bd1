// The server settings a fresh workspace starts with, for the ones the app and the stand-in read
// (apps/meteor/server/settings/e2e.ts, general.ts), with the version's own defaults on top.
import type { ServerProfile } from '../generations';
import type { Storage } from '../storage/Storage';

const DEFAULT_SETTINGS: Record<string, unknown> = {
    E2E_Enable: false,
    E2E_Allow_Unencrypted_Messages: false,
    E2E_Enabled_Default_PrivateRooms: false,
    E2E_Enabled_Default_DirectRooms: false,
    E2E_Enable_Encrypt_Files: true,
    Site_Url: 'http://localhost:3000',
    Site_Name: 'Rocket.Chat stand-in',
    Language: 'en',
};

export function seedSettings(storage: Storage, profile: ServerProfile): void {
    for (const [id, value] of Object.entries({ ...DEFAULT_SETTINGS, ...profile.settingDefaults })) {
        storage.settings.set(id, value);
    }
}
