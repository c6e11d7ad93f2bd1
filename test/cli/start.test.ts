// `npm start` as a person uses it: mistakes in how it is started get one clear line and exit 2,
// and every way of stopping it (Ctrl-C in a terminal, SIGTERM to it, SIGTERM to its process group)
// ends every process it started within a few seconds, printing nothing more. What it prints fits
// 100 columns, and the file it writes for a shell (`.standin.env`) is there while it runs only.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { eventually } from '../support/eventually';

const ROOT = join(__dirname, '..', '..');
const READY = 'Ctrl-C stops everything.';

interface Started {
    child: ChildProcess;
    output: () => string;
    exited: Promise<number | null>;
    /** Where this start writes its `.standin.env` (a folder of its own, not the repository's file). */
    envFile: string;
}

function npmStart(env: Record<string, string>): Started {
    const envFile = join(mkdtempSync(join(tmpdir(), 'standin-env-')), '.standin.env');
    // Its own process group (detached), as a shell gives a foreground job.
    const child = spawn('npm', ['start', '--silent'], {
        cwd: ROOT,
        env: { ...process.env, STANDIN_ENV_FILE: envFile, ...env },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, output: () => output, exited, envFile };
}

/** The `export NAME='value'` lines of a `.standin.env`. */
function sourced(text: string): Record<string, string> {
    return Object.fromEntries([...text.matchAll(/^export (\w+)='([^']*)'$/gm)].map(([, name, value]) => [name, value]));
}

/**
 * The demo is worth looking at on this profile: the admin's report lists ten groups and more, and
 * a real encryptAll ends `done` with nothing failed (the service account holds what the job needs).
 */
async function checkDemo(env: Record<string, string>): Promise<void> {
    const call = async (path: string, body?: unknown) => {
        const response = await fetch(`${env.RC_URL}/api/apps/public/${env.APP}/${path}`, {
            method: body === undefined ? 'GET' : 'POST',
            headers: { 'x-user-id': env.ADMIN_ID, 'x-auth-token': env.ADMIN_TOKEN, 'content-type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        return response.json();
    };
    const report = await call('groups.encryptionReport');
    assert.ok(report.success && report.totals.groups >= 10, JSON.stringify(report));
    const { jobId } = await call('groups.encryptAll', {});
    assert.ok(jobId, 'no job started');
    let progress: { status?: string; counts: { failed: number; changed: number } } = { counts: { failed: -1, changed: 0 } };
    assert.ok(
        await eventually(async () => (progress = await call(`groups.encryptAll?jobId=${jobId}`)).status !== 'running', 20_000, 250),
        `the job still runs: ${JSON.stringify(progress)}`,
    );
    assert.equal(progress.status, 'done', JSON.stringify(progress));
    assert.equal(progress.counts.failed, 0, JSON.stringify(progress));
    assert.ok(progress.counts.changed > 0, JSON.stringify(progress));
}

/**
 * A cluster's banner lists its instances, and a call works through the balancer (`RC_URL`) and
 * through each instance, which names itself in `X-Standin-Instance`.
 */
async function checkInstances(output: string, env: Record<string, string>, instances: number): Promise<void> {
    const row = output.split('\n').find((line) => line.startsWith('  instances')) ?? '';
    const urls = [...row.matchAll(/\d+: (http:\/\/127\.0\.0\.1:\d+)/g)].map(([, url]) => url);
    assert.equal(urls.length, instances, `the banner lists: ${row}`);
    const status = async (url: string) => {
        const response = await fetch(`${url}/api/apps/public/${env.APP}/groups.getEncrypted?roomId=${env.GROUP_ID}`, {
            headers: { 'x-user-id': env.ALICE_ID, 'x-auth-token': env.ALICE_TOKEN },
        });
        return [response.status, response.headers.get('x-standin-instance')];
    };
    assert.deepEqual(
        await Promise.all(urls.map(status)),
        urls.map((_, index) => [200, String(index + 1)]),
    );
    const [balanced] = await status(env.RC_URL);
    assert.equal(balanced, 200);
}

/** Printed lines wider than a terminal of 100 columns (counted in characters, not bytes). */
function overWide(output: string): Array<string> {
    return output.split('\n').filter((line) => [...line].length > 100);
}

/** Processes of a process group that still run (a zombie has ended and waits to be reaped). */
function runningInGroup(pgid: number): Array<string> {
    const running: Array<string> = [];
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
        try {
            const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
            const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            if (Number(pgrp) === pgid && state !== 'Z') {
                running.push(`${pid} ${stat.slice(stat.indexOf('('), stat.lastIndexOf(')') + 1)}`);
            }
        } catch {
            // ended while we looked
        }
    }
    return running;
}

describe('npm start: mistakes get one line and exit 2', () => {
    for (const [label, env, expected] of [
        ['an RC_VERSION that is no version', { RC_VERSION: 'banana' }, /^RC_VERSION "banana" is not a Rocket\.Chat version/],
        // The app's requiredApiVersion is ^1.42.1; Rocket.Chat 6.7.0 is the first release with that engine.
        [
            'a Rocket.Chat whose Apps-Engine cannot install the app (6.3 ships 1.40)',
            { RC_VERSION: '6.3' },
            /^Rocket\.Chat 6\.3\.0 cannot install this app: it needs a server with Apps-Engine 1\.42\.1 or later \(requiredApiVersion \^1\.42\.1\), that is Rocket\.Chat 6\.7\.0 or later\n?$/,
        ],
        ['a Rocket.Chat 5', { RC_VERSION: '5.4' }, /^Rocket\.Chat 5\.4\.0 cannot install this app: .*Rocket\.Chat 6\.7\.0 or later\n?$/],
        [
            'a Rocket.Chat newer than the stand-in knows',
            { RC_VERSION: '10.0.0' },
            /^Rocket\.Chat 10\.0\.0 is not one the stand-in knows: it stands in for Rocket\.Chat 6\.7\.0 up to 9\.x \(.*\); give RC_VERSION one of those\n?$/,
        ],
        ['a PORT that is no port', { PORT: 'abc' }, /^PORT="abc" is not a port number/],
        ['a number of instances the stand-in does not run', { INSTANCES: '0' }, /^INSTANCES="0" is not a number of instances \(1–8\)\.\n?$/],
    ] as const) {
        test(label, async () => {
            const started = npmStart(env);
            assert.equal(await started.exited, 2);
            rmSync(join(started.envFile, '..'), { recursive: true, force: true });
            assert.match(started.output(), expected);
            assert.equal(started.output().trim().split('\n').length, 1, started.output());
        });
    }

    test('a port already in use', async () => {
        const blocker = createServer();
        await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
        const { port } = blocker.address() as { port: number };
        try {
            const started = npmStart({ PORT: String(port) });
            assert.equal(await started.exited, 2);
            rmSync(join(started.envFile, '..'), { recursive: true, force: true });
            // (A first start may say before that it is packaging the app.)
            assert.equal(
                started.output().trim().split('\n').at(-1),
                `Port ${port} on 127.0.0.1 is in use: stop what runs there, or choose another with PORT=….`,
            );
            assert.doesNotMatch(started.output(), /\n\s+at /, 'a stack trace');
        } finally {
            blocker.close();
        }
    });
});

describe('npm start: its demo works on each generation, and every way of stopping it ends everything within 3 s, printing nothing', () => {
    const ways: Array<[string, string, (child: ChildProcess) => void, number?]> = [
        ['Ctrl-C in a terminal (SIGINT to the group)', '8.0', (child) => process.kill(-child.pid!, 'SIGINT')],
        ['SIGTERM to the npm process', 'v7.3.0', (child) => child.kill('SIGTERM')],
        ['SIGTERM to the process group', '6.10', (child) => process.kill(-child.pid!, 'SIGTERM')],
        ['SIGTERM to the npm process of a cluster', '8.0', (child) => child.kill('SIGTERM'), 2],
    ];
    for (const [label, version, stop, instances] of ways) {
        test(`${label}, RC_VERSION=${version}${instances ? `, INSTANCES=${instances}` : ''}`, async () => {
            const started = npmStart({ PORT: '0', RC_VERSION: version, ...(instances && { INSTANCES: String(instances) }) });
            try {
                assert.ok(await eventually(() => started.output().includes(READY), 60_000), `never ready:\n${started.output()}`);
                const chosen = version.replace(/^v/, '').split('.').concat(['0', '0']).slice(0, 3).join('.');
                assert.match(started.output(), new RegExp(`Rocket\\.Chat ${chosen.replace(/\./g, '\\.')} stand-in, with the behaviour of Rocket\\.Chat`));
                assert.deepEqual(overWide(started.output()), [], 'lines over 100 columns');
                const env = readFileSync(started.envFile, 'utf8');
                for (const name of ['RC_URL', 'APP', 'ADMIN_ID', 'ADMIN_TOKEN', 'ALICE_ID', 'ALICE_TOKEN', 'BOB_ID', 'BOB_TOKEN', 'GROUP_ID', 'DM_ID']) {
                    assert.match(env, new RegExp(`^export ${name}='[^']+'$`, 'm'), name);
                }
                // The banner says a service account is set; nothing printed before it says otherwise.
                assert.doesNotMatch(started.output(), /no service account is set/);
                await checkDemo(sourced(env));
                if (instances) {
                    await checkInstances(started.output(), sourced(env), instances);
                }
                const printed = started.output().length;
                stop(started.child);
                assert.ok(
                    await eventually(() => runningInGroup(started.child.pid!).length === 0, 3000),
                    `still running: ${runningInGroup(started.child.pid!).join(', ')}`,
                );
                assert.equal(started.output().slice(printed), '');
                assert.equal(existsSync(started.envFile), false, '.standin.env left behind');
            } finally {
                rmSync(join(started.envFile, '..'), { recursive: true, force: true });
                for (const left of runningInGroup(started.child.pid!)) {
                    process.kill(Number(left.split(' ')[0]), 'SIGKILL');
                }
            }
        });
    }
});
