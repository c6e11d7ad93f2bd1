import type { ISettingRead } from '@rocket.chat/apps-engine/definition/accessors';
import { type ISetting, SettingType } from '@rocket.chat/apps-engine/definition/settings';

import type { Credential } from './rest/Credential';

export const SettingId = {
    EditRoomRoles: 'edit_room_roles',
    ToggleRoles: 'toggle_roles',
    AllowTurningOff: 'allow_turning_off',
    ServiceAccountUserId: 'service_account_user_id',
    ServiceAccountToken: 'service_account_token',
    ReconcileMinutes: 'reconcile_minutes',
} as const;

/** How often the reconcile runs unless an admin says otherwise, and the least it may be set to. */
export const DEFAULT_RECONCILE_MINUTES = 5;
export const MIN_RECONCILE_MINUTES = 1;

/** Rocket.Chat's default roles for `edit-room` and `toggle-room-e2e-encryption`. */
export const DEFAULT_EDIT_ROOM_ROLES = 'owner, moderator, admin';
export const DEFAULT_TOGGLE_ROLES = 'owner, admin';

export const SETTINGS: ReadonlyArray<ISetting> = [
    {
        id: SettingId.EditRoomRoles,
        type: SettingType.STRING,
        packageValue: DEFAULT_EDIT_ROOM_ROLES,
        required: true,
        public: false,
        i18nLabel: 'setting_edit_room_roles',
        i18nDescription: 'setting_edit_room_roles_description',
    },
    {
        id: SettingId.ToggleRoles,
        type: SettingType.STRING,
        packageValue: DEFAULT_TOGGLE_ROLES,
        required: true,
        public: false,
        i18nLabel: 'setting_toggle_roles',
        i18nDescription: 'setting_toggle_roles_description',
    },
    {
        id: SettingId.AllowTurningOff,
        type: SettingType.BOOLEAN,
        packageValue: true,
        required: true,
        public: false,
        i18nLabel: 'setting_allow_turning_off',
        i18nDescription: 'setting_allow_turning_off_description',
    },
    {
        id: SettingId.ServiceAccountUserId,
        type: SettingType.STRING,
        packageValue: '',
        required: false,
        public: false,
        i18nLabel: 'setting_service_account_user_id',
        i18nDescription: 'setting_service_account_user_id_description',
    },
    {
        id: SettingId.ServiceAccountToken,
        type: SettingType.PASSWORD,
        packageValue: '',
        required: false,
        public: false,
        i18nLabel: 'setting_service_account_token',
        i18nDescription: 'setting_service_account_token_description',
    },
    {
        id: SettingId.ReconcileMinutes,
        type: SettingType.NUMBER,
        packageValue: DEFAULT_RECONCILE_MINUTES,
        required: true,
        public: false,
        i18nLabel: 'setting_reconcile_minutes',
        i18nDescription: 'setting_reconcile_minutes_description',
    },
];

/** Typed reads of the app's own settings; each is read only when a rule needs it. */
export class AppSettings {
    constructor(private readonly settings: Pick<ISettingRead, 'getValueById'>) {}

    public async editRoomRoles(): Promise<Array<string>> {
        return parseRoles(await this.settings.getValueById(SettingId.EditRoomRoles), DEFAULT_EDIT_ROOM_ROLES);
    }

    public async toggleRoles(): Promise<Array<string>> {
        return parseRoles(await this.settings.getValueById(SettingId.ToggleRoles), DEFAULT_TOGGLE_ROLES);
    }

    /**
     * Only a real `true` allows: the settings API stores a value as sent, of any type, and a value
     * that is not a boolean takes the stricter meaning. A setting never set stays allowed, because
     * every engine hands its package value (`true`) for it (SettingRead.getValueById in
     * server/accessors/SettingRead.js of Apps-Engine 1.42.1, 1.46.0 and 1.62.0).
     */
    public async allowTurningOff(): Promise<boolean> {
        return (await this.settings.getValueById(SettingId.AllowTurningOff)) === true;
    }

    /** Minutes between two runs of the reconcile: a whole number, at least MIN_RECONCILE_MINUTES. */
    public async reconcileMinutes(): Promise<number> {
        return reconcileMinutesOf(await this.settings.getValueById(SettingId.ReconcileMinutes));
    }

    /**
     * Which half of the service account is still empty while the other is set — what an admin
     * sees between saving the user id and saving the token (Rocket.Chat saves, and tells the app
     * of, one setting at a time) — or undefined when both or neither are set.
     */
    public async serviceAccountMissingHalf(): Promise<'user id' | 'personal access token' | undefined> {
        const [userId, token] = await Promise.all([
            this.settings.getValueById(SettingId.ServiceAccountUserId),
            this.settings.getValueById(SettingId.ServiceAccountToken),
        ]);
        const set = (value: unknown) => typeof value === 'string' && value.trim() !== '';
        if (set(userId) === set(token)) {
            return undefined;
        }
        return set(userId) ? 'personal access token' : 'user id';
    }

    /** The service account's personal access token, used as a session (`X-User-Id` + `X-Auth-Token`). */
    public async serviceAccount(): Promise<Credential | undefined> {
        const [userId, token] = await Promise.all([
            this.settings.getValueById(SettingId.ServiceAccountUserId),
            this.settings.getValueById(SettingId.ServiceAccountToken),
        ]);
        if (typeof userId !== 'string' || typeof token !== 'string' || !userId.trim() || !token.trim()) {
            return undefined;
        }
        return { kind: 'session', userId: userId.trim(), token: token.trim() };
    }
}

/** A number setting as an admin may have typed it (the engine keeps what was typed, a string too); what is no number is the default. */
export function reconcileMinutesOf(value: unknown): number {
    const minutes = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
    return Number.isFinite(minutes) ? Math.max(MIN_RECONCILE_MINUTES, Math.round(minutes)) : DEFAULT_RECONCILE_MINUTES;
}

/** "owner, admin" → ['owner', 'admin']. An unset value means Rocket.Chat's default, not "nobody". */
export function parseRoles(value: unknown, fallback: string): Array<string> {
    const text = typeof value === 'string' && value.trim() ? value : fallback;
    return text.split(/[\s,]+/).filter(Boolean);
}

/**
 * A role setting as an admin typed it, made the way the app reads it: built-in role names in
 * Rocket.Chat's spelling (`Owner` → `owner`: roles are compared exactly), no repeats, one comma
 * list; empty becomes the default, which is what it meant anyway. `notes` says what was changed.
 */
export function normaliseRoles(value: unknown, fallback: string, builtIn: (name: string) => boolean): { value: string; notes: Array<string> } {
    const notes: Array<string> = [];
    if (typeof value !== 'string' || !value.trim()) {
        notes.push(
            `an empty value means Rocket.Chat's default roles (${fallback}); to let nobody, take the permission from every role in Rocket.Chat's permission table`,
        );
        return { value: fallback, notes };
    }
    const names = value.split(/[\s,]+/).filter(Boolean);
    const fixed = names.map((name) => (builtIn(name.toLowerCase()) ? name.toLowerCase() : name));
    for (const [i, name] of names.entries()) {
        if (name !== fixed[i]) {
            notes.push(`"${name}" is read as the built-in role "${fixed[i]}"`);
        }
    }
    return { value: [...new Set(fixed)].join(', '), notes };
}

/** The two role settings and their defaults. */
export const ROLE_SETTINGS: Record<string, string> = {
    [SettingId.EditRoomRoles]: DEFAULT_EDIT_ROOM_ROLES,
    [SettingId.ToggleRoles]: DEFAULT_TOGGLE_ROLES,
};
