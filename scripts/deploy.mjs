// `npm run deploy -- --url <server> --username <admin>` (password in RC_PASSWORD), or with
// `--userid <id>` and a personal access token in RC_TOKEN: installs the zip `npm run package`
// builds, or updates the installed app, through Rocket.Chat's Apps admin API (`POST /api/apps`,
// `POST /api/apps/:id`, what `rc-apps deploy` calls). It uploads that zip rather than letting rc-apps
// build its own, because rc-apps' zip drops from app.json the event the guard listens for (see
// withDeclaredInterfaces in package-app.mjs). The password and token are read from the environment
// so that no command line holds them — npm prints a script's arguments — and nothing printed holds
// them; a failed deploy ends with one line saying what went wrong.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

import { packageApp } from './package-app.mjs';

const FLAGS = {
    '--url': 'url',
    '--server': 'url',
    '-s': 'url',
    '--username': 'username',
    '-u': 'username',
    '--userid': 'userId',
    '-i': 'userId',
    '--code': 'code',
    '-c': 'code',
};

/**
 * rc-apps' secret flags, refused: by the time the script sees one, npm has printed the command line
 * with its value, and the shell has saved it in its history. Each names where the secret goes instead.
 */
const SECRET_FLAGS = {
    '--password': 'RC_PASSWORD (with --username), or a personal access token in RC_TOKEN (with --userid)',
    '-p': 'RC_PASSWORD (with --username), or a personal access token in RC_TOKEN (with --userid)',
    '--token': 'RC_TOKEN (with --userid), or a password in RC_PASSWORD (with --username)',
    '-t': 'RC_TOKEN (with --userid), or a password in RC_PASSWORD (with --username)',
};

export const USAGE = `Usage: npm run deploy -- --url <server> --username <admin>   (password in RC_PASSWORD)
   or: npm run deploy -- --url <server> --userid <user id>    (personal access token in RC_TOKEN)
Installs the zip \`npm run package\` builds on a Rocket.Chat server, or updates the installed app.
  --url, --server, -s   the server's address, with its scheme: https://chat.example.com
  --username, -u        an admin's username; the password is read from RC_PASSWORD
  --userid, -i          an admin's user id; the personal access token is read from RC_TOKEN
  --code, -c            a two-factor code, if the login asks for one
  --help, -h            this text
Passwords and tokens are never given on the command line: npm prints it, and the shell keeps it.`;

/** The flag a mistyped one was most likely meant to be: the known long flag fewest edits away (at most two). */
function closestFlag(flag) {
    const distance = (a, b) => {
        const row = Array.from({ length: b.length + 1 }, (_, j) => j);
        for (let i = 1; i <= a.length; i++) {
            let diagonal = row[0];
            row[0] = i;
            for (let j = 1; j <= b.length; j++) {
                const above = row[j];
                row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length];
    };
    const [best] = Object.keys(FLAGS)
        .filter((known) => known.startsWith('--'))
        .map((known) => [known, distance(flag, known)])
        .sort((a, b) => a[1] - b[1]);
    return best && best[1] <= 2 ? best[0] : undefined;
}

/**
 * What a `--url` without a scheme (`chat.example.com`) was meant to be: https, or http for this
 * machine (a stand-in, a server under test). Undefined when the URL has a scheme.
 */
function withScheme(url) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
        return undefined;
    }
    const local = /^(localhost|127\.[\d.]+|\[::1\])(:\d+)?(\/|$)/i.test(url);
    return `${local ? 'http' : 'https'}://${url}`;
}

export function deployOptions(argv, env) {
    const options = {};
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split(/=(.*)/s);
        if (SECRET_FLAGS[flag]) {
            const problem = `${flag} is refused: npm has just printed its value and it is now in your shell history (change it); give it in ${SECRET_FLAGS[flag]}`;
            return { options: {}, problem, secrets: [] };
        }
        if (flag === '--help' || flag === '-h') {
            return { options: {}, help: true, secrets: [] };
        }
        if (!FLAGS[flag]) {
            const meant = flag.startsWith('-') ? closestFlag(flag) : undefined;
            const what = flag.startsWith('-') ? `unknown option ${flag}` : `unexpected argument "${argv[i]}"`;
            return { options: {}, problem: `${what}${meant ? ` (did you mean ${meant}?)` : ''}; npm run deploy -- --help lists the options`, secrets: [] };
        }
        options[FLAGS[flag]] = inline ?? argv[++i];
    }
    // Rocket.Chat tolerates a trailing slash; the API paths are appended to it.
    options.url = String(options.url ?? '').replace(/\/+$/, '');
    options.password ??= env.RC_PASSWORD || undefined;
    options.token ??= env.RC_TOKEN || undefined;
    const corrected = options.url ? withScheme(options.url) : undefined;
    const problem = !options.url
        ? 'give the server: --url https://chat.example.com (npm run deploy -- --help lists the options)'
        : corrected
          ? `the server's URL has no scheme: --url ${corrected}`
          : !URL.canParse(options.url)
            ? `--url ${options.url} is not a URL: give it as https://chat.example.com`
            : !(options.username && options.password) && !(options.userId && options.token)
              ? 'give a password in RC_PASSWORD (with --username), or a personal access token in RC_TOKEN (with --userid)'
              : undefined;
    return { options, problem, secrets: [options.password, options.token].filter(Boolean) };
}

