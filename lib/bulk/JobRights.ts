import type { IUserRead } from '@rocket.chat/apps-engine/definition/accessors';

import { type AllowedRoles, type Authority, EDIT_ROOM, TOGGLE_E2E, isAllowedRoles } from '../authority/Authority';
import type { TableUnavailable } from '../authority/PermissionTable';
import { Refusal } from '../Refusal';
import type { Credential } from '../rest/Credential';

/**
 * The permissions a global admin uses to encrypt every group through Rocket.Chat's own routes,
 * checked against these global roles: `edit-room`, then `toggle-room-e2e-encryption` (the order
 * of `saveRoomSettings`), each held in the live permission table within the app's role settings
 * (see Authority). The table is read with `tableCredential`; if it cannot be read, nobody holds
 * anything. Starting a job, cancelling one, and every run of one ask this.
 */
export async function permissionsRefusal(
    authority: Pick<Authority, 'allowedRoles'>,
    roles: ReadonlyArray<string> | undefined,
    tableCredential: Credential,
): Promise<Refusal | undefined> {
    const allowed = await authority.allowedRoles(false, tableCredential);
    return isAllowedRoles(allowed) ? heldRefusal(allowed, roles ?? []) : Refusal.permissionsUnavailable();
}

function heldRefusal(allowed: AllowedRoles, roles: ReadonlyArray<string>): Refusal | undefined {
    const holds = (wanted: ReadonlyArray<{ id: string }>) => wanted.some((role) => roles.includes(role.id));
    if (!holds(allowed.editRoom)) {
        return Refusal.editNotAllowed(allowed.editRoom.map((role) => role.name));
    }
    if (!holds(allowed.toggle)) {
        return Refusal.toggleNotAllowed(allowed.toggle.map((role) => role.name));
    }
    return undefined;
}

export interface StarterDeps {
    authority: Pick<Authority, 'allowedRoles'>;
    users: Pick<IUserRead, 'getById'>;
}

/**
 * Whether the job's starter still may do what the job does for them. A job runs as the service
 * account, on the starter's word: an admin whose rights were taken away (their roles changed, the
 * table changed, the user deactivated or deleted) must not go on encrypting every group through
 * it. Their current global roles are read with the user reader, and the table as the service
 * account — the job has no session of theirs. `lost`: why the job must end, naming what was lost;
 * `unknown`: the table could not be read now (the rate limiter, the server busy), so the run
 * waits and asks again; 401 is the service account's own problem and ends the job anyway.
 */
export async function starterRights(
    deps: StarterDeps,
    by: { id: string; username: string },
    serviceAccount: Credential,
): Promise<{ lost: string } | { unknown: TableUnavailable } | undefined> {
    const starter = await deps.users.getById(by.id);
    if (!starter) {
        return { lost: `its starter @${by.username} no longer exists` };
    }
    if (starter.isEnabled === false) {
        return { lost: `its starter @${by.username} was deactivated` };
    }
    const allowed = await deps.authority.allowedRoles(false, serviceAccount);
    if (!isAllowedRoles(allowed)) {
        return { unknown: allowed };
    }
    const refusal = heldRefusal(allowed, starter.roles ?? []);
    if (!refusal) {
        return undefined;
    }
    const permission = refusal.reason === 'edit-not-allowed' ? EDIT_ROOM : TOGGLE_E2E;
    return { lost: `its starter @${by.username} no longer holds ${permission} (in Rocket.Chat's permission table, within the app's role settings)` };
}
