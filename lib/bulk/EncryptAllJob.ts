import type { IServerSettingRead, ISchedulerModify } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { AppSettings } from '../AppSettings';
import { type Authority, isAllowedRoles } from '../authority/Authority';
import type { AdminRoomList } from '../coverage/AdminRoomList';
import type { Scan } from '../coverage/CoverageScan';
import type { Serial } from '../history/Serial';
import { isRefusal, Refusal } from '../Refusal';
import type { Credential } from '../rest/Credential';
import { ENCRYPT_ALL_PROCESSOR, ENCRYPT_ALL_WATCH, LEASE_MS, newId } from './EncryptAllChunk';
import { skipReason } from './eligibility';
import type { GroupOutcome, JobRecord, JobState } from './JobRecord';

/** What members are told before their groups are encrypted (the README says the same). */
export const ENCRYPTION_NOTES = [
    'Messages already sent are not re-encrypted: they stay readable by the server.',
    'Bots, integrations and slash commands stop working inside encrypted groups: the server cannot read what is posted there.',
    'Members need their E2E keys set up (their encryption password) to read new messages.',
];

export interface StartRequest {
    caller: IUser;
    credential: Credential;
    dryRun: boolean;
    includeArchived: boolean;
}

export interface DryRunAnswer {
    dryRun: true;
    counts: { total: number; wouldChange: number; alreadyEncrypted: number; skipped: number };
    wouldChange: Array<{ roomId: string; name: string }>;
    skipped: Array<GroupOutcome>;
    notes: Array<string>;
    scannedAt: string;
}

export interface BulkDeps {
    record: JobRecord;
    list: Pick<AdminRoomList, 'page'>;
    settings: Pick<AppSettings, 'serviceAccount'>;
    serverSettings: Pick<IServerSettingRead, 'getValueById'>;
    authority: Pick<Authority, 'allowedRoles'>;
    scheduler: Pick<ISchedulerModify, 'scheduleOnce'>;
    /** The app instance's one line for starting jobs: two starts at once make one job. */
    starts: Serial;
    /** A fresh scan of every group with the caller's credential (for the dry run). */
    scan: (credential: Credential) => Promise<Scan | Refusal>;
}

/**
 * `POST …/groups.encryptAll`: the server confirms with the caller's own session that they may see
 * every room (its admin room list), and Rocket.Chat's permission table that their global roles may
 * edit rooms and switch encryption — as a global admin could through the server's own routes. A
 * dry run answers at once from a scan; a real run is handed to the scheduler (see runChunk), which
 * acts as the service account — the caller's token is never stored.
 */
export async function startEncryptAll(deps: BulkDeps, request: StartRequest): Promise<DryRunAnswer | JobProgress | Refusal> {
    const refusal = await rightsRefusal(deps, request);
    if (refusal) {
        return refusal;
    }
    if (request.dryRun) {
        const scan = await deps.scan(request.credential);
        return isRefusal(scan) ? scan : dryRunOf(scan, request.includeArchived);
    }
    if (!(await deps.settings.serviceAccount())) {
        return Refusal.needsServiceAccount();
    }
    return deps.starts.run(async () => {
        const current = await deps.record.state();
        if (current?.status === 'running') {
            return Refusal.jobRunning(current.jobId);
        }
        const now = new Date().toISOString();
        const state: JobState = {
            jobId: newId(),
            status: 'running',
            by: { id: request.caller.id, username: request.caller.username },
            includeArchived: request.includeArchived,
            startedAt: now,
            updatedAt: now,
            phase: 'listing',
            listed: 0,
            cursor: 0,
            line: newId(),
            counts: { total: 0, changed: 0, alreadyEncrypted: 0, skipped: 0, failed: 0 },
            reasons: {},
            skipped: [],
            failed: [],
        };
        await deps.record.saveGroupIds([]);
        await deps.record.save(state);
        await deps.scheduler.scheduleOnce({ id: ENCRYPT_ALL_PROCESSOR, when: new Date(), data: { line: state.line } });
        // Should the line stop without ending the job, the watch takes it over.
        await deps.scheduler.scheduleOnce({ id: ENCRYPT_ALL_WATCH, when: new Date(Date.now() + LEASE_MS + 1000) });
        return { ...progressOf(state), notes: ENCRYPTION_NOTES };
    });
}

