// Apps: installing a zip (what `rc-apps deploy` calls), app settings, and the app's own endpoints
// at /api/apps/public/:appId/* (apps/meteor/ee/server/apps/communication/rest.ts and
// apps/meteor/app/apps/server/bridges/api.ts).
import { type Request, type Response, Router } from 'express';

import { notFound, success } from '../answers';
import { type ApiRouter, routeCall, send } from '../ApiRouter';
import type { AppHost } from '../../apps/AppHost';
import type { HostState } from '../../apps/bridges';
import { requirePermission } from '../../core/authorization';
import { paginationItems } from '../../core/pagination';
import type { ServerContext } from '../../core/context';
import { MeteorError } from '../../core/errors';

/** `/api/apps/…`: installing and configuring apps (admin routes). */
export function appsRoutes(api: ApiRouter, server: ServerContext, host: AppHost): void {
    const { storage } = server;

    const install = async ({ user, headers, raw }: { user: any; headers: Record<string, string>; raw: Buffer }) => {
        requirePermission(storage, user._id, 'manage-apps');
        const form = await new Request('http://stand-in/', {
            method: 'POST',
            headers: { 'content-type': headers['content-type'] ?? '' },
            body: raw,
        }).formData();
        const file = form.get('app');
        if (!file || typeof file === 'string') {
            throw new MeteorError(undefined, 'No app package in the "app" field');
        }
        const info = await host.install(Buffer.from(await file.arrayBuffer()), user);
        return success({ app: { id: info.id, name: info.name, version: info.version, status: await host.status(info.id) } });
    };
    // `GET /api/apps/actionButtons` (apps/meteor/ee/server/apps/communication/endpoints/actionButtonsHandler.ts):
    // no login needed; `API.v1.success(buttons)` with an array sets `success` on the array, which
    // JSON leaves out, so the body is the bare array. Registered before `:id`, which would match it.
    api.addRoute('actionButtons', { authRequired: false }, { get: async () => ({ statusCode: 200, body: await host.actionButtons() }) });
    api.addRoute('', { authRequired: true }, { post: install });
    api.addRoute(':id', { authRequired: true }, { post: install, get: async ({ urlParams }) => appStatus(host, urlParams.id) });

    // `GET|POST /api/apps/:id/settings` (apps/meteor/ee/server/apps/communication/rest.ts): the
    // app's settings keyed by id; an update names `{id, value}` pairs and changes those that exist
    // and differ, answering which it changed.
    api.addRoute(
        ':id/settings',
        { authRequired: true },
        {
            get: ({ user, urlParams }) => {
                requirePermission(storage, user._id, 'manage-apps');
                const settings = host.appSettings(urlParams.id);
                return settings ? success({ settings }) : notFound(`No App found by the id of: ${urlParams.id}`);
            },
            post: async ({ user, urlParams, bodyParams }) => {
                requirePermission(storage, user._id, 'manage-apps');
                if (!Array.isArray(bodyParams.settings)) {
                    throw new MeteorError(undefined, 'The settings to update must be present.');
                }
                const settings = host.appSettings(urlParams.id);
                if (!settings) {
                    return notFound(`No App found by the id of: ${urlParams.id}`);
                }
                const updated = [];
                for (const setting of bodyParams.settings) {
                    const known = settings[setting?.id];
                    if (known && known.value !== setting.value) {
                        await host.updateAppSetting(urlParams.id, { ...known, value: setting.value });
                        updated.push(setting);
                    }
                }
                return success({ updated });
            },
        },
    );

    // `GET|POST /api/apps/:id/status` (apps/meteor/ee/server/apps/communication/rest.ts):
    // `manage-apps`; a POST needs a string `status` (else 400 with the route's sentence), a known app
    // (else 404), then `manager.changeStatus` — whose refusals ("Can not disable an App which is not
    // enabled.", an invalid status…) are plain Errors, which the REST wrapper answers `failure(e.message)`.
    // Answered `{status}`: the 8.x route awaits `getStatus()`; 6.11–7.x releases that did not await
    // it on a Deno engine answered `status: {}` (a Promise serialised).
    api.addRoute(
        ':id/status',
        { authRequired: true },
        {
            get: async ({ user, urlParams }) => {
                requirePermission(storage, user._id, 'manage-apps');
                return host.isInstalled(urlParams.id)
                    ? success({ status: await host.status(urlParams.id) })
                    : notFound(`No App found by the id of: ${urlParams.id}`);
            },
            post: async ({ user, urlParams, bodyParams }) => {
                requirePermission(storage, user._id, 'manage-apps');
                const { status } = bodyParams;
                if (!status || typeof status !== 'string') {
                    throw new MeteorError(undefined, 'Invalid status provided, it must be "status" field and a string.');
                }
                if (!host.isInstalled(urlParams.id)) {
                    return notFound(`No App found by the id of: ${urlParams.id}`);
                }
                try {
                    return success({ status: await host.setStatus(urlParams.id, status) });
                } catch (error) {
                    throw new MeteorError(undefined, (error as Error)?.message ?? String(error));
                }
            },
        },
    );

    // `GET /api/apps/:id/logs` (apps/meteor/ee/server/apps/communication/endpoints/appLogsHandler.ts):
    // `manage-apps`; the app's entries from the engine's log storage, newest first (`_updatedAt: -1`),
    // paginated by `offset` and `count` (`getPaginationItems`); answered as 8.x does,
    // `{offset, logs, count, total}` — servers before the paginated log storage answer `{logs}` only.
    api.addRoute(
        ':id/logs',
        { authRequired: true },
        {
            get: async ({ user, urlParams, queryParams }) => {
                requirePermission(storage, user._id, 'manage-apps');
                const { offset, count } = paginationItems(queryParams);
                const page = await host.appLogs(urlParams.id, offset, count);
                if (!page) {
                    return notFound(`No App found by the id of: ${urlParams.id}`);
                }
                return success({ offset, logs: page.logs, count: page.logs.length, total: page.total });
            },
        },
    );
}

async function appStatus(host: AppHost, id: string) {
    return host.isInstalled(id) ? success({ app: { id, status: await host.status(id) } }) : notFound(`No App found by the id of: ${id}`);
}

/**
 * `/api/apps/public/:appId/*`: the app's endpoints (apps/meteor/app/apps/server/bridges/api.ts). An
 * unknown app or path is `sendStatus(404)`; the server authenticates before the app runs
 * (`authRequired`); whatever the engine rejects with becomes `500` with its message — a method the
 * endpoint does not implement included, which the engine reports in its own words.
 */
export function appEndpointRouter(host: AppHost, state: HostState): Router {
    const router = Router();
    router.all('/:appId/*path', async (request: Request, response: Response) => {
        const call = routeCall(request);
        const { appId, path } = call.urlParams;
        const endpoint = state.apis.get(appId)?.find((candidate) => candidate.path === path);
        if (!endpoint) {
            return send(response, { statusCode: 404, body: 'Not Found' });
        }
        if (endpoint.authRequired && !call.user) {
            return send(response, { statusCode: 401, body: 'Unauthorized' });
        }
        try {
            const answer = await host.executeApi(appId, path, {
                method: request.method,
                headers: call.headers,
                query: call.queryParams,
                content: call.body,
                user: call.user,
            });
            const { status, headers = {}, content } = answer;
            send(response, { statusCode: status, body: content ?? '', headers });
        } catch (reason) {
            send(response, { statusCode: 500, body: String((reason as { message?: unknown } | undefined)?.message) });
        }
    });
    return router;
}
