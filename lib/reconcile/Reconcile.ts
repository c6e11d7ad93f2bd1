import type { ILogger, IRoomRead, ISchedulerModify } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';

import type { AppSettings } from '../AppSettings';
import type { Scan } from '../coverage/CoverageScan';
import { Deadline, TOGGLE_BUDGET_MS } from '../Deadline';
import { LEFT_OFF_WHY, type LeftOff, type SwitchBackDeps, switchBackOn } from '../guard/SwitchBack';
import type { ChangeLog } from '../history/ChangeLog';
import { ENTRIES_PER_GROUP, type EncryptionHistory, type StoredChange } from '../history/EncryptionHistory';
import { isRefusal, type Refusal } from '../Refusal';
import { REST_TIMEOUT_MS } from '../rest/ServerRest';
import { encryptedFlag } from '../RoomFacts';
import type { RunReport, WatchRecord, WatchState } from './WatchRecord';

/** How long after the app is enabled its start runs: the engine runs no job of an app still initializing. */
export const RECONCILE_START_DELAY_MS = 3000;

/**
 * The scheduler processors: the start (once whenever the app starts or is enabled, on the
 * instance that starts) and the recurring run, every `reconcile_minutes` (once per period across
 * the cluster: Rocket.Chat's scheduler keeps one recurring job of a name). A run that runs out of
 * time goes on in a one-time job of the recurring processor, from where it stopped.
 */
export const RECONCILE_START = 'encryption-reconcile-start';
export const RECONCILE = 'encryption-reconcile';
/**
 * A group found off that changed this recently is the guard's: the server's event for the change
 * may still be on its way to it (7.4+), and a switch-back of the reconcile's besides would be a
 * second one. The reconcile looks again once this has passed.
 */
export const GUARD_TURN_MS = 2000;

/** A late scheduler run is not yet a gap: the app counts as not running only past its period and this. */
const GRACE_MS = 60_000;
/** Groups read at once: a workspace of thousands is read in seconds, without a burst on the server. */
const PARALLEL_READS = 20;

export interface ReconcileDeps {
    history: Pick<EncryptionHistory, 'all' | 'of' | 'prune' | 'carryOver'>;
    changes: ChangeLog;
    watch: Pick<WatchRecord, 'state' | 'save' | 'baseline' | 'saveBaseline'>;
    rooms: Pick<IRoomRead, 'getById'>;
    settings: Pick<AppSettings, 'allowTurningOff' | 'reconcileMinutes'>;
    switchBack: SwitchBackDeps;
    scheduler: Pick<ISchedulerModify, 'scheduleOnce'>;
    /** Every private group with its flag, where the service account may list rooms (at a start). */
    scan?: () => Promise<Scan | Refusal>;
    logger: Pick<ILogger, 'info' | 'warn' | 'error'>;
    /** How long one run may work (tests shorten it). */
    budgetMs?: number;
}

/** What a run is: a start, the recurring run, or the rest of an earlier run (the groups after `after`). */
export interface RunKind {
    start: boolean;
    after?: string;
}

/** What the app knows of a group: its state, and what that rests on (the newest change, or the scan). */
interface Known {
    encrypted: boolean;
    basis: string;
}

/**
 * A policy that holds when the app misses things. Events are lost whenever the app is not running
 * when they fire, and before 7.4 there are none, so the groups the app knows as encrypted — the
 * newest change in its history says so, or a scan of the workspace at a start found them so — are
 * read again. One found off is a change nobody told the app of: it is recorded as `unseen`, with
 * when it was found; where turning off is not allowed, it is switched back on through the guard's
 * way and identity (see switchBackOn), recorded as `reconcile`. Keys derive from the change the run
 * acted on, so two runs at once (two instances starting) record each finding once. The run also
 * carries old history records over, prunes each group to its newest ENTRIES_PER_GROUP changes, and
 * notes when the app was not running (WatchRecord). It costs one room read per protected group,
 * and a few calls besides.
 */
