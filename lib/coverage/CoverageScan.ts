import type { IRoomRead, IServerSettingRead } from '@rocket.chat/apps-engine/definition/accessors';

import { isRefusal, type Refusal } from '../Refusal';
import type { Credential } from '../rest/Credential';
import type { AdminRoomList } from './AdminRoomList';
import { type AdminRoom, type GroupRow, rowOf } from './GroupRow';

/** A scan answers totals for this long; `refresh` or the app's own bulk change starts a new one sooner. */
export const SCAN_FRESH_MS = 60_000;
/** Rooms read through the bridge at once. */
const PARALLEL_READS = 25;

export interface Scan {
    /** What the admin list said of each group, by id (a page's rows are read again from it). */
    listed: Map<string, AdminRoom>;
    rows: Array<GroupRow>;
    /** ISO time the scan was taken. */
    takenAt: string;
    e2eEnabled: boolean;
    /** The report's selections from these rows, by question (see coverageReport). */
    selections: Selections;
}

/** Selections kept per scan: each distinct filter and sort asked of a scan is one. */
export const SELECTIONS_KEPT = 32;

/**
 * The rows each question selects from a scan, so the next pages of that question cost only their
 * own rows. Bounded: a scan lives a minute, but anyone allowed the report can ask any number of
 * distinct filters in it, and each selection holds up to every row; beyond `limit`, the question
 * asked least recently is dropped and selected again if it returns.
 */
export class Selections {
    private readonly byQuestion = new Map<string, Array<GroupRow>>();

    constructor(private readonly limit = SELECTIONS_KEPT) {}

    public get(question: string, select: () => Array<GroupRow>): Array<GroupRow> {
        const selected = this.byQuestion.get(question) ?? select();
        // A Map iterates in insertion order: re-inserting makes this question the most recent.
        this.byQuestion.delete(question);
        this.byQuestion.set(question, selected);
        if (this.byQuestion.size > this.limit) {
            this.byQuestion.delete(this.byQuestion.keys().next().value!);
        }
        return selected;
    }

    public get size(): number {
        return this.byQuestion.size;
    }
}

/**
 * The last whole scan of the workspace's private groups, kept by the app instance: totals and
 * ordering over thousands of groups come from it, so a page costs the same whatever the total.
 * Every group is in the admin list; whether it is encrypted is read through the app's room reader,
 * because that list does not carry the flag.
 */
export class ScanCache {
    private last?: Scan;
    private running?: Promise<Scan | Refusal>;
    /** Bumped by `forget`: a scan begun before it is not kept. */
    private generation = 0;

    /**
     * The cached scan if fresh, else a new one. Callers arriving while a scan runs share it when it
     * succeeds; a refusal or failure belongs to the credential that met it, so they scan anew.
     */
    public async get(scan: () => Promise<Scan | Refusal>, refresh: boolean, now = Date.now()): Promise<Scan | Refusal> {
        if (!refresh && this.last && now - Date.parse(this.last.takenAt) < SCAN_FRESH_MS) {
            return this.last;
        }
        const shared = this.running;
        if (shared) {
            const result = await shared.catch(() => undefined);
            if (result && !isRefusal(result)) {
                return result;
            }
        }
        const generation = this.generation;
        const running = scan();
        this.running = running;
        try {
            const result = await running;
            if (!isRefusal(result) && generation === this.generation) {
                this.last = result;
            }
            return result;
        } finally {
            if (this.running === running) {
                this.running = undefined;
            }
        }
    }

    /** The app changed many groups: the next report scans again. */
    public forget(): void {
        this.last = undefined;
        this.generation += 1;
    }
}

export interface ScanDeps {
    list: Pick<AdminRoomList, 'all'>;
    rooms: Pick<IRoomRead, 'getById'>;
    serverSettings: Pick<IServerSettingRead, 'getValueById'>;
}

/** Lists every private group with `credential` and reads each one's flag. */
export async function scanGroups(deps: ScanDeps, credential: Credential): Promise<Scan | Refusal> {
    const takenAt = new Date().toISOString();
    const [listed, e2eEnabled] = await Promise.all([deps.list.all(credential), deps.serverSettings.getValueById('E2E_Enable')]);
    if (isRefusal(listed)) {
        return listed;
    }
    return {
        listed: new Map(listed.map((group) => [group._id, group])),
        rows: await readRows(deps.rooms, listed, e2eEnabled === true),
        takenAt,
        e2eEnabled: e2eEnabled === true,
        selections: new Selections(),
    };
}

/** The rows of `listed`, each group read now through the room reader. */
export async function readRows(rooms: Pick<IRoomRead, 'getById'>, listed: ReadonlyArray<AdminRoom>, e2eEnabled: boolean): Promise<Array<GroupRow>> {
    const rows: Array<GroupRow> = [];
    for (let i = 0; i < listed.length; i += PARALLEL_READS) {
        const batch = listed.slice(i, i + PARALLEL_READS);
        const read = await Promise.all(batch.map((group) => rooms.getById(group._id)));
        batch.forEach((group, j) => rows.push(rowOf(group, read[j], e2eEnabled)));
    }
    return rows;
}
