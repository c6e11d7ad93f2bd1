// The job runner behind Rocket.Chat's `AppSchedulerBridge` (apps/meteor/app/apps/server/bridges/scheduler.ts):
// there an `Agenda` (@rocket.chat/agenda, collection `rocketchat_apps_scheduler`, concurrency 1 per
// job name); here the same rules over the stand-in's storage and real timers. The bridge in
// bridges.ts decides what to schedule; this only keeps jobs and runs them when they are due.
//
// What agenda does and this follows: a job runs only while a processor of its name is defined, so
// a job that comes due while none is (before the app registered its processors again) waits and
// runs once one is; definitions are never dropped, so a job due while the app is disabled reaches
// the engine, which skips it; a one-time job is agenda's `normal` type, a recurring one its
// `single` type (one per name); two jobs of one name never run at once.
import { randomBytes } from 'node:crypto';

import type { RawAppJob, Storage } from '../storage/Storage';

/** What the engine registers per processor id: its `wrapProcessor(appId, processorId)`, which calls the app. */
export type JobProcessor = (jobContext: Record<string, unknown>) => Promise<unknown>;

/** A timer can wait at most this long (about 24.8 days); a job further out is re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const UNIT_MS: Record<string, number> = {
    millisecond: 1,
    second: 1000,
    minute: 60_000,
    hour: 3_600_000,
    day: 86_400_000,
    week: 604_800_000,
};

/**
 * A duration as human-interval reads it (`'5 seconds'`, `'1 minute'`, `'1 hour and 30 minutes'`,
 * `'1.5 hours'`), or a number of milliseconds. Word numbers, months, years and cron strings — which
 * agenda also takes for a recurring interval — are not read here and fail loudly.
 */
export function intervalMs(interval: unknown): number {
    if (typeof interval === 'number' && Number.isFinite(interval) && interval > 0) {
        return interval;
    }
    if (typeof interval === 'string' && /^\s*\d+\s*$/.test(interval)) {
        return Number(interval);
    }
    const text = typeof interval === 'string' ? interval.trim().toLowerCase() : '';
    const parts = text.split(/\s*(?:,|\band\b)\s*|\s+(?=\d)/).filter(Boolean);
    let total = 0;
    for (const part of parts) {
        const match = /^(\d+(?:\.\d+)?)\s*([a-z]+?)s?$/.exec(part);
        const unit = match && UNIT_MS[match[2]];
        if (!match || !unit) {
            total = NaN;
            break;
        }
        total += Number(match[1]) * unit;
    }
    if (!parts.length || !(total > 0)) {
        throw new Error(
            `stand-in: the scheduler cannot read the interval ${JSON.stringify(interval)} (it reads milliseconds and "N seconds/minutes/hours/days/weeks"; cron strings are not supported)`,
        );
    }
    return total;
}

/**
 * When a one-time job runs, as `Job.schedule(when)` reads it: `new Date(when)` first — a Date (from
 * the Deno runtime it arrives as a Date, or as an ISO string before 1.62), an ISO string, a number
 * of milliseconds since the epoch — and, when that is no date, date.js's reading of the text, of
 * which this reads "now" and the relative forms "[in] N seconds/minutes/… [from now]".
 */
export function runAt(when: unknown, now = Date.now()): Date {
    if (when instanceof Date || typeof when === 'number' || typeof when === 'string') {
        const direct = new Date(when);
        if (!Number.isNaN(direct.getTime())) {
            return direct;
        }
    }
    const text = typeof when === 'string' ? when.trim().toLowerCase() : '';
    if (text === 'now') {
        return new Date(now);
    }
    const relative = /^(?:in\s+)?(.+?)(?:\s+from\s+now)?$/.exec(text)?.[1];
    if (relative) {
        try {
            return new Date(now + intervalMs(relative));
        } catch {
            // said below
        }
    }
    throw new Error(
        `stand-in: the scheduler cannot read when=${JSON.stringify(when)} (it reads Dates, ISO dates, epoch milliseconds, "now" and "in N seconds/minutes/hours/days")`,
    );
}

/** Agenda's job ids are Mongo ObjectIds: 24 hex digits. */
function objectId(): string {
    return randomBytes(12).toString('hex');
}

