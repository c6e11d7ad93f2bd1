/**
 * Runs the toggles of one room one after another within this app instance. Without it, two
 * concurrent requests read the same old value, both write, and each read-back can see the other's
 * value: success reported as failure, or two notices for one change. Rooms do not wait for each
 * other. Lives on the app instance; several Rocket.Chat instances each have their own.
 */
export class RoomQueue {
    private readonly tails = new Map<string, Promise<void>>();

    /** `task` learns whether it waited for another toggle, so it can re-read what that one changed. */
    public async run<T>(roomId: string, task: (waited: boolean) => Promise<T>): Promise<T> {
        const previous = this.tails.get(roomId);
        let release!: () => void;
        const mine = new Promise<void>((resolve) => {
            release = resolve;
        });
        const tail = (previous ?? Promise.resolve()).then(() => mine);
        this.tails.set(roomId, tail);
        try {
            if (previous) {
                await previous;
            }
            return await task(previous !== undefined);
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
