// Rocket.Chat's server errors. Core functions throw a `Meteor.Error(error, reason, details)`; the
// REST layer turns it into `API.v1.failure(...)` (see ../api/answers.ts). Written from
// apps/meteor/app/api/server/api.ts and the `saveRoomSettings` validators.

export class MeteorError extends Error {
    constructor(
        /** The code, e.g. `error-action-not-allowed`; undefined for a plain message. */
        public readonly error: string | undefined,
        public readonly reason: string,
        public readonly details?: Record<string, unknown>,
        /** The HTTP status the REST layer answers with (400 unless a route says otherwise). */
        public readonly status = 400,
    ) {
        // Meteor.Error's message is "<reason> [<error>]" ("[<error>]" without a reason), and that is what REST clients see.
        super(error ? `${reason ? `${reason} ` : ''}[${error}]` : reason);
    }
}
