import type { IServerSettingRead, ISchedulerModify } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { Authority } from '../authority/Authority';
import type { AdminRoomList } from '../coverage/AdminRoomList';
import type { Scan } from '../coverage/CoverageScan';
import type { Serial } from '../history/Serial';
import { isRefusal, Refusal } from '../Refusal';
import type { Credential } from '../rest/Credential';
import { translate } from '../i18n/translate';
import { ENCRYPT_ALL_PROCESSOR, ENCRYPT_ALL_WATCH, LEASE_MS, leaseEnds, newId, otherProcessor } from './EncryptAllChunk';
import { skipReason } from './eligibility';
import type { JobClaims } from './JobClaims';
import type { GroupOutcome, JobRecord, JobState } from './JobRecord';
import { type Blocker, type ReadinessDeps, blockedStart, blockersFor, jobBlockers } from './JobReadiness';
import { permissionsRefusal } from './JobRights';

/** What members should be told before their groups are encrypted, in the caller's language (the README says the same). */
export function encryptionNotes(caller: IUser): Array<string> {
    return [translate(caller, 'reply_notes_history'), translate(caller, 'reply_notes_bots'), translate(caller, 'reply_notes_keys')];
}

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
    /** What would stop the real job now, said for the caller; empty when it can run. */
    blockers: Array<Blocker>;
}

export interface BulkDeps extends ReadinessDeps {
    record: JobRecord;
    list: Pick<AdminRoomList, 'allows'>;
    serverSettings: Pick<IServerSettingRead, 'getValueById'>;
    authority: Pick<Authority, 'allowedRoles'>;
    scheduler: Pick<ISchedulerModify, 'scheduleOnce'>;
    /** The app instance's one line for starting jobs: two starts at once make one job. */
    starts: Serial;
    /** The same across instances (see JobClaims). */
    claims: Pick<JobClaims, 'claim'>;
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
    // What the job itself will need: the dry run says it, a start that could not run is refused.
    const findings = await jobBlockers(deps);
    if (request.dryRun) {
        const scan = await deps.scan(request.credential);
        return isRefusal(scan) ? scan : dryRunOf(scan, request.includeArchived, encryptionNotes(request.caller), blockersFor(findings, request.caller));
    }
    const blocked = blockedStart(findings, request.caller);
    if (blocked) {
        return blocked;
    }
    return deps.starts.run(async () => {
        const running = await runningJob(deps);
        if (running) {
            return running;
        }
        // Other instances start jobs too, over a persistence without compare-and-set (see JobClaims).
        const jobId = newId();
        const claim = await deps.claims.claim(jobId);
        if (!claim.won) {
            return Refusal.jobRunning(claim.winner);
        }
        try {
            // A start this one's claim came too late for has recorded its job meanwhile.
            return (await runningJob(deps)) ?? (await recordJob(deps, request, jobId));
        } finally {
            await claim.release();
        }
    });
}

/** The running job's refusal, if one runs. */
async function runningJob(deps: Pick<BulkDeps, 'record' | 'scheduler'>): Promise<Refusal | undefined> {
    const current = await deps.record.state();
    if (current?.status !== 'running') {
        return undefined;
    }
    // A job whose runs stopped showing progress (a lost schedule, a run cut off) is carried
    // on by a watch now, not replaced: its groups are not listed and counted twice.
    if (leaseEnds(current) < Date.now()) {
        await deps.scheduler.scheduleOnce({ id: otherProcessor(current.lineProcessor), when: new Date() });
    }
    return Refusal.jobRunning(current.jobId);
}

/** A new job's record and its first run and watch. */
async function recordJob(deps: Pick<BulkDeps, 'record' | 'scheduler'>, request: StartRequest, jobId: string): Promise<JobProgress> {
    const now = new Date().toISOString();
    const state: JobState = {
        jobId,
        status: 'running',
        by: { id: request.caller.id, username: request.caller.username },
        includeArchived: request.includeArchived,
        startedAt: now,
        updatedAt: now,
        listed: 0,
        line: newId(),
        lineProcessor: ENCRYPT_ALL_PROCESSOR,
        counts: { total: 0, changed: 0, alreadyEncrypted: 0, skipped: 0, failed: 0 },
        reasons: {},
        skipped: [],
        failed: [],
    };
    await deps.record.save(state);
    await deps.scheduler.scheduleOnce({ id: ENCRYPT_ALL_PROCESSOR, when: new Date(), data: { line: state.line } });
    // Should the line stop without ending the job, the watch takes it over.
    await deps.scheduler.scheduleOnce({ id: ENCRYPT_ALL_WATCH, when: new Date(Date.now() + LEASE_MS + 1000) });
    return { ...progressOf(state), notes: encryptionNotes(request.caller) };
}

/** What the job's doors answer: its progress, without the bookkeeping a restart needs. */
export type JobProgress = Pick<
    JobState,
    | 'jobId'
    | 'status'
    | 'by'
    | 'includeArchived'
    | 'startedAt'
    | 'updatedAt'
    | 'finishedAt'
    | 'listed'
    | 'reasons'
    | 'skipped'
    | 'failed'
    | 'error'
    | 'cancelledBy'
    | 'resumeAt'
> & {
    counts: JobState['counts'] & { remaining: number };
    notes?: Array<string>;
};

export function progressOf(state: JobState): JobProgress {
    const { jobId, status, by, includeArchived, startedAt, updatedAt, finishedAt, listed, counts, reasons, skipped, failed, error, cancelledBy, resumeAt } =
        state;
    const remaining = counts.total - counts.changed - counts.alreadyEncrypted - counts.skipped - counts.failed;
    return {
        jobId,
        status,
        by,
        includeArchived,
        startedAt,
        updatedAt,
        finishedAt,
        listed,
        counts: { ...counts, remaining },
        reasons,
        skipped,
        failed,
        error,
        cancelledBy,
        resumeAt,
    };
}

/**
 * `GET …/groups.encryptAll?jobId=`: the job's progress (the newest job without an id), for whoever
 * Rocket.Chat lets see every room (`listed`: the groups gone through so far, of `counts.total`).
 */
export async function jobProgress(deps: Pick<BulkDeps, 'record' | 'list'>, credential: Credential, jobId: unknown): Promise<JobProgress | Refusal> {
    const refusal = await deps.list.allows(credential);
    if (refusal) {
        return refusal;
    }
    const state = await deps.record.state();
    return state && (jobId === undefined || jobId === state.jobId) ? progressOf(state) : Refusal.jobNotFound();
}

async function rightsRefusal(deps: BulkDeps, request: StartRequest): Promise<Refusal | undefined> {
    const refusal = await deps.list.allows(request.credential);
    if (refusal) {
        return refusal;
    }
    // A dry run goes on, and names it among what stands in the job's way.
    if (!request.dryRun && (await deps.serverSettings.getValueById('E2E_Enable')) !== true) {
        return Refusal.e2eUnavailable('workspace');
    }
    return permissionsRefusal(deps.authority, request.caller.roles, request.credential);
}

/** What a job would do now: the same decisions runChunk makes, from a scan. */
function dryRunOf(scan: Scan, includeArchived: boolean, notes: Array<string>, blockers: Array<Blocker>): DryRunAnswer {
    const answer: DryRunAnswer = {
        dryRun: true,
        counts: { total: scan.rows.length, wouldChange: 0, alreadyEncrypted: 0, skipped: 0 },
        wouldChange: [],
        skipped: [],
        notes,
        scannedAt: scan.takenAt,
        blockers,
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
