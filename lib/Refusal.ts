/**
 * Why a request was refused. `error`/`errorType` are Rocket.Chat's exact REST strings (the
 * endpoint sends them as they are); `reason` picks the sentence people see in `/encrypt`, because
 * several refusals share one Rocket.Chat code (`error-action-not-allowed`) yet need different advice.
 */
export type RefusalReason =
    | 'encrypted-required'
    | 'room-param-not-provided'
    | 'room-not-found'
    | 'room-archived'
    | 'edit-not-allowed'
    | 'e2e-unavailable'
    | 'toggle-not-allowed'
    | 'turning-off-disabled'
    | 'write-unsupported'
    | 'write-failed'
    | 'server-refused'
    | 'permissions-unavailable'
    | 'no-permission-reader'
    | 'timed-out'
    | 'site-url-unusable'
    | 'service-account-rejected'
    | 'service-account-lacks-rights'
    | 'service-account-rate-limited'
    | 'invalid-params'
    | 'invalid-sort'
    | 'job-running'
    | 'job-not-found'
    | 'job-not-running'
    | 'needs-service-account'
    | 'not-authorized'
    | 'service-account-cannot-list'
    | 'server-unanswered'
    | 'job-blocked';

export class Refusal {
    /** The mark `isRefusal` looks for. */
    public readonly refused = true;

    private constructor(
        public readonly reason: RefusalReason,
        public readonly error: string,
        public readonly errorType?: string,
        /** 400 for all of Rocket.Chat's refusals; only a broken server path is not the caller's fault. */
        public readonly status: number = 400,
        /** What the thrown Meteor.Error carried besides its message; Rocket.Chat's REST answer passes it on. */
        public readonly details?: Record<string, unknown>,
        /** The server's own answer, passed on as it came (a 429, a 401): set for those only. */
        public readonly body?: Record<string, unknown>,
        /** For the app's own sentences, never sent: who may do it after all, or why it is unavailable. */
        public readonly hint?: { who?: ReadonlyArray<string>; cause?: 'workspace' | 'federated' },
    ) {}

    /** Rocket.Chat's Meteor errors reach REST clients as "<message> [<code>]" with the code beside. */
    private static coded(
        reason: RefusalReason,
        message: string,
        errorType: string,
        status?: number,
        details?: Record<string, unknown>,
        hint?: Refusal['hint'],
    ): Refusal {
        return new Refusal(reason, `${message} [${errorType}]`, errorType, status, details, undefined, hint);
    }

    public static encryptedRequired(): Refusal {
        return new Refusal('encrypted-required', 'The bodyParam "encrypted" is required');
    }

    public static roomParamNotProvided(): Refusal {
        return Refusal.coded('room-param-not-provided', 'The parameter "roomId" or "roomName" is required', 'error-room-param-not-provided');
    }

    public static roomNotFound(): Refusal {
        return Refusal.coded('room-not-found', 'The required "roomId" or "roomName" param provided does not match any group', 'error-room-not-found');
    }

    public static roomArchived(name: string): Refusal {
        return Refusal.coded('room-archived', `The private group, ${name}, is archived`, 'error-room-archived');
    }

    // The next three are thrown by Rocket.Chat's `saveRoomSettings` with these `details`
    // (apps/meteor/app/channel-settings/server/methods/saveRoomSettings.ts).
    // `who`: the names of the roles that may, for the app's own sentence.
    public static editNotAllowed(who?: ReadonlyArray<string>): Refusal {
        const details = { method: 'saveRoomSettings', action: 'Editing_room' };
        return Refusal.coded('edit-not-allowed', 'Editing room is not allowed', 'error-action-not-allowed', 400, details, { who });
    }

    public static e2eUnavailable(cause?: 'workspace' | 'federated'): Refusal {
        const details = { method: 'saveRoomSettings', action: 'Change_Room_Encrypted' };
        return Refusal.coded('e2e-unavailable', 'Only groups or direct channels can enable encryption', 'error-action-not-allowed', 400, details, { cause });
    }

