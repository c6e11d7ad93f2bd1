// `npm start`: package the app, start the Rocket.Chat stand-in, seed a demo workspace through its
// REST API (demo.ts), install the zip the way `rc-apps deploy` does, write `.standin.env` for a
// shell to `source`, and print what to paste — every line at most 100 columns wide.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { packageApp } from '../../scripts/package-app.mjs';
import { createUser } from './core/users';
import { BOT_USERNAME, DEMO_PASSWORD, type Demo, WALKTHROUGH_GROUP, demoEnv, seedDemo } from './demo';
import { DEFAULT_VERSION, VersionError, serverProfile } from './generations';
import { type StandinCluster, startCluster } from './cluster/Cluster';
import { type Standin, startStandin } from './server';
import { wrapLine } from './wrap';

const ROOT = join(__dirname, '..', '..');
/** Where the demo's ids and tokens are written for a shell; `STANDIN_ENV_FILE` puts it elsewhere (tests). */
const ENV_FILE = process.env.STANDIN_ENV_FILE ?? join(ROOT, '.standin.env');
const ADMIN_USERNAME = process.env.ADMIN_USERNAME ?? 'admin';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? 'admin-password';
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

/** Prints text with every line wrapped at 100 columns (continuations indented as the line is, plus two). */
function print(text: string): void {
    console.log(
        text
            .split('\n')
            .flatMap((line) => wrapLine(line))
            .join('\n'),
    );
}

async function main(): Promise<void> {
    const { version, port, instances } = settings();
    const started = Date.now();
    const zipPath = packageApp({
        quiet: true,
        ifStale: true,
        onBuild: () => print('Packaging the app with rc-apps (the first start, or the app changed): about 20 seconds…'),
    });
    let standin: Standin | StandinCluster;
    try {
        const log = (line: string) => print(`[stand-in] ${line}`);
        standin = instances > 1 ? await startCluster({ version, port, instances, log }) : await startStandin({ version, port, log });
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
            throw new StartError(`Port ${port} on 127.0.0.1 is in use: stop what runs there, or choose another with PORT=….`);
        }
        throw error;
    }
    /** What this start wrote to the env file, once it has. */
    const env: { written?: string } = {};
    // Ctrl-C, SIGTERM to this process or to its whole group: nothing is kept, so everything ends at once.
    const stop = () => {
        standin.kill();
        removeEnvFile(env.written);
        process.exit(0);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
        process.on(signal, stop);
    }

    const demo = await seedDemo(standin.url, {
        admin: { username: ADMIN_USERNAME, password: ADMIN_PASSWORD },
        createFirstAdmin: (username, password) => createUser(standin.storage, { username, password, roles: ['admin', 'user'] }),
        zip: { bytes: readFileSync(zipPath), filename: basename(zipPath) },
        changesOnly: standin.profile.generation.roomUpdate === 'changes-only',
    });
    env.written = demoEnv(demo);
    writeFileSync(ENV_FILE, env.written, { mode: 0o600 });
    print(banner(demo, standin, Date.now() - started));
}

/** Removes the env file if it is still the one this start wrote (another start may have written its own since). */
function removeEnvFile(written: string | undefined): void {
    try {
        if (written !== undefined && readFileSync(ENV_FILE, 'utf8') === written) {
            unlinkSync(ENV_FILE);
        }
    } catch {
        // already gone
    }
}

function banner(demo: Demo, standin: Standin | StandinCluster, readyMs: number): string {
    const { url, appId, admin } = demo;
    const groups = Object.entries(demo.groups);
    const count = (test: (group: Demo['groups'][string]) => boolean) => groups.filter(([, group]) => test(group)).length;
    const serviceNote = demo.service.writes
        ? `@${demo.service.username}, a bot (the bot role holds edit-room, toggle-room-e2e-encryption and ` +
          'view-room-administration): /encrypt, the panel, the report and encryptAll act as it; set in the app settings'
        : `@${demo.service.username}, a bot (the bot role holds edit-room, toggle-room-e2e-encryption and ` +
          "view-room-administration): /encrypt and the panel read Rocket.Chat's permission table as it, the report " +
          'lists groups and encryptAll writes as it; set in the app settings';
    const envName = ENV_FILE === join(ROOT, '.standin.env') ? '.standin.env' : ENV_FILE;
    const cluster =
        'instanceUrls' in standin
            ? `\n  instances       ${standin.instanceUrls.map((instanceUrl, index) => `${index + 1}: ${instanceUrl}`).join(', ')}` +
              '\n                  (one database; the URL above balances between them, round robin: any of them can stand in it)'
            : '';
    return `
Encrypt Group on the stand-in — ready in ${readyMs} ms
${standin.profile.banner}

  URL             ${url}${cluster}
  app id          ${appId}
  admin           ${admin.username} / ${admin.password}
                  user id ${admin.id}
                  token   ${admin.token}
  demo users      alice and bob, password ${DEMO_PASSWORD}
  groups          ${groups.length} private groups: ${count((group) => group.kind === 'group')} plain, ${count((group) => group.kind === 'team')} teams' main groups, ${count((group) => group.kind === 'discussion')} discussion; ${count((group) => group.encrypted)} encrypted, ${count((group) => group.archived)} archived; alice owns ${count((group) => group.owner === 'alice')}, bob is in each
  walkthrough     #${WALKTHROUGH_GROUP} (${demo.groups[WALKTHROUGH_GROUP].id}), and alice's DM with the app's bot @${BOT_USERNAME}
  service account ${serviceNote}
  for a shell     ${envName}: RC_URL, APP, the ids and tokens of admin, alice and bob, GROUP_ID, DM_ID (removed on exit)

Paste these in another terminal, in this folder (README.md, "Try it", has the whole walkthrough):

source ${envName}

# switch encryption on for #${WALKTHROUGH_GROUP} through the app's endpoint, as alice
curl -s -X POST "$RC_URL/api/apps/public/$APP/groups.setEncrypted" \\
  -H "X-User-Id: $ALICE_ID" -H "X-Auth-Token: $ALICE_TOKEN" -H 'Content-Type: application/json' \\
  -d '{"roomName":"${WALKTHROUGH_GROUP}","encrypted":true}'

# its status
curl -s "$RC_URL/api/apps/public/$APP/groups.getEncrypted?roomId=$GROUP_ID" \\
  -H "X-User-Id: $ALICE_ID" -H "X-Auth-Token: $ALICE_TOKEN"

# /encrypt off #${WALKTHROUGH_GROUP}, typed in alice's DM with the app's bot, and the private reply
curl -s -X POST "$RC_URL/api/v1/commands.run" \\
  -H "X-User-Id: $ALICE_ID" -H "X-Auth-Token: $ALICE_TOKEN" -H 'Content-Type: application/json' \\
  -d "{\\"command\\":\\"encrypt\\",\\"params\\":\\"off #${WALKTHROUGH_GROUP}\\",\\"roomId\\":\\"$DM_ID\\"}"
curl -s "$RC_URL/standin/notices" -H "X-User-Id: $ALICE_ID" -H "X-Auth-Token: $ALICE_TOKEN"

# the admin's report of every private group
curl -s "$RC_URL/api/apps/public/$APP/groups.encryptionReport" \\
  -H "X-User-Id: $ADMIN_ID" -H "X-Auth-Token: $ADMIN_TOKEN"

Ctrl-C stops everything.`;
}

main().catch((error) => {
    if (error instanceof StartError) {
        console.error(error.message);
        process.exit(2);
    }
    console.error(error);
    process.exit(1);
});
