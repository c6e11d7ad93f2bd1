// Where the end-to-end suite runs: a stand-in started here for one server profile, or the real
// Rocket.Chat at RC_URL. Either way the suite only sees Rocket.Chat's REST API.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

import { packageApp } from '../../scripts/package-app.mjs';
import { RestClient } from '../support/RestClient';
import { createUser } from '../standin/core/users';
import { serverProfile } from '../standin/generations';
import { startCluster } from '../standin/cluster/Cluster';
import { startStandin } from '../standin/server';

export interface Target {
    url: string;
    version: string;
    /** Which way the app can write the flag here: the room modifier works only before 7.4. */
    modifierWorks: boolean;
    /** Apps run in the engine's Deno subprocess (6.11+), not in-process under vm2. */
    denoRuntime: boolean;
    /**
     * The server shows what the app sends a user alone — private replies (`GET /standin/notices`)
     * and views pushed to them (`GET /standin/uiInteractions`). The stand-in does, and there those
     * checks are required; a real server keeps them between the app and the user's client.
     */
    canReadReplies: boolean;
    admin: RestClient;
    appId: string;
    /** On a cluster, each instance's own URL (`url` is its balancer's); none elsewhere. */
    instanceUrls?: Array<string>;
    close(): Promise<void>;
}

/** The zip under test, packaged once per process. */
let zipPath: string | undefined;
export function appZip(): string {
    zipPath ??= packageApp({ quiet: true, ifStale: true });
    return zipPath;
}

/**
 * A stand-in started here as Rocket.Chat `version`: one instance in this process, or with
 * `instances` a cluster of that many processes behind a balancer (../standin/cluster).
 */
export async function standinTarget(version: string, instances = 1): Promise<Target> {
    const standin = instances > 1 ? await startCluster({ version, instances }) : await startStandin({ version, port: 0 });
    createUser(standin.storage, { username: 'e2e-admin', password: 'e2e-admin-password', roles: ['admin', 'user'] });
    const admin = await RestClient.login(standin.url, 'e2e-admin', 'e2e-admin-password');
    const app = await admin.installApp(readFileSync(appZip()), basename(appZip()));
    return {
        url: standin.url,
        version: standin.profile.version,
        modifierWorks: standin.profile.generation.roomUpdate === 'whole-room',
        denoRuntime: standin.profile.generation.id !== 'vm2',
        canReadReplies: true,
        admin,
        appId: app.id,
        ...('instanceUrls' in standin && { instanceUrls: standin.instanceUrls }),
        close: () => standin.close(),
    };
}

/** RC_URL + RC_ADMIN_USER + RC_ADMIN_PASSWORD: a real server, with the zip deployed to it. */
export async function realServerTarget(): Promise<Target> {
    const url = process.env.RC_URL!.replace(/\/+$/, '');
    const admin = await RestClient.login(url, process.env.RC_ADMIN_USER!, process.env.RC_ADMIN_PASSWORD!);
    const info = (await admin.request('GET', '/api/info')).body;
    const app = await admin.installApp(readFileSync(appZip()), basename(appZip()));
    return {
        url,
        version: info.version,
        modifierWorks: serverProfile(info.version).generation.roomUpdate === 'whole-room',
        denoRuntime: serverProfile(info.version).generation.id !== 'vm2',
        // A stand-in started apart (`npm start`) and named in RC_URL shows them; a real server answers 401 or 404.
        canReadReplies: (await admin.request('GET', '/standin/notices')).status === 200,
        admin,
        appId: app.id,
        close: async () => undefined,
    };
}

export const REAL_SERVER_CONFIGURED = Boolean(process.env.RC_URL && process.env.RC_ADMIN_USER && process.env.RC_ADMIN_PASSWORD);
