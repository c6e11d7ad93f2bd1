// Rocket.Chat's `API.v1.addRoute(path, options, {get, post, …})` over an Express router: a route
// names its path, whether a login is needed, and one handler per method. Handlers see what
// Rocket.Chat's route context offers (`this.user`, `this.bodyParams`, `this.queryParams`,
// `this.urlParams`) and return an Answer or throw a MeteorError. A router given a rate limiter
// counts every call of its routes there (see rateLimiter.ts).
import { type Request, type Response, Router } from 'express';

import { type Answer, failure, forbidden } from './answers';
import type { RateLimiter } from './rateLimiter';
import { PermissionRefusal } from '../core/authorization';
import type { ServerContext } from '../core/context';
import { MeteorError } from '../core/errors';
import type { ServerProfile } from '../generations';
import type { RawUser } from '../storage/Storage';

export interface RouteCall {
    user?: RawUser;
    bodyParams: Record<string, any>;
    queryParams: Record<string, string>;
    urlParams: Record<string, string>;
    headers: Record<string, string>;
    /** The body as received (multipart uploads read it themselves). */
    raw: Buffer;
    /** The whole body as parsed, when it is not an object (an array, a string). */
    body: unknown;
}

/** The same call with a user: what handlers of `authRequired` routes get. */
export type AuthedCall = RouteCall & { user: RawUser };

type Method = 'get' | 'post';
type Handlers<C> = Partial<Record<Method, (call: C) => Answer | Promise<Answer>>>;

/** Where a router's routes are counted by the rate limiter: its limiter, and the path it serves (`/api/v1`). */
export interface RateLimited {
    limiter: RateLimiter;
    basePath: string;
}

export class ApiRouter {
    public readonly router = Router();

    constructor(
        private readonly server: ServerContext,
        private readonly rateLimited?: RateLimited,
    ) {}

    public addRoute(path: string, options: { authRequired: true }, handlers: Handlers<AuthedCall>): void;
    public addRoute(path: string, options: { authRequired: false }, handlers: Handlers<RouteCall>): void;
    public addRoute(path: string, options: { authRequired: boolean }, handlers: Handlers<any>): void {
        for (const [method, handler] of Object.entries(handlers) as Array<[Method, (call: RouteCall) => Answer | Promise<Answer>]>) {
            this.router[method](`/${path}`, async (request: Request, response: Response) => {
                const call = routeCall(request);
                if (options.authRequired && !call.user) {
                    return send(response, { statusCode: 401, body: this.server.profile.unauthorizedBody });
                }
                // After the login check and before the route runs, as `_internalRouteActionHandler` does.
                // Only a route that needs a login knows its caller (`this.userId`), so only there can
                // `api-bypass-rate-limit` spare them.
                const rate = this.rateLimited?.limiter.check(
                    request.socket.remoteAddress ?? '',
                    `${this.rateLimited.basePath}/${path}${method}`,
                    options.authRequired ? call.user?._id : undefined,
                );
                if (rate) {
                    response.set(rate.headers);
                    if (rate.refused) {
                        return send(response, rate.refused);
                    }
                }
                send(response, await answerOf(() => handler(call), this.server.profile));
            });
        }
    }
}

/**
 * Runs a handler the way Rocket.Chat's route wrapper does: a refused `permissionsRequired` becomes
 * `forbidden(e.message)` with this version's code, any other thrown MeteorError `failure()`.
 */
export async function answerOf(handler: () => Answer | Promise<Answer>, profile: Pick<ServerProfile, 'permissionRefusalCode'>): Promise<Answer> {
    try {
        return await handler();
    } catch (error) {
        if (error instanceof PermissionRefusal) {
            return forbidden(`${error.reason} [${profile.permissionRefusalCode}]`);
        }
        if (error instanceof MeteorError) {
            return failure(error);
        }
        throw error;
    }
}

export function routeCall(request: Request): RouteCall {
    const body = request.body as unknown;
    return {
        user: request.res?.locals.user as RawUser | undefined,
        bodyParams: body && typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body) ? (body as Record<string, any>) : {},
        body,
        queryParams: Object.fromEntries(Object.entries(request.query).map(([key, value]) => [key, String(value)])),
        urlParams: Object.fromEntries(Object.entries(request.params).map(([key, value]) => [key, Array.isArray(value) ? value.join('/') : String(value)])),
        headers: Object.fromEntries(Object.entries(request.headers).map(([key, value]) => [key, String(value)])),
        raw: (request.res?.locals.raw as Buffer | undefined) ?? Buffer.alloc(0),
    };
}

export function send(response: Response, answer: Answer): void {
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    response
        .status(answer.statusCode)
        .set({ 'content-type': typeof answer.body === 'string' ? 'text/plain' : 'application/json', ...answer.headers })
        .send(text);
}