/**
 * Agenda's default `defaultLockLifetime`: a job whose run never finished (its instance died) stays
 * locked this long, then runs again.
 */
export const LOCK_LIFETIME_MS = 10 * 60_000;

export interface SchedulerOptions {
    /**
     * Agenda's `processEvery`: how often this instance looks in the database for jobs another
     * instance scheduled or made due. None for a single instance, whose own timers see every job.
     */
    processEveryMs?: number;
}

export class JobScheduler {
    private readonly definitions = new Map<string, JobProcessor>();
    private readonly timers = new Map<string, NodeJS.Timeout>();
    /** Per job name, the run in progress (or queued): agenda's concurrency of 1. */
    private readonly runs = new Map<string, Promise<void>>();
    /** The jobs this instance has locked and is running: `agenda.stop()` unlocks them. */
    private readonly locked = new Set<string>();
    private readonly poller?: NodeJS.Timeout;
    private stopped = false;

    constructor(
        private readonly storage: Storage,
        private readonly log: (line: string) => void,
        options: SchedulerOptions = {},
    ) {
        if (options.processEveryMs) {
            this.poller = setInterval(() => this.armDefined(), options.processEveryMs).unref();
        }
    }

    /** `agenda.define(name, fn)`: replaces any earlier definition; jobs of that name waiting for one are armed. */
    public define(name: string, processor: JobProcessor): void {
        this.definitions.set(name, processor);
        for (const job of this.storage.appJobs.where(0, name)) {
            this.arm(job);
        }
    }

    /** `agenda.schedule(when, name, data)`: a new one-time (`normal`) job. */
    public schedule(when: unknown, name: string, data: Record<string, unknown>): RawAppJob {
        const job: RawAppJob = { _id: objectId(), name, type: 'normal', data, nextRunAt: runAt(when) };
        this.storage.appJobs.set(job._id, job);
        this.arm(job);
        return job;
    }

    /**
     * `agenda.every(interval, name, data, {skipImmediate})`: the one `single` job of that name,
     * created or updated. It runs now, or one interval from now with `skipImmediate`; an existing
     * job keeps its next run unless the new one lies in the future (agenda's save of a `single`
     * job sets a past or present `nextRunAt` on insert only).
     */
    public every(interval: string | number, name: string, data: Record<string, unknown>, skipImmediate: boolean): RawAppJob {
        const now = Date.now();
        const nextRunAt = new Date(skipImmediate ? now + intervalMs(interval) : now);
        const job = this.storage.database.atomically(() => {
            const existing = this.storage.appJobs.where(0, name).find((candidate) => candidate.type === 'single');
            if (!existing) {
                const created: RawAppJob = { _id: objectId(), name, type: 'single', data, repeatInterval: interval, nextRunAt };
                this.storage.appJobs.set(created._id, created);
                return created;
            }
            return this.storage.appJobs.update(existing._id, (found) => {
                found.data = data;
                found.repeatInterval = interval;
                if (nextRunAt.getTime() > now || !found.nextRunAt) {
                    found.nextRunAt = nextRunAt;
                }
            })!;
        });
        this.arm(job);
        return job;
    }

    /** `agenda.jobs(query)`: the stored jobs that match. */
    public jobs(match: (job: RawAppJob) => boolean): Array<RawAppJob> {
        return [...this.storage.appJobs.values()].filter(match);
    }

    /** `agenda.cancel(query)`: removes the matching jobs (one already running finishes); how many. */
    public cancel(match: (job: RawAppJob) => boolean): number {
        let removed = 0;
        for (const job of this.jobs(match)) {
            this.storage.appJobs.delete(job._id);
            this.disarm(job._id);
            removed++;
        }
        return removed;
    }

    /**
     * The matching jobs come due now, as when their time arrives: a test sees a recurring job's
     * period pass without waiting for it. How many.
     */
    public runNow(match: (job: RawAppJob) => boolean): number {
        const due = this.jobs(match);
        for (const job of due) {
            const updated = this.storage.appJobs.update(job._id, (found) => {
                found.nextRunAt = new Date();
            });
            if (updated) {
                this.arm(updated);
            }
        }
        return due.length;
    }

