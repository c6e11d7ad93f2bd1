// The stand-in's own routes, outside Rocket.Chat's API: what a web client would show (private
// replies), what REST cannot set up (federation, custom roles, OAuth tokens), and knobs for tests
// and the benchmark (faults, a redirecting Site_Url).
import type { Request, Response } from 'express';

import { success } from '../answers';
import type { ApiRouter } from '../ApiRouter';
import type { HostState } from '../../apps/bridges';
import { PermissionRefusal, createRole, requirePermission } from '../../core/authorization';
import type { ServerContext } from '../../core/context';
import { MeteorError } from '../../core/errors';
import { type SeedEvery, seedGroups } from '../../core/rooms';
import { issueOAuthToken } from '../../core/users';
import { FAULTS, type Fault } from '../../../support/faults';

export function standinRoutes(api: ApiRouter, server: ServerContext, state: HostState): void {
    const { storage } = server;

    api.addRoute('notices', { authRequired: true }, { get: ({ user }) => success({ notices: storage.noticesOf(user._id) }) });

    // What apps pushed to the caller's clients (UI-kit views opened or updated later, on the user's stream).
    api.addRoute('uiInteractions', { authRequired: true }, { get: ({ user }) => success({ interactions: storage.uiInteractionsOf(user._id) }) });

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
                storage.database.atomically(() => {
                    state.faults.clear();
                    for (const fault of asked) {
                        state.faults.set(fault, true);
                    }
                });
                return success({ faults: [...state.faults.keys()] });
            },
        },
    );

    // The apps scheduler's stored jobs (`rocketchat_apps_scheduler`), and a knob that makes the
    // jobs of one processor come due now: a test sees a period pass without waiting for it.
    api.addRoute(
        'scheduler.jobs',
        { authRequired: true },
        {
            get: ({ user }) => {
                requirePermission(storage, user._id, 'manage-apps');
                const jobs = state.scheduler.jobs(() => true).map(({ name, type, repeatInterval, nextRunAt }) => ({ name, type, repeatInterval, nextRunAt }));
                return success({ jobs });
            },
        },
    );
    api.addRoute(
        'scheduler.runNow',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                requirePermission(storage, user._id, 'manage-apps');
                const { processor } = bodyParams;
                if (typeof processor !== 'string' || !processor) {
                    throw new MeteorError('error-invalid-params', '"processor" must name a processor');
                }
                return success({ due: state.scheduler.runNow((job) => job.name.startsWith(`${processor}_`)) });
            },
        },
    );

    // Rocket.Chat deletes permissions too (a setting's `change-setting-*` goes with its setting);
    // a deleted one moves to the trash, which `permissions.listAll?updatedSince=` lists as `remove`.
    api.addRoute(
        'permissions.remove',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                requirePermission(storage, user._id, 'access-permissions');
                const id = String(bodyParams._id);
                if (!storage.permissions.delete(id)) {
                    throw new MeteorError('error-invalid-permission', 'Invalid permission');
                }
                storage.permissionsTrash.set(id, { _id: id, _deletedAt: new Date() });
                return success();
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
                const room = storage.updateRoom(String(bodyParams.roomId), (found) => {
                    found.federated = true;
                });
                if (!room) {
                    throw new MeteorError('error-invalid-room', 'Invalid room');
                }
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

const SEED_FLAGS: Array<keyof SeedEvery> = ['encrypted', 'archived', 'federated', 'discussion', 'teamMain'];

/**
 * `POST /api/v1/standin/groups.seed {count, prefix, ownerId?, members?, every?}`: `count` private
 * groups `<prefix>-1…` straight into storage (see `seedGroups`), owned by `ownerId` (the caller
 * when absent), with `members` (user ids) subscribed; `every: {encrypted: 3}` flags every third.
 * Admins only. Answers `{rooms: [{_id, name}], success}` (a discussion's `name` is its random one;
 * its title is `<prefix>-<n>` in `fname`). A real server has no such route (404).
 */
export function groupsSeedRoute(api: ApiRouter, server: ServerContext): void {
    const { storage } = server;
    api.addRoute(
        'standin/groups.seed',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                if (!user.roles.includes('admin')) {
                    throw new PermissionRefusal();
                }
                const { count, prefix, ownerId = user._id, members = [], every = {} } = bodyParams;
                const invalid = (reason: string) => new MeteorError('error-invalid-params', reason);
                if (!Number.isInteger(count) || count < 1 || count > 100_000) {
                    throw invalid('"count" must be an integer from 1 to 100000');
                }
                if (typeof prefix !== 'string' || !prefix) {
                    throw invalid('"prefix" must be a non-empty string');
                }
                const owner = typeof ownerId === 'string' ? storage.users.get(ownerId) : undefined;
                if (!owner) {
                    throw invalid('"ownerId" names no user');
                }
                if (!Array.isArray(members) || members.some((id: unknown) => typeof id !== 'string' || !storage.users.has(id))) {
                    throw invalid('"members" must be an array of user ids');
                }
                if (
                    !every ||
                    typeof every !== 'object' ||
                    Object.entries(every).some(([key, n]) => !SEED_FLAGS.includes(key as keyof SeedEvery) || !Number.isInteger(n) || (n as number) < 0)
                ) {
                    throw invalid(`"every" maps ${SEED_FLAGS.join(', ')} to whole numbers`);
                }
                const rooms = seedGroups(storage, { count, prefix, owner, memberIds: members, every });
                return success({ rooms: rooms.map((room) => ({ _id: room._id, name: room.name })) });
            },
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
