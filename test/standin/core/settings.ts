// The server settings a fresh workspace starts with, for the ones the app and the stand-in read
// (apps/meteor/server/settings/e2e.ts, general.ts, general.ts's REST API section for the rate
// limiter, discussion.ts), with the version's own defaults on top.
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
    // The REST API's rate limiter (see ../api/rateLimiter.ts): on, 10 calls per route a minute.
    API_Enable_Rate_Limiter: true,
    API_Enable_Rate_Limiter_Limit_Calls_Default: 10,
    API_Enable_Rate_Limiter_Limit_Time_Default: 60_000,
    Discussion_enabled: true,
};

export function seedSettings(storage: Storage, profile: ServerProfile): void {
    for (const [id, value] of Object.entries({ ...DEFAULT_SETTINGS, ...profile.settingDefaults })) {
        storage.settings.set(id, value);
    }
}
