import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { AppSettings } from '../AppSettings';
import { type PermissionTable, isUnavailable } from '../authority/PermissionTable';
import { isRefusal, Refusal } from '../Refusal';
import type { Credential } from '../rest/Credential';
import type { ServerRest } from '../rest/ServerRest';
import type { Scan, ScanCache } from './CoverageScan';
import { type CoverageTotals, type GroupRow, totalsOf } from './GroupRow';

/** The permission Rocket.Chat asks for before it lists every room (`rooms.adminRooms`). */
export const VIEW_ROOM_ADMINISTRATION = 'view-room-administration';
/** How many unencrypted groups `/encrypt report` names. */
const LARGEST = 10;

export interface WorkspaceSummary {
    totals: CoverageTotals;
    /** The largest groups that are not encrypted and could be, most members first. */
    largest: Array<GroupRow>;
    scannedAt: string;
}

export interface SummaryDeps {
    settings: Pick<AppSettings, 'serviceAccount'>;
    rest: Pick<ServerRest, 'get'>;
    table: PermissionTable;
    cache: Pick<ScanCache, 'get'>;
    /** A scan with the service account's credential. */
    scan: (credential: Credential) => Promise<Scan | Refusal>;
}

/**
 * `/encrypt report`: the workspace's totals for someone Rocket.Chat lets see every room. A slash
 * command carries no session, so the server cannot be asked with the caller's own: the caller's
 * global roles are held against the live permission table, and the list is read as the service
 * account, which must hold `view-room-administration` itself.
 */
export async function workspaceSummary(deps: SummaryDeps, caller: IUser): Promise<WorkspaceSummary | Refusal> {
    const credential = await deps.settings.serviceAccount();
    if (!credential) {
        return Refusal.needsServiceAccount();
    }
    const permissions = await deps.table.current(deps.rest, credential);
    if (isUnavailable(permissions)) {
        return Refusal.permissionsUnavailable();
    }
    const holders = permissions.get(VIEW_ROOM_ADMINISTRATION) ?? [];
    if (!(caller.roles ?? []).some((role) => holders.includes(role))) {
        return Refusal.notAuthorized();
    }
    const scan = await deps.cache.get(() => deps.scan(credential), false);
    if (isRefusal(scan)) {
        // The server's no to the service account is the admin's to fix, not the caller's.
        return scan.status === 400 || scan.status === 403 ? Refusal.serviceAccountCannotList() : scan;
    }
    const largest = scan.rows
        .filter((row) => !row.encrypted && !row.cannotEncrypt)
        .sort((a, b) => b.members - a.members)
        .slice(0, LARGEST);
    return { totals: totalsOf(scan.rows), largest, scannedAt: scan.takenAt };
}
