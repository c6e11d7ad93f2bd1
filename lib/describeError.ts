/** An error as one log line. Callers put no credentials in errors (see RestApiWriter). */
export function describeError(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
