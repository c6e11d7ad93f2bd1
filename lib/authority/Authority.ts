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
     * app's settings), the server, which checks the caller again when it writes (`server`: here the
     * settings only narrow), or nobody, because no credential can read the table (`settings`).
     */
    decidedBy: 'table' | 'server' | 'settings';
}

export const EDIT_ROOM = 'edit-room';
export const TOGGLE_E2E = 'toggle-room-e2e-encryption';

/**
 * Rocket.Chat's authority over who may switch a group's encryption: its permission table decides,
 * and the app's role settings can only narrow it — a role counts only if it holds the permission
 * in the live table and is named in the setting. A stale table is never used: where the app alone
 * decides and the table cannot be read, the answer is `unavailable` (the caller is refused).
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
        const { settings, roleIds, roleReader } = this.deps;
        const [editRoom, toggle] = await Promise.all([
            settings.editRoomRoles().then((names) => roleIds.of(names, roleReader)),
            settings.toggleRoles().then((names) => roleIds.of(names, roleReader)),
        ]);
        if (serverRechecks) {
            return { editRoom, toggle, decidedBy: 'server' };
        }
        if (!tableCredential) {
            return { editRoom, toggle, decidedBy: 'settings' };
        }
        const table = await this.deps.table.current(this.deps.rest, tableCredential);
        if (isUnavailable(table)) {
            return table;
        }
        const holding = (permission: string, wanted: ReadonlyArray<Role>) => wanted.filter((role) => (table.get(permission) ?? []).includes(role.id));
        return { editRoom: holding(EDIT_ROOM, editRoom), toggle: holding(TOGGLE_E2E, toggle), decidedBy: 'table' };
    }
}

export function isAllowedRoles(value: AllowedRoles | TableUnavailable): value is AllowedRoles {
    return (value as TableUnavailable).unavailable !== true;
}
