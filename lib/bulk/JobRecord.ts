import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

/** Why a group was left as it was, or why its change failed. */
export interface GroupOutcome {
    roomId: string;
    name: string;
    reason: string;
}

/** Outcomes kept by name; beyond that only their counts (in `reasons`). */
export const OUTCOMES_KEPT = 100;

/** The workspace's encryptAll job: one at a time, the newest kept. Small: it is saved after every group. */
export interface JobState {
    jobId: string;
    /**
     * `cancelled`: an admin stopped it (`cancelledBy`), and what it had not reached stays as it was;
     * not `failed`, which says something went wrong that the admin should look into.
     */
    status: 'running' | 'done' | 'failed' | 'cancelled';
    /** Who started it: the history names them for every change it makes. */
    by: { id: string; username: string };
    includeArchived: boolean;
    startedAt: string;
    updatedAt: string;
    finishedAt?: string;
    /** How many of the workspace's private groups, oldest first, the job has gone through: the next page's offset. */
    listed: number;
    /** The line of runs that carries on the job now, and the processor it runs under (see runChunk). */
    line?: string;
    lineProcessor?: string;
    /** `total`: the workspace's private groups, as the server counted them on the last page. */
    counts: { total: number; changed: number; alreadyEncrypted: number; skipped: number; failed: number };
    /** Outcome → how many groups. */
    reasons: Record<string, number>;
    skipped: Array<GroupOutcome>;
    failed: Array<GroupOutcome>;
    /** Why the job ended early. */
    error?: string;
    /** Who cancelled it (see cancelEncryptAll). */
    cancelledBy?: { id: string; username: string };
    /** The server's rate limiter asked the job to wait until then. */
    resumeAt?: string;
}

/** A job an admin cancelled (see cancelEncryptAll): who, and when. */
export interface CancelMark {
    jobId: string;
    by: { id: string; username: string };
    at: string;
}

const JOB = [new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'encrypt-all-job')];
/**
 * The cancel is also kept apart from the job: persistence has no compare-and-set, so a run saving
 * its counts in the same instant could write `running` over the job's `cancelled`. Runs never
 * write this record, and read it before every group.
 */
const CANCEL = [new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'encrypt-all-cancel')];

/** The job in the app's persistence, so a restart of the app goes on where it was. */
export class JobRecord {
    constructor(
        private readonly reader: Pick<IPersistenceRead, 'readByAssociations'>,
        private readonly writer?: Pick<IPersistence, 'updateByAssociations'>,
    ) {}

    public async state(): Promise<JobState | undefined> {
        return (await this.reader.readByAssociations(JOB))[0] as JobState | undefined;
    }

    public async save(state: JobState): Promise<void> {
        state.updatedAt = new Date().toISOString();
        await this.writer!.updateByAssociations(JOB, state, true);
    }

    /** The job of this id was cancelled: by whom, or undefined. One mark is kept, the newest. */
    public async cancelled(jobId: string): Promise<CancelMark | undefined> {
        const mark = (await this.reader.readByAssociations(CANCEL))[0] as CancelMark | undefined;
        return mark?.jobId === jobId ? mark : undefined;
    }

    public async markCancelled(mark: CancelMark): Promise<void> {
        await this.writer!.updateByAssociations(CANCEL, mark, true);
    }
}
