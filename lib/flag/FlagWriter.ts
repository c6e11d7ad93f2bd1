import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { Deadline } from '../Deadline';
import type { Refusal } from '../Refusal';

/** A write the server accepted; `group` is the server's own view of the room when it sent one. */
export interface Written {
    written: true;
    group?: Record<string, unknown>;
}

/**
 * One way of writing a room's `encrypted` flag. Where the server does not confirm the write in its
 * answer (`group`), the service reads the room back, because some servers accept a write and
 * ignore it.
 */
export interface FlagWriter {
    /** For logs: which way was tried. */
    readonly name: string;
    /** The server posts its own `room_e2e_*` system message when this way changes the flag. */
    readonly serverPostsNotice: boolean;
    /** The server checks the caller's own rights again when this way writes (their session). */
    readonly serverChecksCaller: boolean;
    /** Starts what the write will need (the server's address), so it is ready by the time the rules are checked. */
    prepare?(): void;
    /**
     * Resolves to a Refusal when the way said no (its answer is the caller's); throws when the way
     * broke — before the server, or after sending (a timeout), which is why the service reads the
     * room back after a REST way broke — so the next way may be tried.
     */
    write(room: IRoom, encrypted: boolean, caller: IUser, deadline: Deadline): Promise<Written | Refusal>;
}
