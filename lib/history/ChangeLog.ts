import type { ILogger } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { describeError } from '../describeError';
import type { Door, EncryptionHistory } from './EncryptionHistory';

/** One change as a door tells it (see HistoryEntry); its moment is given when it is recorded. */
export interface Change {
    encrypted: boolean;
    door: Door;
    /** Who made it, where known. */
    by?: IUser;
    key?: string;
    foundAt?: string;
    pending?: boolean;
    /** When it happened, where the server said so (its notice's time); otherwise when it is recorded. */
    at?: Date;
}

/** What the app's doors tell about the changes they make, for the history. */
export interface ChangeLog {
    /**
     * Records a change made through one of the app's doors — or about to be made, where the
     * server's event for it may reach any instance. Its key, or undefined when the history could
     * not be written. With a `key`, a second record of the same change adds nothing.
     */
    record(roomId: string, change: Change): Promise<string | undefined>;
    /** A change recorded ahead of its write, which did not land. */
    withdraw(roomId: string, key: string | undefined): Promise<void>;
}

/** Per group, the last moment this instance gave a change of it or recorded one at, in ms. */
const lastOf = new Map<string, number>();
/** Moments older than this cannot tie with a new one: they are forgotten once many groups were changed. */
const REMEMBERED_MS = 1000;

/**
 * Now, as the moment of a change of a group: later than any this instance gave or recorded for the
 * group before, so its changes made in one millisecond keep the order they were made in (the log
 * is read sorted by moment). Per group, so that the moment of a write stays before the server's
 * notice of it however many groups change in one millisecond (see EncryptionGuard).
 */
function moment(roomId: string): number {
    return Math.max(Date.now(), (lastOf.get(roomId) ?? 0) + 1);
}

function remember(roomId: string, at: number): void {
    lastOf.set(roomId, Math.max(at, lastOf.get(roomId) ?? 0));
    if (lastOf.size > 1000) {
        const old = Date.now() - REMEMBERED_MS;
        for (const [id, moment] of lastOf) {
            if (moment < old) {
                lastOf.delete(id);
            }
        }
    }
}

/** The latest moment this instance gave a change of the group, or recorded one at (ms; 0: none). */
export function lastMoment(roomId: string): number {
    return lastOf.get(roomId) ?? 0;
}

/** A history that cannot be written must not undo or fail the change: it is logged. */
export function changeLog(history: EncryptionHistory, logger: Pick<ILogger, 'error'>): ChangeLog {
    return {
        record: async (roomId, { by, key, at, ...change }) => {
            try {
                const when = at && !Number.isNaN(at.getTime()) ? at.getTime() : moment(roomId);
                remember(roomId, when);
                return await history.record(
                    roomId,
                    { at: new Date(when).toISOString(), ...change, ...(by && { by: { id: by.id, username: by.username } }) },
                    key,
                );
            } catch (error) {
                logger.error(`Encrypt Group: the change could not be added to the history: ${describeError(error)}`);
                return undefined;
            }
        },
        withdraw: async (roomId, key) => {
            if (key === undefined) {
                return;
            }
            try {
                await history.withdraw(roomId, key);
            } catch (error) {
                logger.error(`Encrypt Group: a change that did not land could not be taken out of the history: ${describeError(error)}`);
            }
        },
    };
}
