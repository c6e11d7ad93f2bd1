// `GET /api/info` (apps/meteor/app/api/server/default/info.ts): the version, without a login.
import { success } from '../answers';
import type { ApiRouter } from '../ApiRouter';
import type { ServerContext } from '../../core/context';

export function infoRoutes(api: ApiRouter, server: ServerContext): void {
    api.addRoute('info', { authRequired: false }, { get: () => success({ version: server.profile.version }) });
}
