// The app's composition root: what lives as long as an app instance (AppInstanceState), and, for
// each door, the pieces one call needs, built from that call's accessors. Rules live elsewhere
// (EncryptionService and the modules beside it); this file only wires them.
import type { IHttp, ILogger, IModify, IPersistence, IRead, ISchedulerModify } from '@rocket.chat/apps-engine/definition/accessors';
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
import { changeLog } from './history/ChangeLog';
import { EncryptionHistory } from './history/EncryptionHistory';
import { Serial } from './history/Serial';
import { RECONCILE, type RunKind, reconcile } from './reconcile/Reconcile';
import { type RunReport, WatchRecord } from './reconcile/WatchRecord';
import { AuditNotice as Notice } from './AuditNotice';
import { RoomModifierWriter } from './flag/RoomModifierWriter';
import { modifierHonoured } from './flag/writeWays';
import { RoomQueue } from './RoomQueue';
import { AdminRoomList } from './coverage/AdminRoomList';
import { type ReportPage, coverageReport } from './coverage/CoverageReport';
import { ScanCache, scanGroups } from './coverage/CoverageScan';
import type { ReportQuery } from './coverage/ReportQuery';
import { type WorkspaceSummary, workspaceSummary } from './coverage/WorkspaceSummary';
import { type ChunkContext, runChunk } from './bulk/EncryptAllChunk';
import { type DryRunAnswer, type JobProgress, type StartRequest, jobProgress, startEncryptAll } from './bulk/EncryptAllJob';
import { JOB_NEEDS } from './bulk/JobReadiness';
import { type CancelRequest, cancelEncryptAll } from './bulk/CancelEncryptAll';
import { JobRecord } from './bulk/JobRecord';
import { JobClaims } from './bulk/JobClaims';
import { PrivateGroupList } from './bulk/PrivateGroupList';
import type { Credential } from './rest/Credential';
import type { GuardPolicy } from './guard/GuardPolicy';
import type { AdminReport } from './AdminReport';
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
    /** Rooms with a guard run waiting (see EncryptionGuard). */
    guardWaiting: Set<string>;
    /** The last scan of every private group, for the coverage report (see ScanCache). */
    scans: ScanCache;
    /** Starts of the encryptAll job, one at a time (see startEncryptAll). */
    jobStarts: Serial;
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
        guardWaiting: new Set(),
        scans: new ScanCache(),
        jobStarts: new Serial(),
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
function changesOf(read: IRead, persistence: IPersistence | undefined, logger: ILogger) {
    return changeLog(new EncryptionHistory(read.getPersistenceReader(), persistence), logger);
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
        authority: authorityOf(read, settings, rest, instance),
        plan: writePlanner(modify, rest, settings, instance.memory),
        notice: new AuditNotice(modify),
        changes: changesOf(read, persistence, logger),
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
        history: new EncryptionHistory(read.getPersistenceReader()),
        changes: changesOf(read, persistence, logger),
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
 * What keeps groups encrypted here (see GuardPolicy). A change made by any route is switched back:
 * on 7.4+ by the guard, from the server's event, and by the reconcile, both through the service
 * account; before 7.4 (the room modifier writes, known once the app has looked at a room) by the
 * reconcile, within one period, with the modifier where no account is set.
 */
export function guardPolicy(instance: AppInstanceState): (read: IRead) => Promise<GuardPolicy> {
    return async (read) => {
        const settings = new AppSettings(read.getEnvironmentReader().getSettings());
        if (await settings.allowTurningOff()) {
            return 'off-allowed';
        }
        const honoured = instance.memory.modifierHonoured;
        return honoured === true || (honoured === false && (await settings.serviceAccount())) ? 'kept-on' : 'app-refuses';
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
                watch: new WatchRecord(read.getPersistenceReader()),
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
        const guard = allowOff ? 'off' : honoured === true ? 'reconcile' : !canWrite ? 'needs-service-account' : honoured === undefined ? 'unknown' : 'on';
        const [minutes, watch] = await Promise.all([settings.reconcileMinutes(), new WatchRecord(read.getPersistenceReader()).state()]);
        let force: unknown;
        try {
            force = await serverSettings.getValueById('E2E_Force_Encryption_For_Private_Rooms');
        } catch {
            force = undefined; // a server before 8.8 has no such setting
        }
        return {
            serviceAccount,
            serviceAccountWrites: honoured === undefined ? undefined : !honoured,
            unknownRoles: await unknownRoles(instance, read),
            guard,
            reconcile: { minutes, lastRun: watch.lastRun },
            forceMismatch: force === true && allowOff,
        };
    };
}

/** The coverage report for one call (see coverageReport). */
export type CoverageReporter = (read: IRead, http: IHttp, credential: Credential, query: ReportQuery) => Promise<ReportPage | Refusal>;

export function coverageReporter(instance: AppInstanceState): CoverageReporter {
    return (read, http, credential, query) => coverageReport(coverageDeps(read, callContext(read, http), instance), credential, query);
}

/** What reading every group needs, from one call's context. */
function coverageDeps(read: IRead, { serverSettings, rest }: ReturnType<typeof callContext>, instance: AppInstanceState) {
    return { list: new AdminRoomList(rest), rooms: read.getRoomReader(), serverSettings, cache: instance.scans };
}

/** `/encrypt report`'s totals for one call (see WorkspaceSummary). */
export type SummaryReader = (read: IRead, http: IHttp, caller: IUser) => Promise<WorkspaceSummary | Refusal>;

export function summaryReader(instance: AppInstanceState): SummaryReader {
    return (read, http, caller) => {
        const context = callContext(read, http);
        const deps = coverageDeps(read, context, instance);
        return workspaceSummary(
            {
                settings: context.settings,
                rest: context.rest,
                table: instance.table,
                cache: instance.scans,
                scan: (credential) => scanGroups(deps, credential),
            },
            caller,
        );
    };
}

/** The encryptAll job's doors for one call: start (or dry run), progress (see EncryptAllJob), and cancel (see cancelEncryptAll). */
export interface BulkJobs {
    start(read: IRead, modify: IModify, http: IHttp, persistence: IPersistence, request: StartRequest): Promise<DryRunAnswer | JobProgress | Refusal>;
    progress(read: IRead, http: IHttp, credential: Credential, jobId: unknown): Promise<JobProgress | Refusal>;
    cancel(read: IRead, http: IHttp, persistence: IPersistence, request: CancelRequest): Promise<JobProgress | Refusal>;
}

export function bulkJobs(instance: AppInstanceState): BulkJobs {
    return {
        start: (read, modify, http, persistence, request) => {
            const context = callContext(read, http);
            const { settings, serverSettings, rest } = context;
            const scanDeps = coverageDeps(read, context, instance);
            return startEncryptAll(
                {
                    record: new JobRecord(read.getPersistenceReader(), persistence),
                    list: scanDeps.list,
                    serverSettings,
                    serviceAccount: async () => checkServiceAccount(rest, instance.table, await settings.serviceAccount(), JOB_NEEDS),
                    authority: authorityOf(read, settings, rest, instance),
                    scheduler: modify.getScheduler(),
                    starts: instance.jobStarts,
                    claims: new JobClaims(read.getPersistenceReader(), persistence),
                    scan: (credential) => instance.scans.get(() => scanGroups(scanDeps, credential), true),
                },
                request,
            );
        },
        progress: (read, http, credential, jobId) =>
            jobProgress({ record: new JobRecord(read.getPersistenceReader()), list: new AdminRoomList(callContext(read, http).rest) }, credential, jobId),
        cancel: (read, http, persistence, request) => {
            const { settings, rest } = callContext(read, http);
            return cancelEncryptAll(
                {
                    record: new JobRecord(read.getPersistenceReader(), persistence),
                    list: new AdminRoomList(rest),
                    authority: authorityOf(read, settings, rest, instance),
                    starts: instance.jobStarts,
                    cache: instance.scans,
                },
                request,
            );
        },
    };
}

/** One scheduled run of the encryptAll job (see runChunk). */
export function encryptAllChunk(
    read: IRead,
    modify: IModify,
    http: IHttp,
    persistence: IPersistence,
    logger: ILogger,
    instance: AppInstanceState,
    context: ChunkContext,
): Promise<void> {
    const { settings, rest } = callContext(read, http);
    return runChunk(
        {
            record: new JobRecord(read.getPersistenceReader(), persistence),
            groups: new PrivateGroupList(rest),
            rest,
            settings,
            authority: authorityOf(read, settings, rest, instance),
            users: read.getUserReader(),
            scheduler: modify.getScheduler(),
            changes: changesOf(read, persistence, logger),
            cache: instance.scans,
            logger,
            budgetMs: instance.budgetMs,
        },
        context,
    );
}

/** Names in the role settings that are no role of this workspace. */
export async function unknownRoles(instance: AppInstanceState, read: IRead): Promise<Array<string>> {
    const settings = new AppSettings(read.getEnvironmentReader().getSettings());
    const names = [...new Set([...(await settings.editRoomRoles()), ...(await settings.toggleRoles())])];
    return instance.roleIds.unknown(names, { roles: roleReader(read), appId: instance.appId });
}

/** Rocket.Chat's permission table ∩ the app's role settings (see Authority). */
function authorityOf(read: IRead, settings: AppSettings, rest: ServerRest, instance: AppInstanceState): Authority {
    return new Authority({ settings, table: instance.table, roleIds: instance.roleIds, roleReader: { roles: roleReader(read), appId: instance.appId }, rest });
}

/** The role reader, where the server has one (Apps-Engine 1.41+) and grants the app `role.read`. */
function roleReader(read: IRead) {
    try {
        return read.getRoleReader();
    } catch {
        return undefined;
    }
}

/**
 * One run of the reconcile (see reconcile). At a start, where the service account may list rooms,
 * it scans the workspace; before 7.4 without a service account, it switches back with the room
 * modifier, as the app's bot.
 */
export async function reconcileRun(
    read: IRead,
    modify: IModify,
    http: IHttp,
    persistence: IPersistence,
    logger: ILogger,
    instance: AppInstanceState,
    kind: RunKind,
): Promise<RunReport> {
    const context = callContext(read, http);
    const { settings, serverSettings, rest } = context;
    const reader = read.getPersistenceReader();
    const serviceAccount = await settings.serviceAccount();
    const scanDeps = coverageDeps(read, context, instance);
    const appUser = await read.getUserReader().getAppUser();
    const changes = changesOf(read, persistence, logger);
    const modifier = new RoomModifierWriter(modify);
    return reconcile(
        {
            history: new EncryptionHistory(reader, persistence),
            changes,
            watch: new WatchRecord(reader, persistence),
            rooms: read.getRoomReader(),
            settings,
            switchBack: {
                serverSettings,
                settings,
                rest,
                users: read.getUserReader(),
                changes,
                modifier: appUser && {
                    writer: modifier,
                    notice: new Notice(modify),
                    appUser,
                    honoured: (room) => modifierHonoured(modifier, instance.memory, room, appUser),
                },
            },
            scheduler: modify.getScheduler(),
            scan: kind.start && serviceAccount ? () => scanGroups(scanDeps, serviceAccount) : undefined,
            logger,
            budgetMs: instance.budgetMs,
        },
        kind,
    );
}

/** The recurring reconcile, every `reconcile_minutes` (agenda keeps one job of the name: scheduling again changes its period). */
export async function scheduleReconcile(
    scheduler: Pick<ISchedulerModify, 'scheduleRecurring'>,
    settings: Pick<AppSettings, 'reconcileMinutes'>,
): Promise<void> {
    await scheduler.scheduleRecurring({ id: RECONCILE, interval: `${await settings.reconcileMinutes()} minutes`, skipImmediate: true });
}
