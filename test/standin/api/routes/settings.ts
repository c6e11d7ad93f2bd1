// Server settings (apps/meteor/app/api/server/v1/settings.ts): `{_id, value}` to read; an update
// stores the value as sent, and an unknown setting is a bare `API.v1.failure()`.
import { bareFailure, success } from '../answers';
import type { ApiRouter } from '../ApiRouter';
import { requirePermission } from '../../core/authorization';
import type { ServerContext } from '../../core/context';

export function settingsRoutes(api: ApiRouter, server: ServerContext): void {
    const { storage } = server;
    api.addRoute(
        'settings/:_id',
        { authRequired: true },
        {
            get: ({ user, urlParams }) => {
                requirePermission(storage, user._id, 'view-privileged-setting');
                if (!storage.settings.has(urlParams._id)) {
                    return bareFailure();
                }
                return success({ _id: urlParams._id, value: storage.settings.get(urlParams._id) });
            },
            post: ({ user, urlParams, bodyParams }) => {
                requirePermission(storage, user._id, 'edit-privileged-setting');
                const id = urlParams._id;
                if (!storage.settings.has(id) || !('value' in bodyParams)) {
                    return bareFailure();
                }
                storage.settings.set(id, bodyParams.value);
                return success();
            },
        },
    );
}
