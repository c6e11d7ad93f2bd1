import type { IHttp, ILogger, IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { AppSettings } from './AppSettings';
import { AuditNotice } from './AuditNotice';
import { Authority } from './authority/Authority';
import type { PermissionTable } from './authority/PermissionTable';
import type { RoleIds } from './authority/RoleIds';
import { type ServiceAccountReport, checkServiceAccount } from './authority/ServiceAccountCheck';
import { EncryptionService } from './EncryptionService';
import { writePlanner } from './flag/writeWays';
import type { WriteWayMemory } from './flag/WriteWayMemory';
import type { UserRoomIdsReader } from './Membership';
import { ServerRest } from './rest/ServerRest';
import type { RoomQueue } from './RoomQueue';

/** What the entry points are given: a service for the accessors of the call at hand. */
export type EncryptionServiceFactory = (read: IRead, modify: IModify, http: IHttp) => EncryptionService;

/** What lives as long as the app instance: what it knows of the server, and the per-room queue. */
export interface AppInstanceState {
    appId: string;
    memory: WriteWayMemory;
    queue: RoomQueue;
    table: PermissionTable;
    roleIds: RoleIds;
    /** How long a toggle may take; set only by tests, to see a deadline pass quickly. */
    budgetMs?: number;
}

/** Builds the service from one call's accessors: the runtime hands out fresh ones per call. */
export function createEncryptionService(read: IRead, modify: IModify, http: IHttp, logger: ILogger, instance: AppInstanceState): EncryptionService {
    const environment = read.getEnvironmentReader();
    const settings = new AppSettings(environment.getSettings());
    const serverSettings = environment.getServerSettings();
    const rest = new ServerRest(http, serverSettings);
    return new EncryptionService({
        rooms: read.getRoomReader(),
        // Declared by newer engines only; Membership checks it at run time.
        users: read.getUserReader() as UserRoomIdsReader,
        serverSettings,
        settings,
        authority: new Authority({
            settings,
            table: instance.table,
            roleIds: instance.roleIds,
            roleReader: { roles: roleReader(read), appId: instance.appId },
            rest,
        }),
        plan: writePlanner(modify, rest, settings, instance.memory),
        notice: new AuditNotice(modify),
        queue: instance.queue,
        logger,
        budgetMs: instance.budgetMs,
    });
}

/** Checks the configured service account (see ServiceAccountCheck) with one call's accessors. */
export type ServiceAccountCheck = (read: IRead, http: IHttp) => Promise<ServiceAccountReport>;

export function serviceAccountCheck(instance: AppInstanceState): ServiceAccountCheck {
    return async (read, http) => {
        const environment = read.getEnvironmentReader();
        const rest = new ServerRest(http, environment.getServerSettings());
        return checkServiceAccount(rest, instance.table, await new AppSettings(environment.getSettings()).serviceAccount());
    };
}

/** What an admin is shown besides a group's status: the service account, and role names that match no role. */
export interface AdminReport {
    serviceAccount: ServiceAccountReport;
    unknownRoles: Array<string>;
}

export type AdminReporter = (read: IRead, http: IHttp) => Promise<AdminReport>;

export function adminReporter(instance: AppInstanceState): AdminReporter {
    const check = serviceAccountCheck(instance);
    return async (read, http) => ({ serviceAccount: await check(read, http), unknownRoles: await unknownRoles(instance, read) });
}

/** Names in the role settings that are no role of this workspace. */
export async function unknownRoles(instance: AppInstanceState, read: IRead): Promise<Array<string>> {
    const settings = new AppSettings(read.getEnvironmentReader().getSettings());
    const names = [...new Set([...(await settings.editRoomRoles()), ...(await settings.toggleRoles())])];
    return instance.roleIds.unknown(names, { roles: roleReader(read), appId: instance.appId });
}

/** The role reader, where the server has one (Apps-Engine 1.41+) and grants the app `role.read`. */
function roleReader(read: IRead) {
    try {
        return read.getRoleReader();
    } catch {
        return undefined;
    }
}
