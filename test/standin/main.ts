// `npm start`: package the app, start the Rocket.Chat stand-in, seed a demo workspace through its
// REST API, install the zip the way `rc-apps deploy` does, and print what to paste.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

import { packageApp } from '../../scripts/package-app.mjs';
import { RestClient } from '../support/RestClient';
import { createUser } from './core/users';
import { DEFAULT_VERSION, VersionError, serverProfile } from './generations';
import { type StandinCluster, startCluster } from './cluster/Cluster';
import { type Standin, startStandin } from './server';

const ADMIN_USERNAME = process.env.ADMIN_USERNAME ?? 'admin';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? 'admin-password';
const DEMO_PASSWORD = 'demo-password';
const GROUP = 'project-x';
/** The oldest Node.js the project is tested on (package.json `engines`). */
const NODE_MINIMUM: [number, number] = [20, 19];

/** A mistake in how the stand-in was started: said in one line, exit code 2. */
class StartError extends Error {}

/** At most this many instances: each runs its own Apps-Engine runtime. */
const MAX_INSTANCES = 8;

function settings(): { version: string; port: number; instances: number } {
    const [major, minor] = process.versions.node.split('.').map(Number);
    if (major < NODE_MINIMUM[0] || (major === NODE_MINIMUM[0] && minor < NODE_MINIMUM[1])) {
        throw new StartError(`Node.js ${process.versions.node} is too old: the stand-in needs ${NODE_MINIMUM.join('.')} or newer.`);
    }
    const portText = process.env.PORT ?? '3000';
    const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 0 && port <= 65535)) {
        throw new StartError(`PORT="${portText}" is not a port number (0–65535).`);
    }
    const instancesText = process.env.INSTANCES ?? '1';
    const instances = /^\d+$/.test(instancesText) ? Number(instancesText) : NaN;
    if (!(instances >= 1 && instances <= MAX_INSTANCES)) {
        throw new StartError(`INSTANCES="${instancesText}" is not a number of instances (1–${MAX_INSTANCES}).`);
    }
    if (instances > 1 && port !== 0 && port + instances > 65535) {
        throw new StartError(`PORT=${port} leaves no room for ${instances} instances on the ports after it.`);
    }
    try {
        return { version: serverProfile(process.env.RC_VERSION ?? DEFAULT_VERSION).version, port, instances };
    } catch (error) {
        throw error instanceof VersionError ? new StartError(error.message) : error;
    }
}

