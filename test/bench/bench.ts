// `npm run bench`: the app's speed and size, measured through the stand-in and the real
// Apps-Engine runtime (Rocket.Chat 8.0 profile, or RC_VERSION's). Prints a table, then one JSON line.
// Times are wall-clock on a shared machine: compare ratios within one run, not across runs.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';

import { packageApp } from '../../scripts/package-app.mjs';
import { childProcesses } from '../support/processes';
import { RestClient } from '../support/RestClient';
import { createRoom, subscribe } from '../standin/core/rooms';
import { createUser } from '../standin/core/users';
import { startStandin } from '../standin/server';
import type { RawUser } from '../standin/storage/Storage';

const WARM_UP = 30;
const TOGGLES = 300;
const SIZE_ROUNDS = 100;
const MEMORY_FIRST = 200;
const MEMORY_TOTAL = 2000;
const GUARD_ROUNDS = 100;
const HISTORY_CHANGES = 1000;
/** A pause after each timed call of the toggle rounds (see quietly). */
const SETTLE_MS = 15;

function percentile(samples: Array<number>, p: number): number {
    const sorted = [...samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timed(run: () => Promise<unknown>): Promise<number> {
    const start = process.hrtime.bigint();
    await run();
    return Number(process.hrtime.bigint() - start) / 1e6;
}

function rssMb(): number {
    global.gc?.();
    return process.memoryUsage().rss / 2 ** 20;
}

/** Resident memory of this process's children (the app's Deno subprocess). */
function childrenRssMb(): number {
    return childProcesses().reduce((sum, child) => sum + child.rssKb, 0) / 1024;
}

async function main(): Promise<void> {
    const began = Date.now();
    const zipPath = packageApp({ quiet: true, ifStale: true });
    const standin = await startStandin({ port: 0, version: process.env.RC_VERSION });
    const { storage, state } = standin;
    createUser(storage, { username: 'admin', password: 'bench-admin', roles: ['admin', 'user'] });
    const admin = await RestClient.login(standin.url, 'admin', 'bench-admin');
    await admin.post('settings/E2E_Enable', { value: true });
    // Thousands of calls by one non-admin: off, as on a real test workspace (Rocket.Chat allows 10 a minute per route).
    await admin.post('settings/API_Enable_Rate_Limiter', { value: false });

    const installMs = await timed(() => admin.installApp(readFileSync(zipPath), basename(zipPath)));
    const appId = JSON.parse(readFileSync('app.json', 'utf8')).id;

    // Bulk seeding goes straight into the storage: it is set-up, not what is measured.
    createUser(storage, { username: 'owner', password: 'bench-owner' });
    const owner = await RestClient.login(standin.url, 'owner', 'bench-owner');
    const ownerUser = storage.users.get(owner.userId) as RawUser;
    const groupOf = (size: number) => {
        const room = createRoom(storage, 'p', `bench-${size}`, ownerUser, []);
        for (let i = 1; i < size; i++) {
            subscribe(storage, room, createUser(storage, { username: `m${size}-${i}` })._id);
        }
        return room._id;
    };
    const groups = { 5: groupOf(5), 500: groupOf(500), 5000: groupOf(5000) };
    const hidden = createRoom(storage, 'p', 'bench-hidden', storage.users.get(admin.userId) as RawUser, [])._id;
    const service = createUser(storage, { username: 'bench-service', password: 'bench-service', roles: ['admin', 'user'] });
    const serviceClient = await RestClient.login(standin.url, service.username, 'bench-service');
    await admin.setAppSettings(appId, { service_account_user_id: serviceClient.userId, service_account_token: serviceClient.authToken });
    const { room: dm } = await owner.post('im.create', { username: 'encrypt-group.bot' });

    let flip = false;
    const toggle = async (roomId: string) => {
        flip = !flip;
        const answer = await owner.appCall(appId, 'groups.setEncrypted', 'POST', { roomId, encrypted: flip });
        if (answer.status !== 200) {
            throw new Error(`toggle failed: ${answer.status} ${JSON.stringify(answer.body)}`);
        }
    };
    const refused = async () => {
        const answer = await owner.appCall(appId, `groups.getEncrypted?roomId=${hidden}`, 'GET');
        if (answer.status !== 400) {
            throw new Error(`expected a refusal: ${answer.status}`);
        }
    };
    const command = async () => {
        flip = !flip;
        const answer = await owner.command('encrypt', `${flip ? 'on' : 'off'} #bench-5`, dm._id);
        if (answer.status !== 200) {
            throw new Error(`command failed: ${answer.status} ${JSON.stringify(answer.body)}`);
        }
    };
    const core = async () => {
        flip = !flip;
        await owner.post('groups.setEncrypted', { roomId: groups[5], encrypted: flip });
    };
    // The app's own calls to the server's REST API, by route (they go through the HTTP bridge).
    const restCalls = new Map<string, number>();
    const serverFetch = state.fetch;
    state.fetch = (url, init) => {
        const route = new URL(url).pathname.replace('/api/v1/', '');
        restCalls.set(route, (restCalls.get(route) ?? 0) + 1);
        return serverFetch(url, init);
    };
    const callsDuring = async (count: number, run: () => Promise<void>) => {
        const bridges = new Map(state.bridgeCalls);
        const rest = new Map(restCalls);
        for (let i = 0; i < count; i++) {
            await run();
        }
        const per = (now: Map<string, number>, before: Map<string, number>) =>
            [...now].map(([name, n]) => [name, (n - (before.get(name) ?? 0)) / count] as const).filter(([, n]) => n > 0);
        const bridgePer = per(state.bridgeCalls, bridges);
        const restPer = per(restCalls, rest);
        const sum = (list: ReadonlyArray<readonly [string, number]>) => list.reduce((total, [, n]) => total + n, 0);
        return { bridge: sum(bridgePer), bridgePer, rest: sum(restPer), restPer };
    };
    type Calls = Awaited<ReturnType<typeof callsDuring>>;
    const bridgeCount = (calls: Calls, name: string) => calls.bridgePer.find(([bridge]) => bridge === name)?.[1] ?? 0;
    const listed = (list: ReadonlyArray<readonly [string, number]>) => list.map(([name, n]) => `${name}×${n}`).join(', ') || 'none';

    // Cold: the app instance has read nothing yet (no permission table, no look at the runtime).
    const coldToggle = await callsDuring(1, () => toggle(groups[5]));
    const coldCommand = await callsDuring(1, command);

    for (let i = 0; i < WARM_UP; i++) {
        await toggle(groups[5]);
        await refused();
        await command();
    }

    // Interleaved: each round takes one sample of each, so machine noise lands on all alike. Each
    // sample starts quiet: what a call sets off after its answer (on 7.4+ the server's event for
    // the change, which the app handles after the caller has its answer — for the core route, by
    // recording the change) is let settle first, so it is not counted in the next sample.
    const toggleSamples: Array<number> = [];
    const noopSamples: Array<number> = [];
    const commandSamples: Array<number> = [];
    // The user's alternative: Rocket.Chat's own route on the same server.
    const coreSamples: Array<number> = [];
    const quietly = async (samples: Array<number>, run: () => Promise<unknown>) => {
        samples.push(await timed(run));
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    };
    for (let i = 0; i < TOGGLES; i++) {
        await quietly(toggleSamples, () => toggle(groups[5]));
        await quietly(noopSamples, refused);
        await quietly(commandSamples, command);
        await quietly(coreSamples, core);
    }
    // Interleaved rounds, so machine noise lands on every size alike.
    const sizeSamples: Record<number, Array<number>> = { 5: [], 500: [], 5000: [] };
    for (let round = 0; round < SIZE_ROUNDS; round++) {
        for (const size of [5, 500, 5000] as const) {
            sizeSamples[size].push(await timed(() => toggle(groups[size])));
        }
    }
    const perToggle = await callsDuring(50, () => toggle(groups[5]));
    const perRefusal = await callsDuring(50, refused);
    const perCommand = await callsDuring(50, command);

    // The guard: from Rocket.Chat's own switch-off to the group encrypted again, measured in the
    // stand-in's storage (exact, no polling over HTTP); its cost in bridge calls.
    await admin.setAppSettings(appId, { allow_turning_off: false });
    const guarded = groups[5];
    const switchOff = async () => {
        if (storage.rooms.get(guarded)?.encrypted !== true) {
            await owner.post('groups.setEncrypted', { roomId: guarded, encrypted: true });
        }
        const started = process.hrtime.bigint();
        await owner.post('groups.setEncrypted', { roomId: guarded, encrypted: false });
        while (storage.rooms.get(guarded)?.encrypted !== true) {
            if (Number(process.hrtime.bigint() - started) / 1e6 > 5000) {
                throw new Error('the guard did not switch the group back on within 5 s');
            }
            await new Promise((resolve) => setImmediate(resolve));
        }
        return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const guardSamples: Array<number> = [];
    for (let i = 0; i < GUARD_ROUNDS; i++) {
        guardSamples.push(await switchOff());
    }
    const perGuard = await callsDuring(20, async () => void (await switchOff()));
    await admin.setAppSettings(appId, { allow_turning_off: true });

    // The history: reading a group's history costs the same with few changes recorded or thousands.
    const historyRead = () => owner.appCall(appId, `groups.encryptionHistory?roomId=${groups[500]}`, 'GET');
    const perHistoryFew = await callsDuring(20, async () => void (await historyRead()));
    const historyFewSamples: Array<number> = [];
    for (let i = 0; i < 50; i++) {
        historyFewSamples.push(await timed(historyRead));
    }
    for (let i = 0; i < HISTORY_CHANGES; i++) {
        await toggle(groups[500]);
    }
    const perHistoryMany = await callsDuring(20, async () => void (await historyRead()));
    const historyManySamples: Array<number> = [];
    for (let i = 0; i < 50; i++) {
        historyManySamples.push(await timed(historyRead));
    }

    const memory = storage.messages.size;
    for (let i = 0; i < MEMORY_FIRST; i++) {
        await toggle(groups[5]);
    }
    const rssAt200 = rssMb();
    const appRssAt200 = childrenRssMb();
    for (let i = MEMORY_FIRST; i < MEMORY_TOTAL; i++) {
        await toggle(groups[5]);
    }
    const rssAt2000 = rssMb();
    const appRssAt2000 = childrenRssMb();
    const storedMessages = storage.messages.size - memory;

    // The admin's view: the coverage report as the workspace grows to 100, 1,000 and 5,000 private
    // groups, and the encryptAll job's throughput over the first 100. Groups are seeded straight
    // into storage (the stand-in's groups.seed); the admin is in none of them.
    const privateGroups = () => [...storage.rooms.values()].filter((room) => room.t === 'p').length;
    const seed = async (count: number, label: string) => {
        if (count > 0) {
            await admin.post('standin/groups.seed', { count, prefix: `cover-${label}`, ownerId: owner.userId });
        }
    };
    const report = async (query: Record<string, string>) => {
        const answer = await admin.appCall(appId, `groups.encryptionReport?${new URLSearchParams(query)}`, 'GET');
        if (answer.status !== 200) {
            throw new Error(`report failed: ${answer.status} ${JSON.stringify(answer.body)}`);
        }
    };
    const coverage: Record<number, { scanMs: number; pageMs: number; scan: Calls; page: Calls }> = {};
    const measureReport = async (total: number) => {
        await seed(total - privateGroups(), String(total));
        const scan = await callsDuring(1, () => report({ refresh: 'true', count: '1' }));
        const scanSamples: Array<number> = [];
        for (let i = 0; i < 3; i++) {
            scanSamples.push(await timed(() => report({ refresh: 'true', count: '1' })));
        }
        const pageSamples: Array<number> = [];
        for (let i = 0; i < 20; i++) {
            // Full pages only, each a different one where there are several.
            pageSamples.push(await timed(() => report({ count: '50', offset: String((i % Math.floor(total / 50)) * 50) })));
        }
        const page = await callsDuring(10, () => report({ count: '50' }));
        coverage[total] = { scanMs: percentile(scanSamples, 50), pageMs: percentile(pageSamples, 50), scan, page };
    };
    await measureReport(100);
    // The job over every group there is now (100), as the service account: timed from its start to
    // the last group encrypted, watched in the stand-in's storage so that polling adds no calls.
    const unencrypted = () => [...storage.rooms.values()].filter((room) => room.t === 'p' && room.encrypted !== true).length;
    const jobGroups = unencrypted();
    let jobSeconds = 0;
    let jobId = '';
    const jobCalls = await callsDuring(1, async () => {
        const began = process.hrtime.bigint();
        const started = await admin.appCall(appId, 'groups.encryptAll', 'POST', {});
        if (started.status !== 200) {
            throw new Error(`encryptAll failed: ${started.status} ${JSON.stringify(started.body)}`);
        }
        jobId = started.body.jobId;
        while (unencrypted() > 0) {
            if (Number(process.hrtime.bigint() - began) / 1e9 > 120) {
                throw new Error('the encryptAll job did not end within 2 minutes');
            }
            await new Promise((resolve) => setTimeout(resolve, 10));
        }
        jobSeconds = Number(process.hrtime.bigint() - began) / 1e9;
    });
    for (let status = 'running'; status === 'running'; await new Promise((resolve) => setTimeout(resolve, 100))) {
        status = (await admin.appCall(appId, `groups.encryptAll?jobId=${jobId}`, 'GET')).body.status;
    }
    await measureReport(1000);
    await measureReport(5000);

    // The reconcile over 5,000 protected groups: every private group is made encrypted (set-up,
    // straight into storage); an update of the app starts it, and its start scans the workspace as
    // the service account, so the app knows them all as encrypted. Then recurring runs are made due
    // now and timed to the moment each saves its report (watched in the stand-in's storage).
    storage.database.atomically(() => {
        for (const room of storage.rooms.values()) {
            if (room.t === 'p' && !room.archived && !room.federated) {
                storage.updateRoom(room._id, (found) => {
                    found.encrypted = true;
                });
            }
        }
    });
    const lastRun = () =>
        storage.appRecords.holdingAll(appId, [{ model: 'misc', id: 'encryption-watch' }])[0]?.data.lastRun as { at: string; checked: number } | undefined;
    const runEnded = async (after: string | undefined, limitS: number) => {
        const began = process.hrtime.bigint();
        while (lastRun()?.at === after) {
            if (Number(process.hrtime.bigint() - began) / 1e9 > limitS) {
                throw new Error(`the reconcile did not end within ${limitS} s`);
            }
            await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return lastRun()!;
    };
    const beforeStart = lastRun()?.at;
    await admin.installApp(readFileSync(zipPath), basename(zipPath));
    await runEnded(beforeStart, 120);
    const reconcileSamples: Array<number> = [];
    let reconcileCalls: Calls | undefined;
    let protectedGroups = 0;
    for (let i = 0; i < 3; i++) {
        const calls = await callsDuring(1, async () => {
            const previous = lastRun()?.at;
            const began = process.hrtime.bigint();
            await admin.request('POST', '/standin/scheduler.runNow', { processor: 'encryption-reconcile' });
            protectedGroups = (await runEnded(previous, 60)).checked;
            reconcileSamples.push(Number(process.hrtime.bigint() - began) / 1e6);
        });
        reconcileCalls ??= calls;
    }

    const result = {
        toggle_p50_ms: round(percentile(toggleSamples, 50)),
        toggle_p99_ms: round(percentile(toggleSamples, 99)),
        noop_p50_ms: round(percentile(noopSamples, 50)),
        command_p50_ms: round(percentile(commandSamples, 50)),
        core_toggle_p50_ms: round(percentile(coreSamples, 50)),
        app_added_p50_ms: round(percentile(toggleSamples, 50) - percentile(coreSamples, 50)),
        app_added_vs_noop: round((percentile(toggleSamples, 50) - percentile(coreSamples, 50)) / percentile(noopSamples, 50)),
        size_p50_ms: { 5: round(percentile(sizeSamples[5], 50)), 500: round(percentile(sizeSamples[500], 50)), 5000: round(percentile(sizeSamples[5000], 50)) },
        size_ratio_5000_vs_5: round(percentile(sizeSamples[5000], 50) / percentile(sizeSamples[5], 50)),
        bridge_calls_per_toggle: perToggle.bridge,
        rest_calls_per_toggle: perToggle.rest,
        bridge_calls_per_toggle_cold: coldToggle.bridge,
        rest_calls_per_toggle_cold: coldToggle.rest,
        bridge_calls_per_refusal: perRefusal.bridge,
        bridge_calls_per_command: perCommand.bridge,
        rest_calls_per_command: perCommand.rest,
        bridge_calls_per_command_cold: coldCommand.bridge,
        rest_calls_per_command_cold: coldCommand.rest,
        zip_bytes: statSync(zipPath).size,
        install_ms: round(installMs),
        rss_growth_mb: round(rssAt2000 - rssAt200),
        app_runtime_rss_growth_mb: round(appRssAt2000 - appRssAt200),
        guard_reaction_p50_ms: round(percentile(guardSamples, 50)),
        guard_reaction_p99_ms: round(percentile(guardSamples, 99)),
        bridge_calls_per_guard_switch_back: perGuard.bridge,
        rest_calls_per_guard_switch_back: perGuard.rest,
        history_read_p50_ms_few: round(percentile(historyFewSamples, 50)),
        history_read_p50_ms_after_1000_changes: round(percentile(historyManySamples, 50)),
        bridge_calls_per_history_read: { few: round(perHistoryFew.bridge), after_1000_changes: round(perHistoryMany.bridge) },
        report_scan_ms: { 100: round(coverage[100].scanMs), 1000: round(coverage[1000].scanMs), 5000: round(coverage[5000].scanMs) },
        report_page_of_50_ms: { 100: round(coverage[100].pageMs), 1000: round(coverage[1000].pageMs), 5000: round(coverage[5000].pageMs) },
        report_page_ratio_5000_vs_100: round(coverage[5000].pageMs / coverage[100].pageMs),
        report_scan_ms_per_group: { 100: round(coverage[100].scanMs / 100), 5000: round(coverage[5000].scanMs / 5000) },
        report_page_calls: { bridge: coverage[5000].page.bridge, rest: coverage[5000].page.rest },
        report_scan_calls_5000: { bridge: coverage[5000].scan.bridge, rest: coverage[5000].scan.rest },
        job_groups_per_s: round(jobGroups / jobSeconds),
        job_groups: jobGroups,
        job_bridge_calls_per_group: round(jobCalls.bridge / jobGroups),
        job_rest_calls_per_group: round(jobCalls.rest / jobGroups),
        // Bridge and REST together, each REST call once: it is the HTTP bridge's call that carries it.
        bulk_calls_per_group: round((jobCalls.bridge - bridgeCount(jobCalls, 'HttpBridge.call') + jobCalls.rest) / jobGroups),
        reconcile_protected_groups: protectedGroups,
        reconcile_ms: round(percentile(reconcileSamples, 50)),
        reconcile_ms_per_group: round(percentile(reconcileSamples, 50) / protectedGroups),
        reconcile_calls_per_group: round((reconcileCalls!.bridge - bridgeCount(reconcileCalls!, 'HttpBridge.call') + reconcileCalls!.rest) / protectedGroups),
        duration_s: round((Date.now() - began) / 1000),
    };

    const rows: Array<[string, string]> = [
        ['toggle via endpoint, p50 / p99', `${result.toggle_p50_ms} / ${result.toggle_p99_ms} ms (${TOGGLES} toggles)`],
        ['floor: refused status call, p50', `${result.noop_p50_ms} ms`],
        ['toggle via commands.run, p50', `${result.command_p50_ms} ms`],
        [
            'toggle p50 by group size 5 / 500 / 5000',
            `${result.size_p50_ms[5]} / ${result.size_p50_ms[500]} / ${result.size_p50_ms[5000]} ms (ratio 5000:5 = ${result.size_ratio_5000_vs_5})`,
        ],
        ['core groups.setEncrypted, p50', `${result.core_toggle_p50_ms} ms`],
        ['what the app adds to the core route, p50', `${result.app_added_p50_ms} ms = ${result.app_added_vs_noop} × the floor`],
        ['endpoint toggle, warm: bridge calls', `${perToggle.bridge}: ${listed(perToggle.bridgePer)}`],
        ['endpoint toggle, warm: REST calls', `${perToggle.rest}: ${listed(perToggle.restPer)}`],
        [
            'endpoint toggle, cold: bridge / REST calls',
            `${coldToggle.bridge}: ${listed(coldToggle.bridgePer)} / ${coldToggle.rest}: ${listed(coldToggle.restPer)}`,
        ],
        ['/encrypt toggle, warm: bridge calls', `${perCommand.bridge}: ${listed(perCommand.bridgePer)}`],
        ['/encrypt toggle, warm: REST calls', `${perCommand.rest}: ${listed(perCommand.restPer)}`],
        [
            '/encrypt toggle, cold: bridge / REST calls',
            `${coldCommand.bridge}: ${listed(coldCommand.bridgePer)} / ${coldCommand.rest}: ${listed(coldCommand.restPer)}`,
        ],
        ['bridge calls per refusal', `${perRefusal.bridge}: ${listed(perRefusal.bridgePer)}`],
        ['zip', `${result.zip_bytes} bytes`],
        ['install + enable', `${result.install_ms} ms`],
        [
            'stand-in RSS after 200 / 2000 toggles',
            `${round(rssAt200)} / ${round(rssAt2000)} MB (growth ${result.rss_growth_mb} MB; ${storedMessages} room messages stored meanwhile)`,
        ],
        ['app runtime (Deno) RSS after 200 / 2000', `${round(appRssAt200)} / ${round(appRssAt2000)} MB (growth ${result.app_runtime_rss_growth_mb} MB)`],
        [
            'guard: core switch-off → encrypted again, p50 / p99',
            `${result.guard_reaction_p50_ms} / ${result.guard_reaction_p99_ms} ms (${GUARD_ROUNDS} switch-offs)`,
        ],
        [
            'guard: calls per switch-back (with the core route)',
            `${perGuard.bridge} bridge: ${listed(perGuard.bridgePer)} / ${perGuard.rest} REST: ${listed(perGuard.restPer)}`,
        ],
        [
            'history read, p50 and bridge calls',
            `${result.history_read_p50_ms_few} ms, ${round(perHistoryFew.bridge)} calls with few changes; ${result.history_read_p50_ms_after_1000_changes} ms, ${round(perHistoryMany.bridge)} calls after ${HISTORY_CHANGES} more`,
        ],
        [
            'coverage report, whole scan at 100 / 1000 / 5000 groups',
            `${result.report_scan_ms[100]} / ${result.report_scan_ms[1000]} / ${result.report_scan_ms[5000]} ms (${result.report_scan_ms_per_group[100]} / ${result.report_scan_ms_per_group[5000]} ms per group at 100 / 5000)`,
        ],
        [
            'coverage report, a page of 50 at 100 / 1000 / 5000',
            `${result.report_page_of_50_ms[100]} / ${result.report_page_of_50_ms[1000]} / ${result.report_page_of_50_ms[5000]} ms (ratio 5000:100 = ${result.report_page_ratio_5000_vs_100})`,
        ],
        [
            'coverage report, calls per page of 50 (warm)',
            `${coverage[5000].page.bridge} bridge: ${listed(coverage[5000].page.bridgePer)} / ${coverage[5000].page.rest} REST`,
        ],
        [
            'coverage report, calls per scan of 5000',
            `${coverage[5000].scan.bridge} bridge / ${coverage[5000].scan.rest} REST: ${listed(coverage[5000].scan.restPer)}`,
        ],
        [
            'encryptAll job, every unencrypted group',
            `${jobGroups} switched on in ${round(jobSeconds)} s = ${result.job_groups_per_s} groups/s; per group ${result.job_bridge_calls_per_group} bridge: ${listed(jobCalls.bridgePer.map(([name, n]) => [name, round(n / jobGroups)] as const))} / ${result.job_rest_calls_per_group} REST: ${listed(jobCalls.restPer.map(([name, n]) => [name, round(n / jobGroups)] as const))}`,
        ],
        [
            'reconcile, a recurring run',
            `${result.reconcile_ms} ms over ${protectedGroups} protected groups = ${result.reconcile_ms_per_group} ms a group; ${result.reconcile_calls_per_group} calls a group: ${listed(reconcileCalls!.bridgePer.map(([name, n]) => [name, round(n / protectedGroups)] as const))}`,
        ],
        ['encryptAll, calls per group (bridge and REST, each REST call once)', `${result.bulk_calls_per_group}`],
        ['run time', `${result.duration_s} s`],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    console.log(`Encrypt Group benchmark — ${standin.profile.banner.replace(/\n/g, ' ')}, node ${process.version}`);
    for (const [label, value] of rows) {
        console.log(`${label.padEnd(width)}  ${value}`);
    }
    await standin.close();
    console.log(JSON.stringify(result));
}

function round(value: number): number {
    return Math.round(value * 100) / 100;
}

main().then(
    () => process.exit(0),
    (error) => {
        console.error(error);
        process.exit(1);
    },
);
