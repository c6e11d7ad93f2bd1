import type { ILogger } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { describeError } from '../describeError';
import type { AppWrites } from './AppWrites';
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
}

/** What the app's doors tell about the changes they make, for the history. */
export interface ChangeLog {
    /** The app is about to make this change through the server: this instance knows the server's event for it as the app's own. */
    expect(roomId: string, encrypted: boolean): void;
    /** That change did not land after all. */
    unexpect(roomId: string, encrypted: boolean): void;
    /**
     * Records a change made through one of the app's doors — or about to be made, where the
     * server's event for it may reach another instance first. Its key, or undefined when the
     * history could not be written. With a `key`, a second record of the same change adds nothing.
     */
    record(roomId: string, change: Change): Promise<string | undefined>;
    /** A change recorded ahead of its write, which did not land. */
    withdraw(roomId: string, key: string | undefined): Promise<void>;
}

/** The last moment given to a change, in ms. */
let last = 0;

/**
 * Now, as the moment of a change: later than any this instance gave before, so changes made in
 * one millisecond keep the order they were made in (the log is read sorted by moment).
 */
function moment(): string {
    last = Math.max(Date.now(), last + 1);
    return new Date(last).toISOString();
}

/** A history that cannot be written must not undo or fail the change: it is logged. */
export function changeLog(writes: AppWrites, history: EncryptionHistory, logger: Pick<ILogger, 'error'>): ChangeLog {
    return {
        expect: (roomId, encrypted) => writes.mark(roomId, encrypted),
        unexpect: (roomId, encrypted) => writes.unmark(roomId, encrypted),
        record: async (roomId, { by, key, ...change }) => {
            try {
                return await history.record(roomId, { at: moment(), ...change, ...(by && { by: { id: by.id, username: by.username } }) }, key);
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
