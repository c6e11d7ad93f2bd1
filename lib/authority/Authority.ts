import type { AppSettings } from '../AppSettings';
import type { Credential } from '../rest/Credential';
import type { ServerRest } from '../rest/ServerRest';
import { type PermissionTable, type TableUnavailable, isUnavailable } from './PermissionTable';
import type { Role, RoleIds, RoleReader } from './RoleIds';

/** The roles that may edit a group and switch its encryption, for one decision. */
export interface AllowedRoles {
    editRoom: ReadonlyArray<Role>;
    toggle: ReadonlyArray<Role>;
    /**
     * Who applies Rocket.Chat's permission table: the app itself (`table`: the live table ∩ the
     * app's settings), or the server, which checks the caller again when it writes (`server`: here
     * the settings only narrow). The settings never decide alone: see Authority.
     */
    decidedBy: 'table' | 'server';
}

export const EDIT_ROOM = 'edit-room';
export const TOGGLE_E2E = 'toggle-room-e2e-encryption';

/**
 * Rocket.Chat's authority over who may switch a group's encryption: its permission table decides,
 * and the app's role settings can only narrow it — a role counts only if it holds the permission
 * in the live table and is named in the setting. A stale table is never used: where the app alone
 * decides and the table cannot be read, the answer is `unavailable` (the caller is refused).
 *
 * There is no fallback to the settings alone. A door without a caller session (the slash command,
 * the panel, the picker) on a server that will not check again (the app's room modifier writes,
 * before 7.4, or the service account writes) has only the table between a caller and the change:
 * with no credential to read it (`noReader`), the app refuses, however the settings read.
 */
export class Authority {
    constructor(
        private readonly deps: {
            settings: Pick<AppSettings, 'editRoomRoles' | 'toggleRoles'>;
            table: PermissionTable;
            roleIds: RoleIds;
            roleReader: RoleReader;
            rest: Pick<ServerRest, 'get'>;
        },
    ) {}

    /**
     * `serverRechecks`: the write will go through the server's own route with the caller's
     * session, which applies the table itself. `tableCredential`: who reads the table otherwise.
     */
    public async allowedRoles(serverRechecks: boolean, tableCredential: Credential | undefined): Promise<AllowedRoles | TableUnavailable> {
        if (serverRechecks) {
            return { ...(await this.named()), decidedBy: 'server' };
        }
        if (!tableCredential) {
            return { unavailable: true, noReader: true };
        }
        const [{ editRoom, toggle }, table] = await Promise.all([this.named(), this.deps.table.current(this.deps.rest, tableCredential)]);
        if (isUnavailable(table)) {
            return table;
        }
        const holding = (permission: string, wanted: ReadonlyArray<Role>) => wanted.filter((role) => (table.get(permission) ?? []).includes(role.id));
        return { editRoom: holding(EDIT_ROOM, editRoom), toggle: holding(TOGGLE_E2E, toggle), decidedBy: 'table' };
    }

    /** The roles the app's two settings name, as role ids. */
    private async named(): Promise<{ editRoom: ReadonlyArray<Role>; toggle: ReadonlyArray<Role> }> {
        const { settings, roleIds, roleReader } = this.deps;
        const [editRoom, toggle] = await Promise.all([
            settings.editRoomRoles().then((names) => roleIds.of(names, roleReader)),
            settings.toggleRoles().then((names) => roleIds.of(names, roleReader)),
        ]);
        return { editRoom, toggle };
    }
}

export function isAllowedRoles(value: AllowedRoles | TableUnavailable): value is AllowedRoles {
    return (value as TableUnavailable).unavailable !== true;
}