export async function reconcile(deps: ReconcileDeps, kind: RunKind): Promise<RunReport> {
    const deadline = Deadline.after(deps.budgetMs ?? TOGGLE_BUDGET_MS);
    const carried = kind.start ? await deps.history.carryOver() : undefined;
    const [watch, changes, minutes, allowOff] = await Promise.all([
        deps.watch.state(),
        deps.history.all(),
        deps.settings.reconcileMinutes(),
        deps.settings.allowTurningOff(),
    ]);
    const now = new Date().toISOString();
    const known = new Map<string, Known>();
    for (const [roomId, group] of byGroup(changes)) {
        known.set(roomId, knownFrom(roomId, group[group.length - 1], allowOff));
        if (group.length > ENTRIES_PER_GROUP) {
            await deps.history.prune(roomId, group);
        }
    }
    const baseline = await deps.watch.baseline();
    for (const id of baseline?.ids ?? []) {
        if (!known.has(id)) {
            known.set(id, { encrypted: true, basis: `baseline:${baseline!.at}` });
        }
    }
    const report: RunReport = { at: now, checked: 0, switchedBack: 0, unseen: 0, leftOff: 0 };
    const leftOff = new Map<LeftOff, number>();
    const found = async (roomId: string, state: Known, room: IRoom | undefined) => {
        const foundAt = new Date().toISOString();
        report.unseen++;
        await deps.changes.record(roomId, { encrypted: false, door: 'unseen', key: unseenKey(roomId, state.basis), pending: !allowOff });
        if (allowOff) {
            return;
        }
        const key = `reconcile:${roomId}:${state.basis}`;
        const outcome = await switchBackOn(deps.switchBack, room, 'reconcile', key, Deadline.after(REST_TIMEOUT_MS + 1000), foundAt);
        if (outcome.switched) {
            report.switchedBack++;
        } else if ('why' in outcome) {
            report.leftOff++;
            leftOff.set(outcome.why, (leftOff.get(outcome.why) ?? 0) + 1);
            if (outcome.why === 'no-service-account' || outcome.why === 'failed') {
                report.problem ??= outcome.why === 'failed' ? 'write-failed' : outcome.why;
            }
        }
    };
    const protectedIds = [...known].filter(([id, state]) => state.encrypted && (kind.after === undefined || id > kind.after)).map(([id]) => id);
    protectedIds.sort();
    // Each group read, and each switch-back, must fit in the run; what does not goes on in the next.
    let next: string | undefined;
    let lookAgain = false;
    reading: for (let i = 0; i < protectedIds.length; i += PARALLEL_READS) {
        const batch = protectedIds.slice(i, i + PARALLEL_READS);
        if (!deadline.allows(REST_TIMEOUT_MS + 1000)) {
            next = protectedIds[i - 1];
            break;
        }
        const rooms = await Promise.all(batch.map((id) => deps.rooms.getById(id)));
        for (const [j, id] of batch.entries()) {
            const room = rooms[j];
            if (room && encryptedFlag(room) !== true && changedWithin(room, GUARD_TURN_MS)) {
                lookAgain = true;
            } else if (room && encryptedFlag(room) !== true) {
                if (!deadline.allows(REST_TIMEOUT_MS + 1000)) {
                    next = batch[j - 1] ?? protectedIds[i - 1];
                    break reading;
                }
                await found(id, known.get(id)!, room);
            }
            report.checked++;
        }
    }
    // A start, with the time left, scans the workspace: groups found encrypted are protected from
    // now on (the baseline), and switch-ons nobody told the app of are recorded.
    const observed = kind.start && next === undefined ? await scanned(deps, deadline) : undefined;
    if (observed) {
        await deps.watch.saveBaseline(
            now,
            [...observed.values()].filter((row) => row.encrypted).map((row) => row.id),
        );
        for (const row of observed.values()) {
            const state = known.get(row.id);
            if (row.encrypted && state && !state.encrypted && !(await onSinceRead(deps.history, row.id))) {
                report.unseen++;
                await deps.changes.record(row.id, { encrypted: true, door: 'unseen', key: unseenKey(row.id, state.basis) });
            }
        }
    }
    if (next !== undefined) {
        await deps.scheduler.scheduleOnce({ id: RECONCILE, when: new Date(), data: { after: next } });
    } else if (lookAgain) {
        await deps.scheduler.scheduleOnce({ id: RECONCILE, when: new Date(Date.now() + GUARD_TURN_MS + 500) });
    }
    await deps.watch.save(watched(watch, kind, now, minutes, carried?.since, report));
    say(deps, report, leftOff, allowOff, next);
    return report;
}