/** What Rocket.Chat's app status (the engine's AppStatus) means, in words. */
const STATUS_WORDS = {
    compiler_error_disabled: 'it did not compile',
    invalid_license_disabled: 'its license is not valid',
    invalid_installation_disabled: 'its installation is not valid',
    error_disabled: 'it failed to start',
    manually_disabled: 'an admin disabled it',
    invalid_settings_disabled: 'its settings are not valid',
    disabled: 'it is disabled',
};

/** The end of the success line: whether the app now runs, said in words. */
export function enabledWords(status) {
    if (typeof status !== 'string' || status === '') {
        return '';
    }
    if (status.endsWith('_enabled')) {
        return ' and enabled';
    }
    const why = STATUS_WORDS[status] ?? `Rocket.Chat reports it as ${status.replace(/_/g, ' ')}`;
    return `, but it is not enabled: ${why} (Administration → Apps → Encrypt Group → Logs says more)`;
}

/** Blanks out every secret in a piece of text. */
export function redact(text, secrets) {
    return secrets.reduce((result, secret) => result.split(secret).join('***'), String(text));
}

class DeployError extends Error {}

async function call(url, init, what) {
    let response;
    try {
        response = await fetch(url, init);
    } catch (error) {
        const cause = error.cause?.code ?? error.cause?.errors?.[0]?.code ?? error.cause?.message ?? error.message;
        throw new DeployError(`cannot reach the server (${cause})`);
    }
    const text = await response.text();
    let body;
    try {
        body = JSON.parse(text);
    } catch {
        body = { error: text.trim() || `HTTP ${response.status}` };
    }
    if (!response.ok || body.success === false || body.status === 'error') {
        throw new DeployError(`${what} was refused (HTTP ${response.status}: ${body.message ?? body.error ?? text.trim()})`);
    }
    return body;
}

async function deploy({ url, username, password, userId, token, code }) {
    const headers =
        userId && token
            ? { 'x-user-id': userId, 'x-auth-token': token }
            : await call(
                  `${url}/api/v1/login`,
                  {
                      method: 'POST',
                      headers: { 'content-type': 'application/json' },
                      body: JSON.stringify({ user: username, password, ...(code && { code }) }),
                  },
                  `the login of ${username}`,
              ).then(({ data }) => ({ 'x-user-id': data.userId, 'x-auth-token': data.authToken }));
    const zipPath = packageApp({ quiet: true, ifStale: true, onBuild: () => console.log('Packaging the app (about 20 seconds)…') });
    const { id, name, version } = JSON.parse(readFileSync(new URL('../app.json', import.meta.url), 'utf8'));
    const installed = await fetch(`${url}/api/apps/${id}`, { headers }).then(
        (response) => response.ok,
        () => false,
    );
    const form = new FormData();
    form.append('app', new Blob([readFileSync(zipPath)]), basename(zipPath));
    const { app } = await call(`${url}/api/apps${installed ? `/${id}` : ''}`, { method: 'POST', headers, body: form }, installed ? 'the update' : 'the upload');
    console.log(`${installed ? 'Updated' : 'Installed'} ${name} ${version} on ${url}${enabledWords(app?.status)}.`);
}

async function main() {
    const { options, problem, help, secrets } = deployOptions(process.argv.slice(2), process.env);
    if (help) {
        console.log(USAGE);
        return;
    }
    if (problem) {
        console.error(`npm run deploy: ${problem}`);
        process.exit(2);
    }
    try {
        await deploy(options);
    } catch (error) {
        console.error(`Deploy to ${options.url} failed: ${redact(error instanceof DeployError ? error.message : (error?.stack ?? error), secrets)}`);
        process.exit(1);
    }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    await main();
}
