import { type Deadline, TIDY_UP_MS } from './Deadline';

/**
 * Runs the toggles of one room one after another within this app instance, so that each sees the
 * room as the previous one left it: without it, two concurrent toggles read each other's writes
 * back, and a change can be reported as failure, or two notices for one change. Rooms do not wait
 * for each other. Lives on the app instance; several Rocket.Chat instances each have their own.
 *
 * Nobody waits past their deadline, and a task holds the room at most a little past its own
 * deadline: a hung write then no longer blocks every later toggle of the room.
 */
export class RoomQueue {
    private readonly tails = new Map<string, Promise<void>>();

    /** `task` learns whether it waited for another toggle, so it can re-read what that one changed. */
    public async run<T>(roomId: string, deadline: Deadline, task: (waited: boolean) => Promise<T>, late: () => T): Promise<T> {
        const previous = this.tails.get(roomId);
        let release!: () => void;
        const mine = new Promise<void>((resolve) => {
            release = resolve;
        });
        const tail = (previous ?? Promise.resolve()).then(() => mine);
        this.tails.set(roomId, tail);
        try {
            if (
                previous &&
                !(await deadline.race(
                    previous.then(() => true),
                    () => false,
                ))
            ) {
                return late();
            }
            // The task answers by the deadline itself; this only bounds one that hangs past its tidying up.
            return await deadline.later(TIDY_UP_MS).race(task(previous !== undefined), late);
        } finally {
            release();
            if (this.tails.get(roomId) === tail) {
                this.tails.delete(roomId);
            }
        }
    }

    /** Rooms with a toggle running or waiting (for tests: nothing is left behind). */
    public get busyRooms(): number {
        return this.tails.size;
    }
}
