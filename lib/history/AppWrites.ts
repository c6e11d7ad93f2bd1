/** How long after the app's own write the server's event for it may still arrive. */
export const MARK_MS = 15_000;

/**
 * The changes the app itself is making through the server's REST API. From 7.4 the server fires
 * `IPostSystemMessageSent` for those too; the mark lets that event be recognised as the app's own,
 * so the change is recorded once, with the app's door and the real caller, not again as "core".
 */
export class AppWrites {
    private readonly marks = new Map<string, number>();

    public mark(roomId: string, encrypted: boolean): void {
        this.marks.set(key(roomId, encrypted), Date.now() + MARK_MS);
    }

    /** The write did not land: no event of the server's is the app's own. */
    public unmark(roomId: string, encrypted: boolean): void {
        this.marks.delete(key(roomId, encrypted));
    }

    /** Whether the event for this change is the app's own (the mark is used up). */
    public consume(roomId: string, encrypted: boolean): boolean {
        const until = this.marks.get(key(roomId, encrypted));
        this.marks.delete(key(roomId, encrypted));
        return until !== undefined && until > Date.now();
    }
}

function key(roomId: string, encrypted: boolean): string {
    return `${roomId}:${encrypted}`;
}