    public static toggleNotAllowed(who?: ReadonlyArray<string>): Refusal {
        const details = { method: 'saveRoomSettings', action: 'Change_Room_Encrypted' };
        return Refusal.coded('toggle-not-allowed', 'You do not have permission to toggle E2E encryption', 'error-action-not-allowed', 400, details, { who });
    }

    public static turningOffDisabled(): Refusal {
        return Refusal.coded('turning-off-disabled', 'Turning end-to-end encryption off is not allowed in this workspace', 'error-action-not-allowed');
    }

    public static writeUnsupported(): Refusal {
        return Refusal.coded(
            'write-unsupported',
            'This server ignores room encryption changes made by apps; an admin must set the Encrypt Group service account (user id and personal access token) in the app settings',
            'error-app-cannot-write-encryption',
        );
    }

    /** Every way to write failed outright (see the app logs); the read-back showed no change. */
    public static writeFailed(): Refusal {
        return Refusal.coded('write-failed', 'The encryption change could not be saved; nothing was changed', 'error-app-write-failed', 503);
    }

    /**
     * The server's own REST API refused the caller's request: its answer is passed on as it came —
     * a 400 with its `error`, `errorType` and `details`, a 429 from its rate limiter, a 401 or 403.
     */
    public static passedOn(statusCode: number, body: Record<string, unknown>): Refusal {
        const details = body.details && typeof body.details === 'object' ? (body.details as Record<string, unknown>) : undefined;
        return new Refusal(
            'server-refused',
            typeof body.error === 'string' ? body.error : `HTTP ${statusCode}`,
            typeof body.errorType === 'string' ? body.errorType : undefined,
            statusCode,
            details,
            { ...body },
        );
    }

    /** Rocket.Chat's permission table decides this change, and it could not be read: nothing is changed without it. */
    public static permissionsUnavailable(): Refusal {
        return Refusal.coded(
            'permissions-unavailable',
            "Rocket.Chat's permission table could not be read, and the app changes nothing without it; nothing was changed",
            'error-app-permissions-unavailable',
            503,
        );
    }

    /**
     * A door without a caller session, on a server that will not check the change again, and no
     * account to read Rocket.Chat's permission table with: the app refuses rather than let its own
     * settings decide. Any logged-in account can read the table (see PermissionTable).
     */
    public static noPermissionReader(): Refusal {
        return Refusal.coded(
            'no-permission-reader',
            "The app cannot read Rocket.Chat's permission table, and changes nothing without it; an admin must set an account able to read it (the Encrypt Group service account: user id and personal access token) in the app's settings. Nothing was changed",
            'error-app-no-permission-reader',
            503,
        );
    }

    /** The change did not complete before the app had to answer; what was in flight may still land. */
    public static timedOut(): Refusal {
        return Refusal.coded(
            'timed-out',
            "The encryption change did not complete in time; read the group's state before trying again",
            'error-app-timeout',
            503,
        );
    }

    /** `Site_Url` is empty, or not a place the app sends a token to (https, or http on loopback). */
    public static siteUrlUnusable(): Refusal {
        return Refusal.coded(
            'site-url-unusable',
            "The app cannot reach this server's REST API: Site_Url must be https (or http on this machine's loopback); nothing was changed",
            'error-app-site-url',
            503,
        );
    }

    /** A parameter outside what the route allows, as Rocket.Chat's schema check answers: `invalid-params`, the message alone. */
    public static invalidParams(message: string): Refusal {
        return new Refusal('invalid-params', message, 'invalid-params');
    }

    /** `parseJsonQuery`'s refusal of a `sort` that is not JSON with 1 or -1 per known field. */
    public static invalidSort(sort: string): Refusal {
        return Refusal.coded('invalid-sort', `Invalid sort parameter provided: "${sort}"`, 'error-invalid-sort', 400, { helperMethod: 'parseJsonQuery' });
    }