    /** Ends every timer and unlocks the jobs this instance runs, as `agenda.stop()`: the server is going away (the jobs stay stored). */
    public stop(): void {
        this.stopped = true;
        clearInterval(this.poller);
        for (const id of [...this.timers.keys()]) {
            this.disarm(id);
        }
        for (const id of this.locked) {
            this.storage.appJobs.update(id, (job) => {
                delete job.lockedAt;
            });
        }
        this.locked.clear();
    }

    private disarm(id: string): void {
        clearTimeout(this.timers.get(id));
        this.timers.delete(id);
    }

    /** Every stored job this instance has a processor for gets a timer for its next run (agenda's periodic look). */
    private armDefined(): void {
        for (const name of this.definitions.keys()) {
            for (const job of this.storage.appJobs.where(0, name)) {
                this.arm(job);
            }
        }
    }

    /** A timer for the job's next run, when it has one and a processor is defined for it. */
    private arm(job: RawAppJob): void {
        this.disarm(job._id);
        if (this.stopped || !job.nextRunAt || !this.definitions.has(job.name)) {
            return;
        }
        const delay = Math.max(0, job.nextRunAt.getTime() - Date.now());
        // Unref'd: a pending job never keeps a test process alive.
        const timer = setTimeout(() => this.due(job._id), Math.min(delay, MAX_TIMER_MS)).unref();
        this.timers.set(job._id, timer);
    }

    private due(id: string): void {
        this.timers.delete(id);
        const job = this.storage.appJobs.get(id);
        if (!job?.nextRunAt) {
            return;
        }
        if (job.nextRunAt.getTime() > Date.now()) {
            this.arm(job);
            return;
        }
        const previous = this.runs.get(job.name) ?? Promise.resolve();
        const run = previous.then(() => this.execute(id));
        this.runs.set(job.name, run);
        void run.finally(() => {
            if (this.runs.get(job.name) === run) {
                this.runs.delete(job.name);
            }
        });
    }

    /**
     * Agenda's lock, then one run. The lock is taken in one atomic write, as agenda's
     * `findOneAndUpdate` takes it: only a job that is due and not locked (or whose lock outlived
     * `LOCK_LIFETIME_MS`) is locked, so of the instances that find it due exactly one runs it.
     * Then as agenda's `Job.run` and Rocket.Chat's `_callProcessor` do it: `lastRunAt` and the next
     * run (a recurring job's, one interval after this start) are set first; the processor gets the
     * job's data without `appId` and with `jobId`; a one-time job is removed when it succeeded (the
     * bridge cancels it), and kept, failed and never to run again, when it threw; the lock goes.
     */
    private async execute(id: string): Promise<void> {
        const processor = this.definitions.get(this.storage.appJobs.get(id)?.name ?? '');
        if (!processor || this.stopped) {
            return;
        }
        const startedAt = new Date();
        const job = this.storage.appJobs.updateIf(
            id,
            (found) => {
                const due = found.nextRunAt !== undefined && found.nextRunAt.getTime() <= startedAt.getTime();
                return due && (!found.lockedAt || startedAt.getTime() - found.lockedAt.getTime() >= LOCK_LIFETIME_MS);
            },
            (found) => {
                found.lockedAt = startedAt;
                found.lastRunAt = startedAt;
                found.nextRunAt = found.type === 'single' ? new Date(startedAt.getTime() + intervalMs(found.repeatInterval)) : undefined;
            },
        );
        if (!job) {
            return;
        }
        this.locked.add(id);
        this.arm(job);
        const context: Record<string, unknown> = { ...job.data };
        delete context.appId;
        context.jobId = id;
        let failure: string | undefined;
        try {
            await processor(context);
        } catch (error) {
            failure = (error as Error | undefined)?.message ?? String(error);
            this.log(`app job ${job.name} failed: ${failure}`);
        }
        this.locked.delete(id);
        if (job.type === 'normal' && failure === undefined) {
            this.cancel((candidate) => candidate._id === id);
            return;
        }
        this.storage.appJobs.update(id, (found) => {
            delete found.lockedAt;
            found.lastFinishedAt = new Date();
            if (failure !== undefined) {
                found.failedAt = new Date();
                found.failReason = failure;
                found.failCount = (found.failCount ?? 0) + 1;
            }
        });
    }
}
