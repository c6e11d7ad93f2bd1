// Server settings (apps/meteor/app/api/server/v1/settings.ts).
import { success } from '../answers';
import type { ApiRouter } from '../ApiRouter';
import { requirePermission } from '../../core/authorization';
import type { ServerContext } from '../../core/context';
import { MeteorError } from '../../core/errors';

export function settingsRoutes(api: ApiRouter, server: ServerContext): void {
    const { storage } = server;
    api.addRoute(
        'settings/:_id',
        { authRequired: true },
        {
            post: ({ user, urlParams, bodyParams }) => {
                requirePermission(storage, user._id, 'edit-privileged-setting');
                const id = urlParams._id;
                // Site_Url is where the stand-in listens; it is set at start, not by clients.
                if (!storage.settings.has(id) || id === 'Site_Url') {
                    throw new MeteorError('error-setting-not-found', `Setting not found: ${id}`);
                }
                storage.settings.set(id, bodyParams.value);
                return success();
            },
        },
    );
}
