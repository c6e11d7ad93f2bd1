import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

import { newKey } from '../history/EncryptionHistory';

/**
 * How long a claim is given to become visible to every instance before claims are compared. The
 * instances share one MongoDB and read from its primary: a write the primary acknowledged is
 * seen by every later read, and half a second is far more than a write takes.
 */
export const CLAIM_SETTLE_MS = 500;
/** Claims older than this belong to starts long over (one whose instance stopped before releasing it). */
const CLAIM_LIFE_MS = 60_000;

const CLAIMS = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'encrypt-all-claim');
const named = (key: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, `encrypt-all-claim:${key}`);

interface Claim {
    jobId: string;
    /** When it was made, in ms: the earliest live claim wins. */
    at: number;
    key: string;
}

/**
 * "One job at a time" across every instance of a cluster, over a persistence that has no
 * compare-and-set and no unique index: each start writes a claim, waits CLAIM_SETTLE_MS, and reads
 * every claim; the earliest (its key breaking a tie) wins, and every start comes to the same answer
 * because each sees every claim made before its own read. A start whose claim came after the
 * winner's read is not seen by it — that start then finds the winner's job in the job's record
 * (the caller reads it again after winning, see startEncryptAll), written before the winner
 * released its claim. A claim is released as soon as the job's record is written, or lapses.
 */
export class JobClaims {
    constructor(
        private readonly reader: Pick<IPersistenceRead, 'readByAssociations'>,
        private readonly writer: Pick<IPersistence, 'createWithAssociations' | 'removeByAssociations'>,
        private readonly settleMs = CLAIM_SETTLE_MS,
        private readonly now: () => number = Date.now,
    ) {}

    /** Claims the start of `jobId`: whether it won, or the job that did. */
    public async claim(jobId: string): Promise<{ won: true; release: () => Promise<void> } | { won: false; winner: string }> {
        const mine: Claim = { jobId, at: this.now(), key: newKey() };
        await this.writer.createWithAssociations(mine, [CLAIMS, named(mine.key)]);
        const release = async () => void (await this.writer.removeByAssociations([CLAIMS, named(mine.key)]));
        await new Promise((resolve) => setTimeout(resolve, this.settleMs));
        const live = ((await this.reader.readByAssociations([CLAIMS])) as Array<Claim>).filter((claim) => claim.at > this.now() - CLAIM_LIFE_MS);
        const winner = live.reduce((first, claim) => (claim.at < first.at || (claim.at === first.at && claim.key < first.key) ? claim : first), mine);
        if (winner.key === mine.key) {
            return { won: true, release };
        }
        await release();
        return { won: false, winner: winner.jobId };
    }
}
