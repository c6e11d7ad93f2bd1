// The stand-in for Rocket.Chat: its database (storage/), the rules its routes and bridges share
// (core/), the real Apps-Engine that hosts the app (apps/), and its REST API (api/), on 127.0.0.1.
// Which Rocket.Chat it is comes from one place: generations.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';

import { ApiRouter, send } from './api/ApiRouter';
import { authentication, collapseSlashes, errorHandler, readBody } from './api/middleware';
import { RateLimiter } from './api/rateLimiter';
import { appEndpointRouter, appsRoutes } from './api/routes/apps';
import { chatRoutes } from './api/routes/chat';
import { clusterRoutes } from './api/routes/cluster';
import { commandsPreviewRoutes, commandsRoutes } from './api/routes/commands';
import { groupsRoutes } from './api/routes/groups';
import { infoRoutes } from './api/routes/info';
import { permissionsRoutes } from './api/routes/permissions';
import { roomsRoutes } from './api/routes/rooms';
import { settingsRoutes } from './api/routes/settings';
import { uiInteractionRouter } from './api/routes/uikit';
import { movedRedirect, standinRoutes } from './api/routes/standin';
import { usersRoutes } from './api/routes/users';
import { AppHost } from './apps/AppHost';
import type { HostState } from './apps/bridges';
import { JobScheduler } from './apps/scheduler';
import { seedPermissions } from './core/authorization';
import type { AppEvents, ServerContext } from './core/context';
import { seedSettings } from './core/settings';
import { type ServerProfile, serverProfile } from './generations';
import { Peers } from './cluster/Peers';
import { Collection } from './storage/Database';
import { Storage } from './storage/Storage';

export interface StandinOptions {
    /** The Rocket.Chat version to behave as (see generations.ts); default 8.0.0. */
    version?: string;
    port?: number;
    log?: (line: string) => void;
    /** One instance of a cluster (../cluster): the database file the instances share, already seeded, and who this one is. */
    cluster?: ClusterMember;
}

export interface ClusterMember {
    database: string;
    /** 1…N: named in every answer's `X-Standin-Instance` header. */
    instance: number;
    /** The balancer's URL, which `Site_Url` already names. */
    siteUrl: string;
    /** Shared by the cluster's instances: what lets one tell another about an app. */
    secret: string;
}

/** Agenda's `processEvery` in a cluster: how often an instance looks for jobs the others scheduled. */
const CLUSTER_PROCESS_EVERY_MS = 1000;

export interface Standin {
    url: string;
    profile: ServerProfile;
    storage: Storage;
    server: ServerContext;
    state: HostState;
    host: AppHost;
    /** Stops serving and unloads the app (tests, the benchmark). */
    close(): Promise<void>;
    /** Drops every connection and ends the app runtime now (a signal to `npm start`). */
    kill(): void;
}

/** A fresh workspace's settings, permissions and roles: once per database, before any instance starts. */
export function seedWorkspace(storage: Storage, profile: ServerProfile): void {
    storage.database.atomically(() => {
        seedSettings(storage, profile);
        seedPermissions(storage);
    });
}

export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
    const profile = serverProfile(options.version);
    const log = options.log ?? (() => undefined);
    const { cluster } = options;
    const storage = new Storage(cluster?.database);
    if (!cluster) {
        seedWorkspace(storage, profile);
    }
    const events: AppEvents = { systemMessageSent: () => undefined };
    const server: ServerContext = { storage, profile, events };
    const state: HostState = {
        server,
        commands: new Map(),
        apis: new Map(),
        bridgeCalls: new Map(),
        faults: new Collection<true>(storage.database, 'standin_faults'),
        scheduler: new JobScheduler(storage, log, { processEveryMs: cluster && CLUSTER_PROCESS_EVERY_MS }),
        peers: cluster && new Peers(cluster.secret, log),
        fetch: (url, init) => fetch(url, init),
        log,
    };
    const host = new AppHost(state);
    // Apps hear of system messages from Apps-Engine 1.49 (Rocket.Chat 7.4) on; older engines have
    // no `IPostSystemMessageSent`, and their servers tell apps nothing.
    if (host.hasInterface('IPostSystemMessageSent')) {
        events.systemMessageSent = (message) => host.postSystemMessageSent(message);
    }
    await host.load();

    const app = express();
    app.disable('x-powered-by');
    app.set('query parser', 'simple');
    if (cluster) {
        app.use((_request, response, next) => {
            response.setHeader('X-Standin-Instance', String(cluster.instance));
            next();
        });
    }
    app.use(collapseSlashes, readBody, authentication(storage));
    // The rate limiter counts every versioned API (`shouldAddRateLimitToRoute`): /api/v1, whose rules
    // follow the settings, and the apps API (`version: 'apps'`), whose rules are those of start-up.
    // App endpoints (/api/apps/public) are never counted; ui.interaction counts on its own.
    const v1 = new ApiRouter(server, { limiter: new RateLimiter(storage), basePath: '/api/v1' });
    usersRoutes(v1, server);
    groupsRoutes(v1, server);
    roomsRoutes(v1, server);
    chatRoutes(v1, server);
    settingsRoutes(v1, server);
    permissionsRoutes(v1, server);
    commandsRoutes(v1, server, host, state);
    commandsPreviewRoutes(v1, server, host, state);
    const apps = new ApiRouter(server, { limiter: new RateLimiter(storage, false), basePath: '/api/apps' });
    appsRoutes(apps, server, host);
    const info = new ApiRouter(server);
    infoRoutes(info, server);
    const own = new ApiRouter(server);
    standinRoutes(own, server, state);
    if (state.peers) {
        clusterRoutes(own, host, state.peers);
    }

    app.use('/api/v1', v1.router);
    app.use('/api/apps/public', appEndpointRouter(host, state));
    app.use('/api/apps/ui.interaction', uiInteractionRouter(server, host));
    app.use('/api/apps', apps.router);
    app.use('/api', info.router);
    app.use('/standin/moved', movedRedirect);
    app.use('/standin', own.router);
    app.use((request, response) => send(response, { statusCode: 404, body: { success: false, error: `Not found: ${request.method} ${request.path}` } }));
    app.use(errorHandler(log));

    const http = createServer(app);
    try {
        await new Promise<void>((resolve, reject) => {
            http.once('error', reject);
            http.listen(options.port ?? 3000, '127.0.0.1', resolve);
        });
    } catch (error) {
        host.kill();
        throw error;
    }
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    if (!cluster) {
        storage.settings.set('Site_Url', url);
    }
    log(`Listening on ${url}`);

    return {
        url,
        profile,
        storage,
        server,
        state,
        host,
        close: async () => {
            http.closeAllConnections();
            await new Promise<void>((resolve) => http.close(() => resolve()));
            await host.stop();
        },
        kill: () => {
            http.closeAllConnections();
            http.close();
            host.kill();
        },
    };
}
