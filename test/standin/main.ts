// `npm start`: package the app, start the Rocket.Chat stand-in, seed a demo workspace through its
// REST API, install the zip the way `rc-apps deploy` does, and print what to paste.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

import { packageApp } from '../../scripts/package-app.mjs';
import { RestClient } from '../support/RestClient';
import { createUser } from './core/users';
import { DEFAULT_VERSION } from './generations';
import { startStandin } from './server';

const ADMIN_USERNAME = process.env.ADMIN_USERNAME ?? 'admin';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? 'admin-password';
const DEMO_PASSWORD = 'demo-password';
const GROUP = 'project-x';

async function main(): Promise<void> {
    const started = Date.now();
    const zipPath = packageApp({ quiet: true, ifStale: true });
    const standin = await startStandin({
        version: process.env.RC_VERSION ?? DEFAULT_VERSION,
        port: Number(process.env.PORT ?? 3000),
        log: (line) => console.log(`[stand-in] ${line}`),
    });
    const stop = async (signal: string) => {
        console.log(`\n${signal}: stopping the stand-in and the app runtime…`);
        await standin.close();
        process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));

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
    // On 7.4+ `/encrypt` needs a service account (README); the demo gives it one.
    let serviceNote = 'not needed on this version';
    if (standin.profile.generation.roomUpdate === 'changes-only') {
        await admin.post('users.create', {
            username: 'encrypt-service',
            name: 'Encrypt Group service',
            email: 'svc@example.com',
            password: DEMO_PASSWORD,
            roles: ['admin', 'user'],
        });
        const service = await RestClient.login(standin.url, 'encrypt-service', DEMO_PASSWORD);
        await admin.setAppSettings(app.id, { service_account_user_id: service.userId, service_account_token: service.authToken });
        serviceNote = 'encrypt-service (admin), set in the app settings';
    }
    const { room: dm } = await alice.post('im.create', { username: 'encrypt-group.bot' });

    const url = standin.url;
    const auth = `-H 'X-User-Id: ${alice.userId}' -H 'X-Auth-Token: ${alice.authToken}'`;
    const json = `-H 'Content-Type: application/json'`;
    console.log(`
Encrypt Group on the stand-in — ready in ${Date.now() - started} ms
${standin.profile.banner}

  URL             ${url}
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
    console.error(error);
    process.exit(1);
});
