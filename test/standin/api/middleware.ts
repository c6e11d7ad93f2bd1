// What every request goes through before a route: the path as Rocket.Chat tolerates it, the body
// read once and parsed by content type, and the caller authenticated from its headers.
import { type NextFunction, type Request, type Response, raw } from 'express';

import { send } from './ApiRouter';
import { MeteorError } from '../core/errors';
import { authenticate, authenticateOAuth } from '../core/users';
import type { Storage } from '../storage/Storage';

const MAX_BODY = '8mb';

/** `//api/v1/…` (a client whose base URL ends in `/`) reaches the same route as `/api/v1/…`. */
export function collapseSlashes(request: Request, _response: Response, next: NextFunction): void {
    const query = request.url.indexOf('?');
    const path = query === -1 ? request.url : request.url.slice(0, query);
    request.url = path.replace(/\/{2,}/g, '/') + (query === -1 ? '' : request.url.slice(query));
    next();
}

/** The raw body for every content type (uploads need it), then JSON and urlencoded bodies parsed, as Rocket.Chat's body parsers do. */
export const readBody = [
    raw({ type: () => true, limit: MAX_BODY }),
    (request: Request, response: Response, next: NextFunction): void => {
        const buffer = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        response.locals.raw = buffer;
        const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
        if (buffer.length === 0) {
            request.body = {};
        } else if (type === 'application/json') {
            try {
                request.body = JSON.parse(buffer.toString('utf8'));
            } catch {
                return send(response, { statusCode: 400, body: { success: false, error: 'The request body is not valid JSON' } });
            }
        } else if (type === 'application/x-www-form-urlencoded') {
            request.body = Object.fromEntries(new URLSearchParams(buffer.toString('utf8')));
        } else {
            request.body = {};
        }
        next();
    },
];

/**
 * The caller, for routes and app endpoints alike (apps/meteor/app/api/server/middlewares/authentication.ts):
 * with both `x-user-id` and `x-auth-token` that login token and nothing else; otherwise an OAuth
 * access token, `Authorization: Bearer <token>` or `?access_token=`.
 */
export function authentication(storage: Storage) {
    return (request: Request, response: Response, next: NextFunction): void => {
        const userId = request.headers['x-user-id'];
        const token = request.headers['x-auth-token'];
        response.locals.user =
            userId && token ? authenticate(storage, userId, token) : authenticateOAuth(storage, request.headers.authorization, request.query.access_token);
        next();
    };
}

/** Anything a route did not answer: a body too large, or a stand-in bug (logged, answered 500). */
export function errorHandler(log: (line: string) => void) {
    return (error: unknown, _request: Request, response: Response, _next: NextFunction): void => {
        void _next;
        const status = (error as { status?: unknown })?.status;
        if (error instanceof MeteorError) {
            return send(response, { statusCode: error.status, body: { success: false, error: error.message } });
        }
        if (status === 413) {
            return send(response, { statusCode: 413, body: { success: false, error: 'Request entity too large' } });
        }
        log(`stand-in error: ${error instanceof Error ? error.stack : String(error)}`);
        send(response, { statusCode: 500, body: { success: false, error: 'Internal server error' } });
    };
}
