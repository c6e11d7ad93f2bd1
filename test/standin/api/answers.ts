// Rocket.Chat's REST answers (`API.v1.success`, `failure`, `unauthorized`, … in
// apps/meteor/app/api/server/api.ts): a route returns one of these, or throws a MeteorError.
import { MeteorError } from '../core/errors';

export interface Answer {
    statusCode: number;
    body: unknown;
    headers?: Record<string, string>;
}

export function success(result: Record<string, unknown> = {}): Answer {
    return { statusCode: 200, body: { ...result, success: true } };
}

/**
 * `API.v1.failure(message, errorType, stack, error)`: `{success:false, error, errorType}`, plus
 * `details` when the thrown error carried some. A route's generic catch calls it with the error's
 * message ("<reason> [<code>]") and code.
 */
export function failure(error: MeteorError): Answer {
    const body: Record<string, unknown> = { success: false, error: error.message };
    if (error.error) {
        body.errorType = error.error;
    }
    if (error.details) {
        body.details = error.details;
    }
    return { statusCode: error.status, body };
}

/** `API.v1.failure()` with nothing to say: a bare `{success:false}`. */
export function bareFailure(): Answer {
    return { statusCode: 400, body: { success: false } };
}

export function notFound(message = 'Resource not found'): Answer {
    return { statusCode: 404, body: { success: false, error: message } };
}

/**
 * `API.v1.forbidden(msg)`: a 403 `{success:false, error}`; without a message, the version's default
 * (`ServerProfile.forbiddenError`: 'unauthorized' before 9.0, 'forbidden' from 9.0).
 */
export function forbidden(message: string): Answer {
    return { statusCode: 403, body: { success: false, error: message } };
}

/** `API.v1.unauthorized(msg)`: a 403 `{success:false, error: msg ?? 'unauthorized'}`. */
export function unauthorized(message = 'unauthorized'): Answer {
    return { statusCode: 403, body: { success: false, error: message } };
}