async function main(): Promise<void> {
    const { version, port, instances } = settings();
    const started = Date.now();
    const zipPath = packageApp({
        quiet: true,
        ifStale: true,
        onBuild: () => console.log('Packaging the app with rc-apps (the first start, or the app changed): about 20 seconds…'),
    });
    let standin: Standin | StandinCluster;
    try {
        const log = (line: string) => console.log(`[stand-in] ${line}`);
        standin = instances > 1 ? await startCluster({ version, port, instances, log }) : await startStandin({ version, port, log });
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
            throw new StartError(`Port ${port} on 127.0.0.1 is in use: stop what runs there, or choose another with PORT=….`);
        }
        throw error;
    }
    // Ctrl-C, SIGTERM to this process or to its whole group: nothing is kept, so everything ends at once.
    const stop = () => {
        standin.kill();
        process.exit(0);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
        process.on(signal, stop);
    }

    // The first admin exists before the REST API does, as after Rocket.Chat's setup wizard.
    createUser(standin.storage, { username: ADMIN_USERNAME, password: ADMIN_PASSWORD, roles: ['admin', 'user'] });
    const admin = await RestClient.login(standin.url, ADMIN_USERNAME, ADMIN_PASSWORD);
    await admin.post('settings/E2E_Enable', { value: true });
    for (const username of ['alice', 'bob']) {
        await admin.post('users.create', { username, name: username, email: `${username}@example.com`, password: DEMO_PASSWORD });
    }
    const alice = await RestClient.login(standin.url, 'alice', DEMO_PASSWORD);
    const { group } = await alice.post('groups.create', { name: GROUP, members: ['bob'] });

    const app = await admin.installApp(readFileSync(zipPath), basename(zipPath));
    // `/encrypt`, the panel and the picker carry no session, so the app needs a service account on
    // every version (README: "A least-privilege service account"): before 7.4 only to read the
    // permission table, which any plain account may; from 7.4 also to write, made the Community
    // way: a bot user, and the bot role given the two encryption permissions.
    const writes = standin.profile.generation.roomUpdate === 'changes-only';
    await admin.post('users.create', {
        username: 'encrypt-service',
        name: 'Encrypt Group service',
        email: 'svc@example.com',
        password: DEMO_PASSWORD,
        roles: [writes ? 'bot' : 'user'],
    });
    if (writes) {
        const { update: table } = await admin.get('permissions.listAll');
        const withBot = (id: string) => [...new Set([...table.find((permission: { _id: string }) => permission._id === id).roles, 'bot'])];
        await admin.post('permissions.update', {
            permissions: ['edit-room', 'toggle-room-e2e-encryption'].map((_id) => ({ _id, roles: withBot(_id) })),
        });
    }
    const service = await RestClient.login(standin.url, 'encrypt-service', DEMO_PASSWORD);
    await admin.setAppSettings(app.id, { service_account_user_id: service.userId, service_account_token: service.authToken });
    const serviceNote = writes
        ? 'encrypt-service (a bot; the bot role holds edit-room and toggle-room-e2e-encryption), set in the app settings'
        : 'encrypt-service (a plain user: before 7.4 it only reads the permission table, which /encrypt and the panel need), set in the app settings';
    const { room: dm } = await alice.post('im.create', { username: 'encrypt-group.bot' });

    const url = standin.url;
    const auth = `-H 'X-User-Id: ${alice.userId}' -H 'X-Auth-Token: ${alice.authToken}'`;
    const json = `-H 'Content-Type: application/json'`;
    const cluster =
        'instanceUrls' in standin
            ? `\n  instances       ${standin.instanceUrls.map((instanceUrl, index) => `${index + 1}: ${instanceUrl}`).join(', ')}` +
              '\n                  (one database; the URL above balances between them, round robin: any of them can stand in it)'
            : '';
    console.log(`
Encrypt Group on the stand-in — ready in ${Date.now() - started} ms
${standin.profile.banner}

  URL             ${url}${cluster}
  admin           ${ADMIN_USERNAME} / ${ADMIN_PASSWORD}
  demo users      alice (owner of #${GROUP}), bob (member) — password ${DEMO_PASSWORD}
  service account ${serviceNote}
  app endpoint    ${url}/api/apps/public/${app.id}/groups.setEncrypted

Paste any of these (alice is already logged in; her token is below):

# log in as someone else
curl -s -X POST ${url}/api/v1/login ${json} -d '{"user":"bob","password":"${DEMO_PASSWORD}"}'

# switch encryption on for #${GROUP} through the app's endpoint
curl -s -X POST ${url}/api/apps/public/${app.id}/groups.setEncrypted ${auth} ${json} -d '{"roomName":"${GROUP}","encrypted":true}'

# its status
curl -s '${url}/api/apps/public/${app.id}/groups.getEncrypted?roomId=${group._id}' ${auth}

# /encrypt off #${GROUP}, typed in alice's DM with the app's bot
curl -s -X POST ${url}/api/v1/commands.run ${auth} ${json} -d '{"command":"encrypt","params":"off #${GROUP}","roomId":"${dm._id}"}'

# the private reply alice got (what the web client would show her)
curl -s ${url}/standin/notices ${auth}

# the room's history: Rocket.Chat's room_e2e_enabled / room_e2e_disabled messages
curl -s '${url}/api/v1/groups.messages?roomId=${group._id}' ${auth}

Ctrl-C stops everything.`);
}

main().catch((error) => {
    if (error instanceof StartError) {
        console.error(error.message);
        process.exit(2);
    }
    console.error(error);
    process.exit(1);
});
