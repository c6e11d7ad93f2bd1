/** An error as one log line. Errors carry no credentials: ServerRest blanks tokens out of its own. */
export function describeError(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
