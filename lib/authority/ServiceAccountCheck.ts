import type { Credential } from '../rest/Credential';
import type { ServerRest } from '../rest/ServerRest';
import { EDIT_ROOM, TOGGLE_E2E } from './Authority';
import { type PermissionTable, isUnavailable } from './PermissionTable';

/** What the service account needs, and nothing more: to change a group's encryption, unthrottled. */
export const SERVICE_ACCOUNT_NEEDS = [EDIT_ROOM, TOGGLE_E2E, 'api-bypass-rate-limit'] as const;

export interface ServiceAccountReport {
    /** Not configured, its token not accepted, the server not reachable with it, or checked. */
    state: 'unset' | 'rejected' | 'unreachable' | 'checked';
    username?: string;
    /** Of the permissions asked about (SERVICE_ACCOUNT_NEEDS unless said), those none of its roles holds. */
    missing: Array<string>;
    /** It holds the `admin` role: far more than the app needs. */
    fullAdmin: boolean;
}

/**
 * Who the service account is and whether it can do the app's work (`needs`), asked of the server
 * with the account's own token (`GET /api/v1/me`, then the permission table). Run when its settings
 * change, when an admin asks `/encrypt status`, and before the encryptAll job starts, so nobody has
 * to try a toggle or a job to find out.
 */
export async function checkServiceAccount(
    rest: Pick<ServerRest, 'get'>,
    table: PermissionTable,
    credential: Credential | undefined,
    needs: ReadonlyArray<string> = SERVICE_ACCOUNT_NEEDS,
): Promise<ServiceAccountReport> {
    const report: ServiceAccountReport = { state: 'unset', missing: [], fullAdmin: false };
    if (!credential) {
        return report;
    }
    let me;
    try {
        me = await rest.get('me', credential);
    } catch {
        return { ...report, state: 'unreachable' };
    }
    if (me.statusCode === 401) {
        return { ...report, state: 'rejected' };
    }
    if (me.statusCode !== 200) {
        return { ...report, state: 'unreachable' };
    }
    const roles = Array.isArray(me.body.roles) ? me.body.roles.filter((role): role is string => typeof role === 'string') : [];
    const permissions = await table.current(rest, credential);
    if (isUnavailable(permissions)) {
        return { ...report, state: 'unreachable', username: String(me.body.username ?? '') };
    }
    return {
        state: 'checked',
        username: String(me.body.username ?? ''),
        missing: needs.filter((permission) => !(permissions.get(permission) ?? []).some((role) => roles.includes(role))),
        fullAdmin: roles.includes('admin'),
    };
}

/** One line for the log and for admins, in English (the log's language). */
export function describeServiceAccount(report: ServiceAccountReport): string {
    switch (report.state) {
        case 'unset':
            return "no service account is set: /encrypt, the Encryption panel and the group picker change nothing, as the app has no account to read Rocket.Chat's permission table with (before 7.4 any plain account with a personal access token will do) nor, from 7.4, to write with";
        case 'rejected':
            return "the service account's user id and token were not accepted by the server";
        case 'unreachable':
            return "the service account could not be checked: the server's REST API did not answer at Site_Url";
        case 'checked': {
            const missing = report.missing.length ? `lacks ${report.missing.join(', ')}` : 'holds every permission it needs';
            const admin = report.fullAdmin
                ? '; it is a full admin, far more than the app needs (a role of its own holding only edit-room, toggle-room-e2e-encryption and api-bypass-rate-limit, plus view-room-administration for the report and groups.encryptAll, is enough)'
                : '';
            return `the service account @${report.username} ${missing}${admin}`;
        }
    }
}
