import type { ILogger, IRoomRead, ISchedulerModify } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { AppSettings } from '../AppSettings';
import { Deadline, TOGGLE_BUDGET_MS } from '../Deadline';
import { describeError } from '../describeError';
import type { AdminRoomList } from '../coverage/AdminRoomList';
import type { ScanCache } from '../coverage/CoverageScan';
import type { ChangeLog } from '../history/ChangeLog';
import { isRefusal } from '../Refusal';
import { encryptedFlag, isArchived, isFederated, displayName } from '../RoomFacts';
import type { Credential } from '../rest/Credential';
import { REST_TIMEOUT_MS, type RestAnswer, type ServerRest, isUnreachable } from '../rest/ServerRest';
import { skipReason } from './eligibility';
import { type GroupOutcome, type JobRecord, type JobState, OUTCOMES_KEPT } from './JobRecord';

/**
 * The scheduler processors that run the job, a chunk per run. Runs of one line follow each other
 * under one name. `WATCH` runs at every start of the app, and when a job starts: it takes the job
 * over when no line has shown progress for LEASE_MS. A separate name, because Rocket.Chat's
 * scheduler runs one job of a name at a time, and the run a restart cut off may hold its name until
 * the engine gives up on it (30 s on 7.4+).
 */
export const ENCRYPT_ALL_PROCESSOR = 'encrypt-all';
export const ENCRYPT_ALL_WATCH = 'encrypt-all-watch';

/** Saving the job after a group takes at most this; no group is started that could not be saved in time. */
const SAVE_MS = 1000;
/** A line that saved nothing for this long is gone (a run saves after every group, and waits at most REST_TIMEOUT_MS for one). */
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
    list: Pick<AdminRoomList, 'page'>;
    rooms: Pick<IRoomRead, 'getById'>;
    rest: Pick<ServerRest, 'post'>;
    settings: Pick<AppSettings, 'serviceAccount'>;
    scheduler: Pick<ISchedulerModify, 'scheduleOnce'>;
    changes: ChangeLog;
    cache: Pick<ScanCache, 'forget'>;
    logger: Pick<ILogger, 'warn' | 'error'>;
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

/**
 * One run of the workspace's encryptAll job: as much as fits in the engine's request timeout, then
 * the next run of its line is scheduled. Every group's outcome is saved before the next is started,
 * and a write whose outcome was not saved (the app stopped meanwhile) is read back, so a restart
 * neither repeats nor loses a group. Only the job's current line works: a run of another line
 * stops at its next group. The work acts as the service account, through the server's own route,
 * so every group gets Rocket.Chat's own notice.
 */
export async function runChunk(deps: ChunkDeps, context: ChunkContext): Promise<void> {
    const state = await deps.record.state();
    if (!state || state.status !== 'running' || (context.line !== undefined && context.line !== state.line)) {
        return;
    }
    if (context.line === undefined) {
        const leaseEnds = Math.max(Date.parse(state.updatedAt), Date.parse(state.resumeAt ?? '') || 0) + LEASE_MS;
        if (leaseEnds > Date.now()) {
            // A line is working (or waiting for the rate limiter): look again when its lease ends.
            await deps.scheduler.scheduleOnce({ id: context.processor, when: new Date(leaseEnds + 1000) });
            return;
        }
        state.line = newId();
        state.resumeAt = undefined;
        // Saved at once: from now on, a run of the old line stops at its next group.
        await deps.record.save(state);
    }
    const line = { processor: context.processor, line: state.line! };
    const deadline = Deadline.after(deps.budgetMs ?? TOGGLE_BUDGET_MS);
    const credential = await deps.settings.serviceAccount();
    if (!credential) {
        return end(deps, state, 'failed', 'the service account is no longer set');
    }
    try {
        const next = state.phase === 'listing' ? await listGroups(deps, state, credential, deadline) : await encryptGroups(deps, state, credential, deadline);
        if (next === 'superseded') {
            return;
        }
        if (next === 'done') {
            return end(deps, state, 'done');
        }
        if (typeof next === 'string') {
            return end(deps, state, 'failed', next);
        }
        await deps.record.save(state);
        await deps.scheduler.scheduleOnce({ id: line.processor, when: new Date(Date.now() + next), data: { line: line.line } });
    } catch (error) {
        // The next run of the line (or a watch) goes on from what was saved.
        deps.logger.error(`Encrypt Group: encryptAll ${state.jobId} stopped a run: ${describeError(error)}`);
        await deps.record.save(state).catch(() => undefined);
        await deps.scheduler
            .scheduleOnce({ id: line.processor, when: new Date(Date.now() + DEFAULT_WAIT_MS), data: { line: line.line } })
            .catch(() => undefined);
    }
}

/** A run's end: 'done', another line has the job ('superseded'), why the job failed, or in how many ms the next run starts. */
type RunEnd = 'done' | 'superseded' | string | number;

