import type { ILogger } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { describeError } from '../describeError';
import type { AppWrites } from './AppWrites';
import type { Door, EncryptionHistory } from './EncryptionHistory';

/** What the service tells about the changes it makes, for the history. */
export interface ChangeLog {
    /** A change of this group is about to be written: what recording it needs can be read meanwhile. */
    prepare(roomId: string): void;
    /** The app is about to make this change through the server: the server's event for it is the app's own. */
    expect(roomId: string, encrypted: boolean): void;
    /** That change did not land after all. */
    unexpect(roomId: string, encrypted: boolean): void;
    /** A change was made through one of the app's doors, by `by`. */
    record(roomId: string, encrypted: boolean, by: IUser, door: Door): Promise<void>;
}

/** A history that cannot be written must not undo or fail the change: it is logged. */
export function changeLog(writes: AppWrites, history: EncryptionHistory, logger: Pick<ILogger, 'error'>): ChangeLog {
    return {
        prepare: (roomId) => history.prefetch(roomId),
        expect: (roomId, encrypted) => writes.mark(roomId, encrypted),
        unexpect: (roomId, encrypted) => writes.unmark(roomId, encrypted),
        record: async (roomId, encrypted, by, door) => {
            try {
                await history.record(roomId, { at: new Date().toISOString(), encrypted, door, by: { id: by.id, username: by.username } });
            } catch (error) {
                logger.error(`Encrypt Group: the change could not be added to the history: ${describeError(error)}`);
            }
        },
    };
}
