// `npm run deploy -- --url <server> --username <admin>` (password in RC_PASSWORD), or with
// `--userid <id>` and a personal access token in RC_TOKEN: `rc-apps deploy` from a staging copy of
// just the app's files. The password and token are read from the environment so that no command
// line holds them — npm prints a script's arguments — and anything rc-apps prints is passed on with
// them blanked out. A failed deploy ends with one line saying what went wrong.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { inStage } from './package-app.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The flags rc-apps takes that carry a secret, and the environment variable each may come from. */
const SECRET_FLAGS = { '--password': 'RC_PASSWORD', '-p': 'RC_PASSWORD', '--token': 'RC_TOKEN', '-t': 'RC_TOKEN' };

export function deployArguments(argv, env) {
    const args = [];
    const secrets = [];
    let url;
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split(/=(.*)/s);
        const value = () => inline ?? argv[++i];
        if (flag === '--url' || flag === '--server' || flag === '-s') {
            // Rocket.Chat tolerates a trailing slash; rc-apps would ask for `//api/…`.
            url = String(value() ?? '').replace(/\/+$/, '');
            args.push('--url', url);
        } else if (flag in SECRET_FLAGS) {
            const secret = value();
            secrets.push(secret);
            args.push(flag.startsWith('--') ? flag : `--${flag === '-p' ? 'password' : 'token'}`, secret);
        } else {
            args.push(argv[i]);
        }
    }
    for (const [flag, variable] of [
        ['--password', 'RC_PASSWORD'],
        ['--token', 'RC_TOKEN'],
    ]) {
        if (!args.includes(flag) && env[variable]) {
            secrets.push(env[variable]);
            args.push(flag, env[variable]);
        }
    }
    const problem = !url
        ? 'give the server: --url https://chat.example.com'
        : !args.includes('--password') && !args.includes('--token')
          ? 'give a password in RC_PASSWORD (with --username), or a personal access token in RC_TOKEN (with --userid)'
          : undefined;
    return { args, secrets: secrets.filter(Boolean), url, problem };
}

/** Blanks out every secret in a piece of output. */
export function redact(text, secrets) {
    return secrets.reduce((result, secret) => result.split(secret).join('***'), text);
}

/** rc-apps' own words after its last "Error:", on one line, without its colours and markers. */
export function reasonOf(output) {
    // eslint-disable-next-line no-control-regex -- the terminal colour codes rc-apps prints
    const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
    const after = plain.slice(plain.lastIndexOf('Error:') + 'Error:'.length);
    return plain.includes('Error:')
        ? after
              .replace(/[›⟿]/g, ' ')
              .replace(/\s+/g, ' ')
              .replace(/\s+-\s*$/, '')
              .trim()
        : '';
}

async function main() {
    const { args, secrets, url, problem } = deployArguments(process.argv.slice(2), process.env);
    if (problem) {
        console.error(`npm run deploy: ${problem}`);
        process.exit(2);
    }
    let output = '';
    const code = await inStage(
        (stage) =>
            new Promise((resolve) => {
                const child = spawn(join(root, 'node_modules', '.bin', 'rc-apps'), ['deploy', ...args], {
                    cwd: stage,
                    env: { ...process.env, NO_UPDATE_NOTIFIER: '1' },
                    stdio: ['ignore', 'pipe', 'pipe'],
                });
                const pass = (stream, to) =>
                    stream.on('data', (chunk) => {
                        const text = redact(String(chunk), secrets);
                        output += text;
                        to.write(text);
                    });
                pass(child.stdout, process.stdout);
                pass(child.stderr, process.stderr);
                child.on('error', (error) => {
                    output += `Error: ${redact(error.message, secrets)}`;
                    resolve(1);
                });
                child.on('close', (status) => resolve(status ?? 1));
            }),
    );
    if (code !== 0) {
        console.error(`Deploy to ${url} failed: ${reasonOf(output) || `rc-apps exit code ${code}`}`);
        process.exit(1);
    }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    await main();
}
