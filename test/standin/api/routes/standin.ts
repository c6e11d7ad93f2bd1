// The stand-in's own routes, outside Rocket.Chat's API: what a web client would show (private
// replies), what REST cannot set up (federation, custom roles, OAuth tokens), and knobs for tests
// and the benchmark (faults, a redirecting Site_Url).
import type { Request, Response } from 'express';

import { success } from '../answers';
import type { ApiRouter } from '../ApiRouter';
import type { HostState } from '../../apps/bridges';
import { createRole, requirePermission } from '../../core/authorization';
import type { ServerContext } from '../../core/context';
import { MeteorError } from '../../core/errors';
import { issueOAuthToken } from '../../core/users';
import { FAULTS, type Fault } from '../../../support/faults';

export function standinRoutes(api: ApiRouter, server: ServerContext, state: HostState): void {
    const { storage } = server;

    api.addRoute(
        'notices',
        { authRequired: true },
        { get: ({ user }) => success({ notices: storage.notices.filter((notice) => notice.userId === user._id) }) },
    );

    // What apps pushed to the caller's clients (UI-kit views opened or updated later, on the user's stream).
    api.addRoute(
        'uiInteractions',
        { authRequired: true },
        { get: ({ user }) => success({ interactions: storage.uiInteractions.filter((pushed) => pushed.userId === user._id) }) },
    );

    api.addRoute(
        'faults',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                requirePermission(storage, user._id, 'manage-apps');
                const asked = Array.isArray(bodyParams.faults) ? bodyParams.faults : [];
                const unknown = asked.filter((fault: unknown) => !FAULTS.includes(fault as Fault));
                if (unknown.length) {
                    throw new MeteorError(undefined, `Unknown faults: ${unknown.join(', ')} (known: ${FAULTS.join(', ')})`);
                }
                state.faults.clear();
                for (const fault of asked) {
                    state.faults.add(fault);
                }
                return success({ faults: [...state.faults] });
            },
        },
    );

    // Federation cannot be set up through REST; this marks a group as a federated one would be stored.
    api.addRoute(
        'rooms.federate',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                requirePermission(storage, user._id, 'manage-apps');
                const room = storage.rooms.get(String(bodyParams.roomId));
                if (!room) {
                    throw new MeteorError('error-invalid-room', 'Invalid room');
                }
                room.federated = true;
                return success();
            },
        },
    );

    // What Enterprise's `roles.create` would add: a custom role, with a random id.
    api.addRoute(
        'roles.create',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                requirePermission(storage, user._id, 'access-permissions');
                const { name, scope = 'Users', description = '' } = bodyParams;
                if (typeof name !== 'string' || !name || (scope !== 'Users' && scope !== 'Subscriptions') || typeof description !== 'string') {
                    throw new MeteorError('error-invalid-params', 'A role needs a name and a scope (Users or Subscriptions)');
                }
                return success({ role: structuredClone(createRole(storage, name, scope, description)) });
            },
        },
    );

    // An OAuth access token for the caller themself, as an OAuth app's token grant would give them.
    api.addRoute(
        'oauth.token',
        { authRequired: true },
        { post: ({ user }) => success({ access_token: issueOAuthToken(storage, user._id), token_type: 'Bearer' }) },
    );

    api.addRoute(
        'stats',
        { authRequired: false },
        {
            get: () =>
                success({
                    bridgeCalls: Object.fromEntries(state.bridgeCalls),
                    memory: process.memoryUsage(),
                    siteUrl: storage.settings.get('Site_Url'),
                }),
        },
    );
}

/**
 * `/standin/moved/<path>`: 307 to `/<path>` on the same server, query kept. With `Site_Url` set to
 * `<url>/standin/moved`, every call the app makes to the server's REST API meets a redirect.
 */
export function movedRedirect(request: Request, response: Response): void {
    response.redirect(307, request.url);
}
