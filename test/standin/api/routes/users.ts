// Logging in and users (apps/meteor/app/api/server/v1/misc.ts, users.ts): who is calling, new users, preferences.
import Ajv from 'ajv';

import { success } from '../answers';
import type { ApiRouter } from '../ApiRouter';
import { hasPermission, requirePermission } from '../../core/authorization';
import type { ServerContext } from '../../core/context';
import { MeteorError } from '../../core/errors';
import { createUser, login, publicUser } from '../../core/users';

export function usersRoutes(api: ApiRouter, server: ServerContext): void {
    const { storage } = server;

    api.addRoute(
        'login',
        { authRequired: false },
        {
            post: ({ bodyParams }) => {
                const username = bodyParams.user ?? bodyParams.username;
                const session =
                    typeof username === 'string' && typeof bodyParams.password === 'string' ? login(storage, username, bodyParams.password) : undefined;
                if (!session) {
                    return { statusCode: 401, body: { status: 'error', error: 'Unauthorized', message: 'Unauthorized' } };
                }
                const me = storage.users.get(session.userId)!;
                return { statusCode: 200, body: { status: 'success', data: { ...session, me: publicUser(me) } } };
            },
        },
    );

    api.addRoute('me', { authRequired: true }, { get: ({ user }) => success(publicUser(user)) });

    // `users.setPreferences` (apps/meteor/app/api/server/v1/users.ts, `saveUserPreferences`): the
    // caller's own, or another user's with `edit-other-user-info`; answers the saved preferences.
    api.addRoute(
        'users.setPreferences',
        { authRequired: true },
        {
            post: ({ user, bodyParams, body }) => {
                if (!validatePreferences(body)) {
                    throw new MeteorError('invalid-params', (validatePreferences.errors ?? []).map((problem) => problem.message).join('\n '));
                }
                const { userId, data } = bodyParams;
                if (userId && userId !== user._id && !hasPermission(storage, user._id, 'edit-other-user-info')) {
                    throw new MeteorError('error-action-not-allowed', 'Editing user is not allowed');
                }
                const language = typeof data.language === 'string' ? data.language : undefined;
                const target = storage.users.update(userId || user._id, (found) => {
                    if (language !== undefined) {
                        found.settings = { ...found.settings, preferences: { ...found.settings?.preferences, language } };
                        found._updatedAt = new Date();
                    }
                });
                if (!target) {
                    throw new MeteorError('error-invalid-user', 'The optional "userId" param provided does not match any users');
                }
                return success({ user: { _id: target._id, settings: { preferences: { ...target.settings?.preferences } } } });
            },
        },
    );

    api.addRoute(
        'users.create',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                requirePermission(storage, user._id, 'create-user');
                if (typeof bodyParams.username !== 'string' || typeof bodyParams.password !== 'string') {
                    throw new MeteorError('error-the-field-is-required', 'username and password are required');
                }
                const created = createUser(storage, {
                    username: bodyParams.username,
                    name: typeof bodyParams.name === 'string' ? bodyParams.name : bodyParams.username,
                    password: bodyParams.password,
                    roles: Array.isArray(bodyParams.roles) ? bodyParams.roles : ['user'],
                });
                return success({ user: publicUser(created) });
            },
        },
    );
}

/**
 * `isUsersSetPreferencesParamsPOST` (packages/rest-typings), for the one preference the stand-in
 * keeps: anything else in `data` is an unknown key, as for Rocket.Chat's closed schema.
 */
const validatePreferences = new Ajv().compile({
    type: 'object',
    properties: {
        userId: { type: 'string', nullable: true },
        data: { type: 'object', properties: { language: { type: 'string', nullable: true } }, additionalProperties: false },
    },
    required: ['data'],
    additionalProperties: false,
});

/** `userId` or `username` in a body: the user it names, or Rocket.Chat's `error-invalid-user`. */
export function userParam(server: ServerContext, params: Record<string, unknown>) {
    const { storage } = server;
    const user =
        typeof params.userId === 'string'
            ? storage.users.get(params.userId)
            : typeof params.username === 'string'
              ? storage.userByUsername(params.username)
              : undefined;
    if (!user) {
        throw new MeteorError('error-invalid-user', 'Invalid user');
    }
    return user;
}
