import { HttpStatusCode } from '@rocket.chat/apps-engine/definition/accessors';
import type { IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { Credential } from '../lib/rest/Credential';
import { describeError } from '../lib/describeError';
import type { Refusal } from '../lib/Refusal';

/** Rocket.Chat REST's answers for the app's endpoints: `API.v1.success` and `API.v1.failure` (apps/meteor/app/api/server/api.ts). */

export function success(content: Record<string, unknown>): IApiResponse {
    return { status: HttpStatusCode.OK, content: { ...content, success: true } };
}

export function refused(refusal: Refusal): IApiResponse {
    const content: Record<string, unknown> = { success: false, error: refusal.error };
    if (refusal.errorType) {
        content.errorType = refusal.errorType;
    }
    if (refusal.details) {
        content.details = refusal.details;
    }
    return { status: refusal.status, content: refusal.body ?? content };
}

/** The server enforces `authRequired`; this covers a host that did not. */
export function unauthorized(): IApiResponse {
    return { status: HttpStatusCode.UNAUTHORIZED, content: { status: 'error', message: 'You must be logged in to do this.' } };
}

export function internalError(): IApiResponse {
    return { status: HttpStatusCode.INTERNAL_SERVER_ERROR, content: { success: false, error: 'Internal server error' } };
}

/** The HTTP methods an endpoint of the app answers, real or refused (see wrongMethod). */
export type HttpMethod = 'get' | 'post' | 'put' | 'delete' | 'patch';

/**
 * A method the endpoint does not take: 405 with the methods it does, in Rocket.Chat's error shape.
 * The engine hands an endpoint only the methods its class implements and turns any other into a
 * 500 with its own words (and a logged RPC error), so every endpoint implements the methods it
 * does not take with this.
 */
export function wrongMethod(path: string, allowed: ReadonlyArray<HttpMethod>, request: Pick<IApiRequest, 'method'>): Promise<IApiResponse> {
    const named = allowed.map((method) => method.toUpperCase());
    const errorType = 'error-method-not-allowed';
    return Promise.resolve({
        status: HttpStatusCode.METHOD_NOT_ALLOWED,
        headers: { Allow: named.join(', ') },
        content: {
            success: false,
            error: `${path} takes ${named.join(' or ')}, not ${String(request.method).toUpperCase()} [${errorType}]`,
            errorType,
        },
    });
}

/** The body as a plain object; any other JSON (array, string, null) carries no parameters. */
export function bodyObject(content: unknown): Record<string, unknown> {
    return content !== null && typeof content === 'object' && !Array.isArray(content) ? (content as Record<string, unknown>) : {};
}

/**
 * The caller's own REST credential, read as Rocket.Chat's authentication middleware reads it
 * (apps/meteor/app/api/server/middlewares/authentication.ts): the session headers when they belong
 * to the caller; else an OAuth access token, from `Authorization: Bearer` or, failing that, from
 * `?access_token=` (oAuth2ServerAuth takes either). Without this, a caller the server logged in by
 * the query string would be written as the service account. Either OAuth form is sent on as a
 * bearer header, which the server accepts for the same token and which keeps it out of URLs.
 */
export function callerCredential(request: IApiRequest): Credential | undefined {
    if (!request.user) {
        return undefined;
    }
    const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
    const userId = text(request.headers['x-user-id']);
    const token = text(request.headers['x-auth-token']);
    if (userId && token) {
        return userId === request.user.id ? { kind: 'session', userId, token } : undefined;
    }
    const oauth = /^Bearer\s+(\S+)$/i.exec(text(request.headers.authorization) ?? '')?.[1] ?? text(request.query?.access_token);
    return oauth ? { kind: 'bearer', token: oauth } : undefined;
}

/**
 * Runs an endpoint's work for a logged-in caller: Rocket.Chat's 401 if the host let an anonymous
 * call through, its 500 shape (logged) if something broke. A function, not a base class: the pre-7.4
 * runtime (vm2) breaks `extends` across the app's own files.
 */
export async function answer(
    endpoint: { app: IApp; path: string },
    request: IApiRequest,
    respond: (caller: IUser) => Promise<IApiResponse>,
): Promise<IApiResponse> {
    if (!request.user) {
        return unauthorized();
    }
    try {
        return await respond(request.user);
    } catch (error) {
        endpoint.app.getLogger().error(`Encrypt Group: ${endpoint.path} failed`, describeError(error));
        return internalError();
    }
}

/**
 * `answer` for work the server must decide with the caller's own credential (the admin's view):
 * without one the app cannot ask, so the caller gets Rocket.Chat's 401.
 */
export function answerWithCredential(
    endpoint: { app: IApp; path: string },
    request: IApiRequest,
    respond: (caller: IUser, credential: Credential) => Promise<IApiResponse>,
): Promise<IApiResponse> {
    return answer(endpoint, request, async (caller) => {
        const credential = callerCredential(request);
        return credential ? respond(caller, credential) : unauthorized();
    });
}