    /**
     * The caller lacks a permission the app checked in the table itself (`/encrypt report`); the
     * endpoints pass on the server's own 403 instead.
     */
    public static notAuthorized(): Refusal {
        return Refusal.coded('not-authorized', 'User does not have the permissions required for this action', 'error-unauthorized', 403);
    }

    /** The service account was refused Rocket.Chat's list of every room (it lacks `view-room-administration`). */
    public static serviceAccountCannotList(): Refusal {
        return Refusal.coded(
            'service-account-cannot-list',
            "the Encrypt Group service account may not list every room (it needs view-room-administration); an admin must fix the app's service account",
            'error-app-service-account',
            503,
        );
    }

    /** The server's REST API did not answer (a timeout, a dropped connection): nothing was decided. */
    public static serverUnanswered(): Refusal {
        return Refusal.coded(
            'server-unanswered',
            "The server's REST API did not answer; nothing was changed. Please try again",
            'error-app-server-unavailable',
            503,
        );
    }

    /** One bulk job at a time per workspace. */
    public static jobRunning(jobId: string): Refusal {
        return Refusal.coded('job-running', `An encryptAll job is already running: ${jobId}`, 'error-app-job-running');
    }

    public static jobNotFound(): Refusal {
        return Refusal.coded('job-not-found', 'No encryptAll job has that id', 'error-app-job-not-found', 404);
    }

    /** Only a running job can be cancelled; this one already ended. */
    public static jobNotRunning(jobId: string, status: string): Refusal {
        return Refusal.coded('job-not-running', `The encryptAll job ${jobId} is not running: it is ${status}`, 'error-app-job-not-running');
    }

    /**
     * The encryptAll job would fail at once (see blockedStart): what stands in its way, in English,
     * and in `blockers` each reason with its sentence in the caller's language.
     */
    public static jobBlocked(reasons: ReadonlyArray<string>, blockers: ReadonlyArray<{ reason: string; text: string }>): Refusal {
        return Refusal.coded('job-blocked', `The encryptAll job cannot run: ${reasons.join(' ')}`, 'error-app-service-account', 400, {
            blockers: blockers.map((blocker) => ({ ...blocker })),
        });
    }

    /** Work that outlives the caller's request acts as the service account, and none is set. */
    public static needsServiceAccount(): Refusal {
        return Refusal.coded(
            'needs-service-account',
            "This needs the Encrypt Group service account, which is not set; an admin must set its user id and personal access token in the app's settings",
            'error-app-service-account',
            503,
        );
    }

    /** The service account's own 401 or 429, said as what the admin must fix; undefined for other answers. */
    public static fromServiceAccountAnswer(statusCode: number): Refusal | undefined {
        return statusCode === 401 ? Refusal.serviceAccount('rejected') : statusCode === 429 ? Refusal.serviceAccount('rate-limited') : undefined;
    }

    /** The service account was needed and could not act; the reason is for the admin, in the log. */
    public static serviceAccount(problem: 'rejected' | 'lacks-rights' | 'rate-limited'): Refusal {
        const why = {
            rejected: "the server did not accept the Encrypt Group service account's token",
            'lacks-rights': 'the Encrypt Group service account may not change encryption of this group',
            'rate-limited': "the Encrypt Group service account hit the server's rate limit (it needs the api-bypass-rate-limit permission)",
        }[problem];
        return Refusal.coded(
            `service-account-${problem}`,
            `${why}; an admin must fix the app's service account. Nothing was changed`,
            'error-app-service-account',
            503,
        );
    }
}

/**
 * Use this, never `instanceof Refusal`: the pre-7.4 runtime (vm2) evaluates a module afresh for
 * every file that requires it, so a Refusal built in one file is not an instance of another
 * file's Refusal class.
 */
export function isRefusal(value: unknown): value is Refusal {
    return typeof value === 'object' && value !== null && (value as { refused?: unknown }).refused === true;
}
