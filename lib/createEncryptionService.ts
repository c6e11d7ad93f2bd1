import type { IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { AppSettings } from './AppSettings';
import { AuditNotice } from './AuditNotice';
import { Authority } from './authority/Authority';
import { PermissionTable } from './authority/PermissionTable';
import { RoleIds } from './authority/RoleIds';
import { type ServiceAccountReport, checkServiceAccount } from './authority/ServiceAccountCheck';
import { EncryptionService, type GroupTarget } from './EncryptionService';
import { EncryptionGuard } from './guard/EncryptionGuard';
import { type HistoryAnswer, historyOf } from './history/HistoryView';
import type { Refusal } from './Refusal';
import { writePlanner } from './flag/writeWays';
import { WriteWayMemory } from './flag/WriteWayMemory';
import type { UserRoomIdsReader } from './Membership';
import { ServerRest } from './rest/ServerRest';
import { AppWrites } from './history/AppWrites';
import { changeLog } from './history/ChangeLog';
import { EncryptionHistory } from './history/EncryptionHistory';
import { Serial } from './history/Serial';
import { RoomQueue } from './RoomQueue';
import type { GuardPolicy } from './panel/PanelView';
import { GroupDirectory } from './picker/GroupDirectory';
import type { PickerDeps } from './picker/GroupPicker';

/** What the entry points are given: a service for the accessors of the call at hand. */
export type EncryptionServiceFactory = (read: IRead, modify: IModify, http: IHttp, persistence?: IPersistence) => EncryptionService;

/** What lives as long as the app instance: what it knows of the server, and the per-room queue. */
export interface AppInstanceState {
    appId: string;
    memory: WriteWayMemory;
    queue: RoomQueue;
    table: PermissionTable;
    roleIds: RoleIds;
    writes: AppWrites;
    /** Rooms with a guard run waiting (see EncryptionGuard). */
    guardWaiting: Set<string>;
    /** Changes of the history's index of groups, one at a time (see Serial). */
    historyIndex: Serial;
    /** The private groups of callers who are typing `/encrypt on|off` (see GroupDirectory). */
    groups: GroupDirectory;
    /** How long a toggle may take; set only by tests, to see a deadline pass quickly. */
    budgetMs?: number;
}

/** A fresh app instance's state. */
export function newInstanceState(appId: string): AppInstanceState {
    return {
        appId,
        memory: new WriteWayMemory(),
        queue: new RoomQueue(),
        table: new PermissionTable(),
        roleIds: new RoleIds(),
        writes: new AppWrites(),
        guardWaiting: new Set(),
        historyIndex: new Serial(),
        groups: new GroupDirectory(),
    };
}

/** What every piece built for one call reads through: the app's and the server's settings, the server's REST API. */
function callContext(read: IRead, http: IHttp) {
    const environment = read.getEnvironmentReader();
    const serverSettings = environment.getServerSettings();
    return { settings: new AppSettings(environment.getSettings()), serverSettings, rest: new ServerRest(http, serverSettings) };
}

/** The history as one call writes it (see ChangeLog). */
function changesOf(read: IRead, persistence: IPersistence | undefined, logger: ILogger, instance: AppInstanceState) {
    return changeLog(instance.writes, new EncryptionHistory(read.getPersistenceReader(), persistence, instance.historyIndex), logger);
}

/** Builds the service from one call's accessors: the runtime hands out fresh ones per call. */
export function createEncryptionService(
    read: IRead,
    modify: IModify,
    http: IHttp,
    persistence: IPersistence | undefined,
    logger: ILogger,
    instance: AppInstanceState,
): EncryptionService {
    const { settings, serverSettings, rest } = callContext(read, http);
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
        changes: changesOf(read, persistence, logger, instance),
        queue: instance.queue,
        logger,
        budgetMs: instance.budgetMs,
    });
}

/** The guard and history keeper for one system-message event (see EncryptionGuard). */
export function createGuard(
    read: IRead,
    modify: IModify,
    http: IHttp,
    persistence: IPersistence,
    logger: ILogger,
    instance: AppInstanceState,
): EncryptionGuard {
    return new EncryptionGuard({
        ...callContext(read, http),
        rooms: read.getRoomReader(),
        users: read.getUserReader(),
        modify,
        queue: instance.queue,
        writes: instance.writes,
        changes: changesOf(read, persistence, logger, instance),
        waiting: instance.guardWaiting,
        logger,
    });
}

