/**
 * How long a toggle may take, end to end. The app runtime gives up on a call to the app after its
 * request timeout — 10 s on the Deno runtime of Apps-Engine 1.43–1.48 (Rocket.Chat 6.11–7.3),
 * 30 s from 1.49 — and the caller then gets the engine's 500 while the change may still land. A
 * toggle answers well before the shorter of the two.
 */
export const TOGGLE_BUDGET_MS = 8000;

/** After the deadline, what a late toggle may still take to tidy up (take back its notice). */
export const TIDY_UP_MS = 500;

/** The moment a piece of work must have answered by. */
export class Deadline {
    private constructor(
        private readonly at: number,
        private readonly now: () => number,
    ) {}

    public static after(ms: number, now: () => number = Date.now): Deadline {
        return new Deadline(now() + ms, now);
    }

    /** The same deadline, `ms` later. */
    public later(ms: number): Deadline {
        return new Deadline(this.at + ms, this.now);
    }

    public remaining(): number {
        return Math.max(0, this.at - this.now());
    }

    /** Whether work that may take `ms` can still start and end in time. */
    public allows(ms: number): boolean {
        return this.remaining() >= ms;
    }

    /**
     * `work`'s result, or `late()` when the deadline comes first. The work itself goes on (a
     * bridge call or an HTTP request in flight cannot be cancelled); its result is then ignored.
     */
    public async race<T>(work: Promise<T>, late: () => T): Promise<T> {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const deadline = new Promise<T>((resolve) => {
            timer = setTimeout(() => resolve(late()), this.remaining());
        });
        try {
            return await Promise.race([work, deadline]);
        } finally {
            clearTimeout(timer);
        }
    }
}
