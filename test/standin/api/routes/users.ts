// Logging in and users (apps/meteor/app/api/server/v1/misc.ts, users.ts).
import { success } from '../answers';
import type { ApiRouter } from '../ApiRouter';
import { requirePermission } from '../../core/authorization';
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
