// `npm run deploy` as a person uses it against a server (the stand-in, started here): a base URL
// with a trailing slash works, the zip it installs is the packaged one (its app.json names the
// guard's event), a second deploy updates, and a failed deploy says why in one last line — with no
// password anywhere in what it prints.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { createUser } from '../standin/core/users';
import { type Standin, startStandin } from '../standin/server';

const ROOT = join(__dirname, '..', '..');
const PASSWORD = 'S3cret-admin-pw!';
const APP_ID = 'db028aaf-6e0e-4c44-a2fe-4d038948e0f5';

function deploy(args: Array<string>, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
        const child = spawn('npm', ['run', 'deploy', '--silent', '--', ...args], {
            cwd: ROOT,
            env: { ...process.env, ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        child.on('close', (code) => resolve({ code, output }));
    });
}

describe('npm run deploy', () => {
    let standin: Standin;
    before(async () => {
        standin = await startStandin({ port: 0 });
        createUser(standin.storage, { username: 'admin', password: PASSWORD, roles: ['admin', 'user'] });
    });
    after(() => standin.close());

    test('installs the app; a trailing slash on --url is fine', async () => {
        const { code, output } = await deploy(['--url', `${standin.url}/`, '--username', 'admin'], { RC_PASSWORD: PASSWORD });
        assert.equal(code, 0, output);
        assert.ok(standin.host.isInstalled(APP_ID));
        // Said in words, not as the engine's status name.
        assert.match(output, new RegExp(`^Installed Encrypt Group \\S+ on ${standin.url} and enabled\\.$`, 'm'));
        assert.doesNotMatch(output, /_enabled/);
        assert.ok(!output.includes(PASSWORD));
        // The zip `npm run package` builds, whose app.json names the event the guard listens for
        // and the UI-kit handler the panel needs (newer servers hand interactions only to apps that declare it).
        assert.deepEqual(standin.host.implementsOf(APP_ID), ['IUIKitInteractionHandler', 'IPostSystemMessageSent']);
        const again = await deploy(['--url', standin.url, '--username', 'admin'], { RC_PASSWORD: PASSWORD });
        assert.equal(again.code, 0, again.output);
        assert.match(again.output, new RegExp(`^Updated Encrypt Group \\S+ on ${standin.url} and enabled\\.$`, 'm'));
    });

    test('a wrong password: one line says so, the password is printed nowhere', async () => {
        const { code, output } = await deploy(['--url', standin.url, '--username', 'admin'], { RC_PASSWORD: 'not-the-password' });
        assert.equal(code, 1);
        assert.equal(output.trim().split('\n').at(-1), `Deploy to ${standin.url} failed: the login of admin was refused (HTTP 401: Unauthorized)`);
        assert.ok(!output.includes('not-the-password'), output);
        assert.doesNotMatch(output, /\n\s+at /, 'a stack trace');
    });

    test('an unreachable server: one line says so, the password is printed nowhere', async () => {
        // A port that was free a moment ago, so nothing answers there.
        const probe = createServer();
        await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
        const { port } = probe.address() as { port: number };
        await new Promise((resolve) => probe.close(resolve));
        const { code, output } = await deploy(['--url', `http://127.0.0.1:${port}`, '--username', 'admin'], { RC_PASSWORD: PASSWORD });
        assert.equal(code, 1);
        assert.equal(output.trim().split('\n').at(-1), `Deploy to http://127.0.0.1:${port} failed: cannot reach the server (ECONNREFUSED)`);
        assert.ok(!output.includes(PASSWORD));
    });

    // rc-apps' own flags for secrets: npm has printed the value before the script runs, and the
    // shell keeps it. Refused in one line, which says so and where the secret goes instead.
    for (const [args, variable] of [
        [['--password', PASSWORD], 'RC_PASSWORD'],
        [['-p', PASSWORD], 'RC_PASSWORD'],
        [[`--password=${PASSWORD}`], 'RC_PASSWORD'],
        [['--token', PASSWORD], 'RC_TOKEN'],
        [['-t', PASSWORD], 'RC_TOKEN'],
    ] as const) {
        test(`${args[0].replace(/=.*/, '=…')} on the command line: refused in one line naming ${variable}, before anything runs`, async () => {
            const { code, output } = await deploy(['--url', standin.url, '--username', 'admin', '--userid', 'x', ...args], {});
            assert.equal(code, 2, output);
            const lines = output.trim().split('\n');
            assert.equal(lines.length, 1, output);
            assert.match(
                lines[0],
                /^npm run deploy: (--password|-p|--token|-t) is refused: npm has just printed its value and it is now in your shell history/,
            );
            assert.match(lines[0], new RegExp(`give it in ${variable} `));
            assert.match(lines[0], /RC_PASSWORD/);
            assert.match(lines[0], /RC_TOKEN/);
            assert.ok(!output.includes(PASSWORD), output);
        });
    }

    test('no password or token: says how to give one, before anything runs', async () => {
        const { code, output } = await deploy(['--url', standin.url, '--username', 'admin'], { RC_PASSWORD: '' });
        assert.equal(code, 2);
        assert.match(output.trim(), /^npm run deploy: give a password in RC_PASSWORD/);
    });

    test('--help prints the usage and exits 0, before anything runs', async () => {
        for (const flag of ['--help', '-h']) {
            const { code, output } = await deploy([flag], {});
            assert.equal(code, 0, output);
            assert.match(output, /^Usage: npm run deploy -- --url <server> --username <admin>/);
            for (const option of ['--url', '--username', '--userid', '--code', 'RC_PASSWORD', 'RC_TOKEN']) {
                assert.ok(output.includes(option), option);
            }
        }
    });

    test('a mistyped option: one line naming it and the option meant, before anything runs', async () => {
        const { code, output } = await deploy(['--url', standin.url, '--usernme', 'admin'], { RC_PASSWORD: PASSWORD });
        assert.equal(code, 2, output);
        assert.equal(output.trim(), 'npm run deploy: unknown option --usernme (did you mean --username?); npm run deploy -- --help lists the options');
    });

    test('a URL without a scheme: one line saying so, with the URL corrected', async () => {
        const bare = standin.url.replace(/^http:\/\//, '');
        const { code, output } = await deploy(['--url', bare, '--username', 'admin'], { RC_PASSWORD: PASSWORD });
        assert.equal(code, 2, output);
        assert.equal(output.trim(), `npm run deploy: the server's URL has no scheme: --url ${standin.url}`);
        const remote = await deploy(['--url', 'chat.example.com', '--username', 'admin'], { RC_PASSWORD: PASSWORD });
        assert.equal(remote.output.trim(), "npm run deploy: the server's URL has no scheme: --url https://chat.example.com");
    });
});