/** The watch after this run: since when, the gap this run knows of, its sign of life and report. */
function watched(watch: WatchState, kind: RunKind, now: string, minutes: number, carriedSince: string | undefined, report: RunReport): WatchState {
    const gaps = [...watch.gaps];
    const late = watch.aliveAt !== undefined && Date.parse(now) - Date.parse(watch.aliveAt) > minutes * 60_000 + GRACE_MS;
    // A start means the app was not running on this instance for a while since its last sign of life.
    if (watch.aliveAt !== undefined && (kind.start || late)) {
        gaps.push({ from: watch.aliveAt, to: now });
    }
    return { since: watch.since ?? carriedSince ?? now, aliveAt: now, gaps, lastRun: report };
}

/**
 * The scan at a start, by id, if it ends in the run's time; none where the account may not list
 * rooms (the history's groups were read one by one) or the workspace is too large for one run (the
 * baseline from an earlier start stays, and the log says so).
 */
async function scanned(deps: ReconcileDeps, deadline: Deadline): Promise<Map<string, Scan['rows'][number]> | undefined> {
    if (!deps.scan) {
        return undefined;
    }
    const scan = await deadline.race<Scan | Refusal | 'late'>(deps.scan(), () => 'late');
    if (scan === 'late') {
        deps.logger.warn('Encrypt Group: the reconcile could not scan the whole workspace within one run; it keeps the groups it knew as encrypted before');
        return undefined;
    }
    if (isRefusal(scan)) {
        deps.logger.info(`Encrypt Group: the reconcile reads only the groups the history knows: the workspace could not be scanned (${scan.error})`);
        return undefined;
    }
    return new Map(scan.rows.map((row) => [row.id, row]));
}

/** One line per run in the app's log; a warning when groups must stay off for the app's own want. */
function say(deps: ReconcileDeps, report: RunReport, leftOff: Map<LeftOff, number>, allowOff: boolean, next: string | undefined): void {
    const why = [...leftOff].map(([reason, count]) => `${count} ${LEFT_OFF_WHY[reason]}`).join('; ');
    const line =
        `Encrypt Group: the reconcile read ${report.checked} encrypted groups again` +
        (report.unseen ? `, found ${report.unseen} changes it was not told of${allowOff ? ' (turning off is allowed)' : ''}` : '') +
        (report.switchedBack ? `, switched ${report.switchedBack} back on` : '') +
        (report.leftOff ? `; ${report.leftOff} stay off (${why})` : '') +
        (next !== undefined ? '; it goes on in a moment with the rest' : '');
    if (report.problem) {
        deps.logger.warn(line);
    } else {
        deps.logger.info(line);
    }
}

/**
 * Whether the group's newest change, read now, is a switch-on: one the app made or heard of after
 * this run read the history (every door records before it writes), and so no finding.
 */
async function onSinceRead(history: Pick<EncryptionHistory, 'of'>, roomId: string): Promise<boolean> {
    return (await history.of(roomId)).entries.at(-1)?.encrypted === true;
}

/** The key of a finding: what the run acted on names it, so a second run finding the same records nothing new. */
function unseenKey(roomId: string, basis: string): string {
    return `unseen:${roomId}:${basis}`;
}

/**
 * What the newest change says of a group. A switch-off found while turning off was not allowed,
 * and not switched back yet (no service account then, the server refused), still wants the group
 * on while that holds: it stays protected, on the finding's own basis, so the next run's finding
 * and switch-back are the same records.
 */
function knownFrom(roomId: string, newest: StoredChange, allowOff: boolean): Known {
    const prefix = unseenKey(roomId, '');
    if (newest.door === 'unseen' && newest.pending === true && !allowOff && newest.key.startsWith(prefix)) {
        return { encrypted: true, basis: newest.key.slice(prefix.length) };
    }
    return { encrypted: newest.encrypted, basis: newest.key };
}

function byGroup(changes: Array<StoredChange>): Map<string, Array<StoredChange>> {
    const groups = new Map<string, Array<StoredChange>>();
    for (const change of changes) {
        const group = groups.get(change.roomId);
        if (group) {
            group.push(change);
        } else {
            groups.set(change.roomId, [change]);
        }
    }
    return groups;
}

/** Whether the room was changed within the last `ms` (its `updatedAt`; a room that does not say is not). */
function changedWithin(room: IRoom, ms: number): boolean {
    const updatedAt = room.updatedAt ? new Date(room.updatedAt as Date | string).getTime() : NaN;
    return Date.now() - updatedAt < ms;
}