async function listGroups(deps: ChunkDeps, state: JobState, credential: Credential, deadline: Deadline): Promise<RunEnd> {
    const ids = await deps.record.groupIds();
    const known = new Set(ids);
    while (deadline.allows(REST_TIMEOUT_MS + SAVE_MS)) {
        const page = await deps.list.page(credential, state.listed, 100);
        if (isRefusal(page)) {
            return page.status === 429 ? waitOf(page.body) : `the service account may not list the groups (${page.error})`;
        }
        for (const room of page.rooms) {
            if (!known.has(room._id)) {
                known.add(room._id);
                ids.push(room._id);
            }
        }
        state.listed += page.rooms.length;
        await deps.record.saveGroupIds(ids);
        if (page.rooms.length === 0 || state.listed >= page.total) {
            state.phase = 'encrypting';
            state.counts.total = ids.length;
            return state.counts.total === 0 ? 'done' : encryptGroups(deps, state, credential, deadline, ids);
        }
    }
    return 0;
}

async function encryptGroups(deps: ChunkDeps, state: JobState, credential: Credential, deadline: Deadline, listed?: Array<string>): Promise<RunEnd> {
    const ids = listed ?? (await deps.record.groupIds());
    const by = { id: state.by.id, username: state.by.username } as IUser;
    while (state.cursor < ids.length) {
        if (!deadline.allows(REST_TIMEOUT_MS + SAVE_MS)) {
            return 0;
        }
        if ((await deps.record.state())?.line !== state.line) {
            return 'superseded';
        }
        const roomId = ids[state.cursor];
        const room = await deps.rooms.getById(roomId);
        const name = room ? displayName(room) : roomId;
        const resumed = state.inFlight === roomId;
        const skip = room && skipReason({ federated: isFederated(room), archived: isArchived(room) }, state.includeArchived);
        let outcome: 'changed' | 'alreadyEncrypted' | GroupOutcome | number;
        if (!room) {
            outcome = { roomId, name, reason: 'not-found' };
        } else if (encryptedFlag(room) === true) {
            outcome = resumed ? 'changed' : 'alreadyEncrypted';
        } else if (skip) {
            outcome = { roomId, name, reason: skip };
        } else {
            state.inFlight = roomId;
            await deps.record.save(state);
            outcome = await write(deps, roomId, name, credential, by);
        }
        if (typeof outcome === 'number') {
            state.inFlight = undefined;
            state.resumeAt = new Date(Date.now() + outcome).toISOString();
            return outcome;
        }
        count(state, outcome);
        if (typeof outcome === 'object' && FATAL[outcome.reason]) {
            return FATAL[outcome.reason];
        }
        state.inFlight = undefined;
        state.resumeAt = undefined;
        state.cursor += 1;
        await deps.record.save(state);
    }
    return 'done';
}

/** One group switched on as the service account; its history names the job's starter. */
async function write(deps: ChunkDeps, roomId: string, name: string, credential: Credential, by: IUser): Promise<'changed' | GroupOutcome | number> {
    deps.changes.prepare(roomId);
    deps.changes.expect(roomId, true);
    let answer: RestAnswer;
    try {
        answer = await deps.rest.post('rooms.saveRoomSettings', credential, { rid: roomId, encrypted: true });
    } catch (error) {
        deps.changes.unexpect(roomId, true);
        // Sent or not, the group is read again by the next run (it is still `inFlight`).
        return isUnreachable(error) && error.why !== 'transport' ? { roomId, name, reason: 'site-url-unusable' } : DEFAULT_WAIT_MS;
    }
    if (answer.statusCode === 200) {
        await deps.changes.record(roomId, true, by, 'bulk');
        return 'changed';
    }
    deps.changes.unexpect(roomId, true);
    if (answer.statusCode === 429) {
        return waitOf(answer.body);
    }
    if (answer.statusCode === 401) {
        return { roomId, name, reason: 'service-account-rejected' };
    }
    return { roomId, name, reason: typeof answer.body.error === 'string' ? answer.body.error : `HTTP ${answer.statusCode}` };
}

function count(state: JobState, outcome: 'changed' | 'alreadyEncrypted' | GroupOutcome): void {
    if (typeof outcome === 'string') {
        state.counts[outcome] += 1;
        return;
    }
    const failed = !['not-found', 'federated', 'archived'].includes(outcome.reason);
    state.counts[failed ? 'failed' : 'skipped'] += 1;
    state.reasons[outcome.reason] = (state.reasons[outcome.reason] ?? 0) + 1;
    const kept = failed ? state.failed : state.skipped;
    if (kept.length < OUTCOMES_KEPT) {
        kept.push(outcome);
    }
}

async function end(deps: ChunkDeps, state: JobState, status: 'done' | 'failed', error?: string): Promise<void> {
    state.status = status;
    state.finishedAt = new Date().toISOString();
    state.inFlight = undefined;
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
