import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { Refusal } from '../Refusal';

/**
 * One way of writing a room's `encrypted` flag. A writer only asks; the service reads the room
 * back to learn whether it worked, because some servers accept a write and ignore it.
 */
export interface FlagWriter {
    /** For logs: which way was tried. */
    readonly name: string;
    /** The server posts its own `room_e2e_*` system message when this way changes the flag. */
    readonly serverPostsNotice: boolean;
    /**
     * Resolves to a Refusal when the server said no on the merits (its words for the caller);
     * throws when the way is broken (unreachable, bad credentials), so the next way is tried.
     */
    write(room: IRoom, encrypted: boolean, caller: IUser): Promise<Refusal | undefined>;
    /** Told when the read-back showed that the server accepted the write and ignored it. */
    ignored?(): void;
}