/** What the job's doors answer: its progress, without the bookkeeping a restart needs. */
export type JobProgress = Pick<
    JobState,
    'jobId' | 'status' | 'by' | 'includeArchived' | 'startedAt' | 'updatedAt' | 'finishedAt' | 'reasons' | 'skipped' | 'failed' | 'error' | 'resumeAt'
> & {
    counts: JobState['counts'] & { remaining: number };
    notes?: Array<string>;
};

export function progressOf(state: JobState): JobProgress {
    const { jobId, status, by, includeArchived, startedAt, updatedAt, finishedAt, counts, reasons, skipped, failed, error, resumeAt } = state;
    const remaining = counts.total - counts.changed - counts.alreadyEncrypted - counts.skipped - counts.failed;
    return {
        jobId,
        status,
        by,
        includeArchived,
        startedAt,
        updatedAt,
        finishedAt,
        counts: { ...counts, remaining },
        reasons,
        skipped,
        failed,
        error,
        resumeAt,
    };
}

/** `GET …/groups.encryptAll?jobId=`: the job's progress (the newest job without an id), for whoever may start one. */
export async function jobProgress(deps: Pick<BulkDeps, 'record' | 'list'>, credential: Credential, jobId: unknown): Promise<JobProgress | Refusal> {
    const allowed = await deps.list.page(credential, 0, 1);
    if (isRefusal(allowed)) {
        return allowed;
    }
    const state = await deps.record.state();
    return state && (jobId === undefined || jobId === state.jobId) ? progressOf(state) : Refusal.jobNotFound();
}

async function rightsRefusal(deps: BulkDeps, request: StartRequest): Promise<Refusal | undefined> {
    const allowed = await deps.list.page(request.credential, 0, 1);
    if (isRefusal(allowed)) {
        return allowed;
    }
    if ((await deps.serverSettings.getValueById('E2E_Enable')) !== true) {
        return Refusal.e2eUnavailable('workspace');
    }
    const roles = await deps.authority.allowedRoles(false, request.credential);
    if (!isAllowedRoles(roles)) {
        return Refusal.permissionsUnavailable();
    }
    const holds = (wanted: ReadonlyArray<{ id: string }>) => wanted.some((role) => (request.caller.roles ?? []).includes(role.id));
    if (!holds(roles.editRoom)) {
        return Refusal.editNotAllowed(roles.editRoom.map((role) => role.name));
    }
    if (!holds(roles.toggle)) {
        return Refusal.toggleNotAllowed(roles.toggle.map((role) => role.name));
    }
    return undefined;
}

/** What a job would do now: the same decisions runChunk makes, from a scan. */
function dryRunOf(scan: Scan, includeArchived: boolean): DryRunAnswer {
    const answer: DryRunAnswer = {
        dryRun: true,
        counts: { total: scan.rows.length, wouldChange: 0, alreadyEncrypted: 0, skipped: 0 },
        wouldChange: [],
        skipped: [],
        notes: ENCRYPTION_NOTES,
        scannedAt: scan.takenAt,
    };
    for (const row of scan.rows) {
        const reason = skipReason(row, includeArchived);
        if (row.encrypted) {
            answer.counts.alreadyEncrypted += 1;
        } else if (reason) {
            answer.counts.skipped += 1;
            answer.skipped.push({ roomId: row.id, name: row.displayName, reason });
        } else {
            answer.counts.wouldChange += 1;
            answer.wouldChange.push({ roomId: row.id, name: row.displayName });
        }
    }
    return answer;
}