/** What the `/encrypt on|off` picker reads through, for one call (see GroupPicker). */
export type PickerFactory = (read: IRead, modify: IModify, http: IHttp) => PickerDeps;

export function pickerDeps(logger: ILogger, instance: AppInstanceState): PickerFactory {
    return (read, modify, http) => ({
        directory: instance.groups,
        // Declared by newer engines only; Membership checks it at run time.
        users: read.getUserReader() as UserRoomIdsReader,
        rooms: read.getRoomReader(),
        service: createEncryptionService(read, modify, http, undefined, logger, instance),
    });
}

/**
 * What keeps groups encrypted here (see GuardPolicy). The guard can switch back a change made by
 * any route only where the server tells apps of system messages — the servers whose room modifier
 * drops `encrypted` (7.4+), known once the app has looked at a room — and with a service account.
 */
export function guardPolicy(instance: AppInstanceState): (read: IRead) => Promise<GuardPolicy> {
    return async (read) => {
        const settings = new AppSettings(read.getEnvironmentReader().getSettings());
        if (await settings.allowTurningOff()) {
            return 'off-allowed';
        }
        return instance.memory.modifierHonoured === false && (await settings.serviceAccount()) ? 'kept-on' : 'app-refuses';
    };
}

/** A group's history under the status's access rule (see HistoryView). */
export type HistoryReader = (read: IRead, modify: IModify, http: IHttp, caller: IUser, target: GroupTarget) => Promise<HistoryAnswer | Refusal>;

export function historyReader(logger: ILogger, instance: AppInstanceState): HistoryReader {
    return (read, modify, http, caller, target) =>
        historyOf(
            {
                service: createEncryptionService(read, modify, http, undefined, logger, instance),
                history: new EncryptionHistory(read.getPersistenceReader()),
                modify,
                memory: instance.memory,
            },
            caller,
            target,
        );
}

/** Checks the configured service account (see ServiceAccountCheck) with one call's accessors. */
export type ServiceAccountCheck = (read: IRead, http: IHttp) => Promise<ServiceAccountReport>;

export function serviceAccountCheck(instance: AppInstanceState): ServiceAccountCheck {
    return async (read, http) => {
        const { settings, rest } = callContext(read, http);
        return checkServiceAccount(rest, instance.table, await settings.serviceAccount());
    };
}

/** What an admin is shown besides a group's status: the service account, and role names that match no role. */
export interface AdminReport {
    serviceAccount: ServiceAccountReport;
    unknownRoles: Array<string>;
    /** Whether encrypted groups stay encrypted whoever switches them off, or why not (see EncryptionGuard). */
    guard: 'on' | 'off' | 'needs-service-account' | 'needs-events' | 'unknown';
    /** Rocket.Chat 8.8+ encrypts new private groups, yet the app lets people switch encryption off. */
    forceMismatch: boolean;
}

export type AdminReporter = (read: IRead, http: IHttp) => Promise<AdminReport>;

export function adminReporter(instance: AppInstanceState): AdminReporter {
    const check = serviceAccountCheck(instance);
    return async (read, http) => {
        const { settings, serverSettings } = callContext(read, http);
        const allowOff = await settings.allowTurningOff();
        const serviceAccount = await check(read, http);
        const canWrite = serviceAccount.state === 'checked' && !serviceAccount.missing.some((permission) => permission !== 'api-bypass-rate-limit');
        // Only servers whose app room updates drop `encrypted` (7.4+) tell apps of system messages;
        // which kind this is, is known once the app has looked at a room since it started.
        const honoured = instance.memory.modifierHonoured;
        const guard = allowOff ? 'off' : honoured === true ? 'needs-events' : !canWrite ? 'needs-service-account' : honoured === undefined ? 'unknown' : 'on';
        let force: unknown;
        try {
            force = await serverSettings.getValueById('E2E_Force_Encryption_For_Private_Rooms');
        } catch {
            force = undefined; // a server before 8.8 has no such setting
        }
        return { serviceAccount, unknownRoles: await unknownRoles(instance, read), guard, forceMismatch: force === true && allowOff };
    };
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
