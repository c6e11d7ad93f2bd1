import type { ILogger, ISchedulerModify, IUserRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { AppSettings } from '../AppSettings';
import type { Authority } from '../authority/Authority';
import { Deadline, TOGGLE_BUDGET_MS } from '../Deadline';
import { describeError } from '../describeError';
import type { ScanCache } from '../coverage/CoverageScan';
import type { ChangeLog } from '../history/ChangeLog';
import { isRefusal } from '../Refusal';
import type { Credential } from '../rest/Credential';
import { REST_TIMEOUT_MS, type RestAnswer, type ServerRest, isUnreachable } from '../rest/ServerRest';
import { SKIP_REASONS, skipReason } from './eligibility';
import { type GroupOutcome, type JobRecord, type JobState, OUTCOMES_KEPT } from './JobRecord';
import { starterRights } from './JobRights';
import type { PrivateGroupList } from './PrivateGroupList';

/**
 * The scheduler processors that run the job, a chunk per run. A line of runs follows itself under
 * one name; a watch polls under the other name and takes the job over when the line has shown no
 * progress for LEASE_MS. Two names, because Rocket.Chat's scheduler runs one job of a name at a
 * time, and a run cut off by a restart may hold its name until the engine gives up on it (30 s on
 * 7.4+): the line that takes over runs under the name the watch came in on, and the watch moves to
 * the other. The watch also runs when the app starts and no watch is waiting.
 */
export const ENCRYPT_ALL_PROCESSOR = 'encrypt-all';
export const ENCRYPT_ALL_WATCH = 'encrypt-all-watch';

/** The name a watch uses while a line runs under `processor`. */
export function otherProcessor(processor: string | undefined): string {
    return processor === ENCRYPT_ALL_WATCH ? ENCRYPT_ALL_PROCESSOR : ENCRYPT_ALL_WATCH;
}

/** Saving the job takes at most this; no group is started that could not be saved in time. */
const SAVE_MS = 1000;
/** A line that saved nothing for this long is gone (a run saves after every page and when it stops, within the engine's request timeout). */
export const LEASE_MS = 15_000;
/** Outcomes that would be the same for every group: the job ends with them. */
const FATAL: Record<string, string> = {
    'service-account-rejected': "the server did not accept the service account's token",
    'site-url-unusable': "the server's Site_Url is not one the app sends a token to (https, or http on loopback)",
};

/** The rate limiter's wait when its answer does not say how long. */
const DEFAULT_WAIT_MS = 10_000;

export interface ChunkDeps {
    record: JobRecord;
    groups: Pick<PrivateGroupList, 'page'>;
    rest: Pick<ServerRest, 'post'>;
    settings: Pick<AppSettings, 'serviceAccount'>;
    scheduler: Pick<ISchedulerModify, 'scheduleOnce'>;
    changes: ChangeLog;
    cache: Pick<ScanCache, 'forget'>;
    logger: Pick<ILogger, 'warn' | 'error'>;
    /** Whether the starter still holds the rights a start needs (see starterRights). */
    authority: Pick<Authority, 'allowedRoles'>;
    users: Pick<IUserRead, 'getById'>;
    /** How long one run may work (tests shorten it). */
    budgetMs?: number;
}

/**
 * What a run is given: the processor it runs under, and the line of runs it belongs to — none for
 * a watch. (Not `jobId`: Rocket.Chat's scheduler bridge sets that key of a job's data to its own id.)
 */
export interface ChunkContext {
    processor: string;
    line?: string;
}

/** When the job's line loses its claim: LEASE_MS after its last save, or after the rate limiter's wait. */
export function leaseEnds(state: JobState): number {
    return Math.max(Date.parse(state.updatedAt), Date.parse(state.resumeAt ?? '') || 0) + LEASE_MS;
}

/**
 * One run of the workspace's encryptAll job: as much as fits in the engine's request timeout, then
 * the next run of its line is scheduled (see encryptPages). Only the job's current line works and
 * saves: a run of another line stops at its next save. The work acts as the service account,
 * through the server's own route, so every group gets Rocket.Chat's own notice.
 */
export async function runChunk(deps: ChunkDeps, context: ChunkContext): Promise<void> {
    const state = await deps.record.state();
    if (!state || state.status !== 'running' || (context.line !== undefined && context.line !== state.line)) {
        return;
    }
    if (context.line === undefined) {
        const watch = { id: otherProcessor(state.lineProcessor) };
        if (leaseEnds(state) > Date.now()) {
            // The line is working (or waiting for the rate limiter): look again when its lease ends.
            await deps.scheduler.scheduleOnce({ ...watch, when: new Date(leaseEnds(state) + 1000) });
            return;
        }
        state.line = newId();
        state.lineProcessor = context.processor;
        state.resumeAt = undefined;
        // Saved at once: from now on, a run of the old line stops at its next save.
        await deps.record.save(state);
        await deps.scheduler.scheduleOnce({ id: otherProcessor(context.processor), when: new Date(Date.now() + LEASE_MS + 1000) });
    }
    const line = { processor: context.processor, line: state.line! };
    const deadline = Deadline.after(deps.budgetMs ?? TOGGLE_BUDGET_MS);
    const credential = await deps.settings.serviceAccount();
    if (!credential) {
        return end(deps, state, 'failed', 'the service account is no longer set');
    }
    const save = () => saveIfCurrent(deps.record, state);
    try {
        const next = (await starterEnd(deps, state, credential)) ?? (await encryptPages(deps, state, credential, deadline, save));
        if (next === 'superseded') {
            return;
        }
        if (next === 'done' || next === 'cancelled') {
            return end(deps, state, next);
        }
        if (typeof next === 'string') {
            return end(deps, state, 'failed', next);
        }
        if (next > 0) {
            state.resumeAt = new Date(Date.now() + next).toISOString();
        }
        if (await save()) {
            await deps.scheduler.scheduleOnce({ id: line.processor, when: new Date(Date.now() + next), data: { line: line.line } });
        }
    } catch (error) {
        // The next run of the line (or the watch) goes on from what was saved.
        deps.logger.error(`Encrypt Group: encryptAll ${state.jobId} stopped a run: ${describeError(error)}`);
        if (await save().catch(() => false)) {
            await deps.scheduler
                .scheduleOnce({ id: line.processor, when: new Date(Date.now() + DEFAULT_WAIT_MS), data: { line: line.line } })
                .catch(() => undefined);
        }
    }
}

/**
 * Saves the job only while this run's line still has it: a line that was taken over must not write
 * its older counts over the new line's. Whether it saved.
 */
async function saveIfCurrent(record: JobRecord, state: JobState): Promise<boolean> {
    const stored = await record.state();
    if (stored?.jobId !== state.jobId || stored.line !== state.line) {
        return false;
    }
    if (stored.status === 'cancelled') {
        // Cancelled since this run's last look: it stops, and its counts go into the cancelled job.
        Object.assign(state, { status: stored.status, cancelledBy: stored.cancelledBy, finishedAt: stored.finishedAt, resumeAt: undefined });
        await record.save(state);
        return false;
    }
    await record.save(state);
    return true;
}

/**
 * A run's end: 'done', 'cancelled' by an admin, another line has the job ('superseded'), why the
 * job failed, or in how many ms the next run starts.
 */
type RunEnd = 'done' | 'cancelled' | 'superseded' | string | number;

/**
 * Every run asks first whether the job's starter still may do what it does for them (see
 * starterRights): one read of the starter and one small read of the table per run, not per group.
 * Undefined: go on.
 */
async function starterEnd(deps: ChunkDeps, state: JobState, credential: Credential): Promise<RunEnd | undefined> {
    const rights = await starterRights(deps, state.by, credential);
    if (!rights) {
        return undefined;
    }
    if ('lost' in rights) {
        return `stopped: ${rights.lost}`;
    }
    const answer = rights.unknown.answer;
    if (answer?.statusCode === 401) {
        return FATAL['service-account-rejected'];
    }
    return answer?.statusCode === 429 ? waitOf(answer.body) : DEFAULT_WAIT_MS;
}

/**
 * Page after page of the workspace's private groups, each switched on where it is off and
 * eligible. What a run did is saved with the offset after each page, and when the run stops in a
 * page's middle: a restart takes up the page again, where the groups it already switched are
 * listed as encrypted (Rocket.Chat's route would answer 200 and post nothing for them anyway), and
 * the history's key for a group of a job makes its second record the same one. So a restart
 * neither loses a group nor posts a second notice for it, and a group costs two calls: the write
 * and its history record.
 */
async function encryptPages(deps: ChunkDeps, state: JobState, credential: Credential, deadline: Deadline, save: () => Promise<boolean>): Promise<RunEnd> {
    const by = { id: state.by.id, username: state.by.username } as IUser;
    while (deadline.allows(REST_TIMEOUT_MS + SAVE_MS)) {
        const page = await deps.groups.page(credential, state.listed);
        if (isRefusal(page)) {
            // No answer, or the server's own trouble (an instance restarting): the line tries again.
            if (page.status === 429 || page.reason === 'server-unanswered' || page.status >= 500) {
                return page.status === 429 ? waitOf(page.body) : DEFAULT_WAIT_MS;
            }
            return page.reason === 'site-url-unusable'
                ? FATAL['site-url-unusable']
                : `the service account may not list every group (it needs view-room-administration): ${page.error}`;
        }
        state.counts.total = page.total;
        for (const [done, group] of page.groups.entries()) {
            const stop = (end: RunEnd) => {
                state.listed += done;
                return end;
            };
            if (!deadline.allows(REST_TIMEOUT_MS + SAVE_MS)) {
                return stop(0);
            }
            // An admin may have cancelled the job (see cancelEncryptAll): asked before every group.
            const cancel = await deps.record.cancelled(state.jobId);
            if (cancel) {
                state.cancelledBy = cancel.by;
                state.finishedAt = cancel.at;
                return stop('cancelled');
            }
            const name = group.fname || group.name || group._id;
            const skip = skipReason({ federated: group.federated === true, archived: group.archived === true }, state.includeArchived);
            const outcome: Outcome =
                group.encrypted === true
                    ? 'alreadyEncrypted'
                    : skip
                      ? { roomId: group._id, name, reason: skip }
                      : await write(deps, state, group._id, name, credential, by);
            if (typeof outcome === 'object' && 'wait' in outcome) {
                // The rate limiter refused (nothing landed), or the answer was lost: the group is listed again.
                return stop(outcome.wait);
            }
            count(state, outcome);
            state.resumeAt = undefined;
            if (typeof outcome === 'object' && FATAL[outcome.reason]) {
                state.listed += done + 1;
                return FATAL[outcome.reason];
            }
        }
        state.listed += page.groups.length;
        if (!(await save())) {
            return 'superseded';
        }
        if (page.groups.length === 0 || state.listed >= page.total) {
            return 'done';
        }
    }
    return 0;
}

/** What became of one group; `wait`: try it again after that many ms. */
type Outcome = 'changed' | 'alreadyEncrypted' | GroupOutcome | { wait: number };

/**
 * One group switched on as the service account; its history names the job's starter and is
 * written before the write (the server's event for it may reach any instance, which must find it
 * recorded), under a key of the job and group.
 */
async function write(deps: ChunkDeps, state: JobState, roomId: string, name: string, credential: Credential, by: IUser): Promise<Outcome> {
    const recorded = await deps.changes.record(roomId, { encrypted: true, by, door: 'bulk', key: `bulk:${state.jobId}:${roomId}` });
    const notLanded = () => deps.changes.withdraw(roomId, recorded);
    let answer: RestAnswer;
    try {
        answer = await deps.rest.post('rooms.saveRoomSettings', credential, { rid: roomId, encrypted: true });
    } catch (error) {
        if (isUnreachable(error) && error.why !== 'transport') {
            await notLanded();
            return { roomId, name, reason: 'site-url-unusable' };
        }
        // The answer was lost: the write may have landed. The record stays, its key makes the retry's the same one.
        return { wait: DEFAULT_WAIT_MS };
    }
    if (answer.statusCode === 200) {
        return 'changed';
    }
    await notLanded();
    if (answer.statusCode === 429) {
        return { wait: waitOf(answer.body) };
    }
    if (answer.statusCode === 401) {
        return { roomId, name, reason: 'service-account-rejected' };
    }
    if (answer.body.errorType === 'error-invalid-room') {
        // Deleted since its page was listed.
        return { roomId, name, reason: 'not-found' };
    }
    return { roomId, name, reason: typeof answer.body.error === 'string' ? answer.body.error : `HTTP ${answer.statusCode}` };
}

function count(state: JobState, outcome: 'changed' | 'alreadyEncrypted' | GroupOutcome): void {
    if (typeof outcome === 'string') {
        state.counts[outcome] += 1;
        return;
    }
    const failed = !SKIP_REASONS.includes(outcome.reason);
    state.counts[failed ? 'failed' : 'skipped'] += 1;
    state.reasons[outcome.reason] = (state.reasons[outcome.reason] ?? 0) + 1;
    const kept = failed ? state.failed : state.skipped;
    if (kept.length < OUTCOMES_KEPT) {
        kept.push(outcome);
    }
}

async function end(deps: ChunkDeps, state: JobState, status: 'done' | 'failed' | 'cancelled', error?: string): Promise<void> {
    state.status = status;
    state.finishedAt ??= new Date().toISOString();
    state.resumeAt = undefined;
    if (error) {
        state.error = error;
        deps.logger.warn(`Encrypt Group: encryptAll ${state.jobId} failed: ${error}`);
    }
    deps.cache.forget();
    await deps.record.save(state);
}

/** How long Rocket.Chat's rate limiter asks to wait ("You must wait N seconds …"), plus a second. */
function waitOf(body: Record<string, unknown> | undefined): number {
    const seconds = /wait (\d+) seconds/.exec(String(body?.error ?? ''))?.[1];
    return seconds === undefined ? DEFAULT_WAIT_MS : (Number(seconds) + 1) * 1000;
}

export function newId(): string {
    return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}
