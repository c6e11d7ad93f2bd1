// Permissions and roles (apps/meteor/app/api/server/v1/permissions.ts, roles.ts): the permission
// table any logged-in user may read, and an admin may change — what a test changes there, every
// rule that reads the table sees at once.
import { type Answer, success } from '../answers';
import type { ApiRouter } from '../ApiRouter';
import { requirePermission } from '../../core/authorization';
import type { ServerContext } from '../../core/context';
import { MeteorError } from '../../core/errors';
import type { RawPermission } from '../../storage/Storage';

/** `API.v1.failure(message, errorType)`: the message as given, without the code appended. */
function failure(error: string, errorType: string): Answer {
    return { statusCode: 400, body: { success: false, error, errorType } };
}

/** `isBodyParamsValidPermissionUpdate`: `{permissions: [{_id, roles: unique strings}]}` and nothing else. */
function isPermissionUpdate(body: unknown): body is { permissions: Array<{ _id: string; roles: Array<string> }> } {
    const only = (value: object, keys: Array<string>) => Object.keys(value).every((key) => keys.includes(key));
    if (!body || typeof body !== 'object' || Array.isArray(body) || !only(body, ['permissions'])) {
        return false;
    }
    const { permissions } = body as { permissions?: unknown };
    return (
        Array.isArray(permissions) &&
        permissions.every(
            (item) =>
                item &&
                typeof item === 'object' &&
                only(item, ['_id', 'roles']) &&
                typeof item._id === 'string' &&
                Array.isArray(item.roles) &&
                item.roles.every((role: unknown) => typeof role === 'string') &&
                new Set(item.roles).size === item.roles.length,
        )
    );
}

export function permissionsRoutes(api: ApiRouter, server: ServerContext): void {
    const { storage } = server;
    const permissionOut = (permission: RawPermission) => structuredClone(permission);

    // `permissionsGetMethod(updatedSince)` (apps/meteor/app/authorization/server/streamer/permissions/index.ts):
    // every permission, or those changed after the date plus the ones deleted after it, from the
    // trash (`Permissions.trashFindDeletedAfter`: `{_id, _deletedAt}`).
    api.addRoute(
        'permissions.listAll',
        { authRequired: true },
        {
            get: ({ queryParams }) => {
                const { updatedSince } = queryParams;
                if (!updatedSince) {
                    return success({ update: [...storage.permissions.values()].map(permissionOut), remove: [] });
                }
                if (Number.isNaN(Date.parse(updatedSince))) {
                    throw new MeteorError('error-roomId-param-invalid', 'The "updatedSince" query parameter must be a valid date.');
                }
                const since = new Date(updatedSince);
                const update = [...storage.permissions.values()].filter((permission) => permission._updatedAt > since).map(permissionOut);
                const remove = [...storage.permissionsTrash.values()].filter((deleted) => deleted._deletedAt > since).map((deleted) => ({ ...deleted }));
                return success({ update, remove });
            },
        },
    );

    // `permissions.update` (permissionsRequired `access-permissions`): the body's shape, every
    // permission known, every role known by `_id`; then each permission's roles are replaced.
    api.addRoute(
        'permissions.update',
        { authRequired: true },
        {
            post: ({ user, body }) => {
                requirePermission(storage, user._id, 'access-permissions');
                if (!isPermissionUpdate(body)) {
                    return failure('Invalid body params', 'error-invalid-body-params');
                }
                // `Permissions.find({_id: {$in: ids}})` must find as many as were named: a repeated id fails too.
                const ids = body.permissions.map(({ _id }) => _id);
                if (new Set(ids.filter((id) => storage.permissions.has(id))).size !== ids.length) {
                    return failure('Invalid permission', 'error-invalid-permission');
                }
                if (body.permissions.some(({ roles }) => roles.some((role) => !storage.roles.has(role)))) {
                    return failure('Invalid role', 'error-invalid-role');
                }
                const now = new Date();
                storage.database.atomically(() => {
                    for (const { _id, roles } of body.permissions) {
                        storage.permissions.update(_id, (permission) => ({ ...permission, roles: [...roles], _updatedAt: now }));
                    }
                });
                return success({ permissions: [...storage.permissions.values()].map(permissionOut) });
            },
        },
    );

    api.addRoute('roles.list', { authRequired: true }, { get: () => success({ roles: [...storage.roles.values()].map((role) => structuredClone(role)) }) });
}
