import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

/** A period in which the app was not running at some point (disabled, being updated, restarting): changes then may not have been seen. */
export interface Gap {
    from: string;
    to: string;
}

/** What the reconcile's last run found and did, for `/encrypt status` and the log. */
export interface RunReport {
    at: string;
    /** Groups the app knows as encrypted, each read again. */
    checked: number;
    switchedBack: number;
    /** Changes found that nobody told the app of. */
    unseen: number;
    /** Why groups found switched off could not be switched back (said once per run). */
    problem?: 'no-service-account' | 'write-failed';
    /** How many groups that left switched off. */
    leftOff: number;
}

/**
 * What the app knows of its own watch over the workspace, written only by the reconcile (a
 * scheduler job, which runs once per period across the cluster): since when it records changes,
 * its last sign of life, the periods it knows it was not running, and the last run's report.
 */
export interface WatchState {
    since?: string;
    aliveAt?: string;
    gaps: Array<Gap>;
    lastRun?: RunReport;
}

/** Gaps kept, the newest last: older ones are older than any group's kept changes anyway. */
export const GAPS_KEPT = 20;

const WATCH = [new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'encryption-watch')];
const BASELINE = [new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'encryption-baseline')];

/** The groups a scan of the whole workspace found encrypted, and when. */
export interface Baseline {
    at: string;
    /** Group ids joined by commas (room ids have none): one string crosses into the app cheaply, under vm2 too. */
    ids: string;
}

export class WatchRecord {
    constructor(
        private readonly reader: Pick<IPersistenceRead, 'readByAssociations'>,
        private readonly writer?: Pick<IPersistence, 'updateByAssociations'>,
    ) {}

    public async state(): Promise<WatchState> {
        const stored = (await this.reader.readByAssociations(WATCH))[0] as Partial<WatchState> | undefined;
        return { ...stored, gaps: Array.isArray(stored?.gaps) ? stored.gaps : [] };
    }

    public async save(state: WatchState): Promise<void> {
        await this.writer!.updateByAssociations(WATCH, { ...state, gaps: state.gaps.slice(-GAPS_KEPT) }, true);
    }

    public async baseline(): Promise<{ at: string; ids: Set<string> } | undefined> {
        const stored = (await this.reader.readByAssociations(BASELINE))[0] as Partial<Baseline> | undefined;
        return typeof stored?.at === 'string' ? { at: stored.at, ids: new Set(stored.ids ? stored.ids.split(',') : []) } : undefined;
    }

    public async saveBaseline(at: string, ids: Iterable<string>): Promise<void> {
        await this.writer!.updateByAssociations(BASELINE, { at, ids: [...ids].join(',') } satisfies Baseline, true);
    }
}
