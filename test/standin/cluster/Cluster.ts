// The stand-in as a cluster, as a workspace that outgrows one server runs Rocket.Chat: N instances,
// each its own process with its own Apps-Engine runtime, rate limiter and scheduler, all over one
// database (a SQLite file, as the instances share one MongoDB), behind a round-robin balancer that
// `Site_Url` names. Each instance fires events only for what it saved, and agenda's lock runs each
// job once across the cluster (../apps/scheduler.ts). What it does not model: MongoDB's
// consistency (SQLite serialises every write, so no instance ever reads a stale copy) and an
// instance that dies holding a job's lock (the jobs it locked wait out agenda's lock lifetime).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { Balancer } from './Balancer';
import { type ServerProfile, serverProfile } from '../generations';
import { type ClusterMember, seedWorkspace } from '../server';
import { Storage } from '../storage/Storage';

export interface ClusterOptions {
    /** The Rocket.Chat version every instance behaves as (see ../generations.ts). */
    version?: string;
    /** The balancer's port; instance i listens on port + i. 0 (the default): any free ports. */
    port?: number;
    instances: number;
    log?: (line: string) => void;
}

export interface StandinCluster {
    /** The balancer's URL, which `Site_Url` names. */
    url: string;
    /** Each instance's own URL, instance 1 first. */
    instanceUrls: Array<string>;
    profile: ServerProfile;
    /** This process's connection to the cluster's database (set-up, as an admin's shell on MongoDB). */
    storage: Storage;
    /** Stops every instance and the balancer, and removes the database. */
    close(): Promise<void>;
    /** The same, at once (a signal to `npm start`). */
    kill(): void;
}

const INSTANCE_ENTRY = join(__dirname, 'instance.ts');
/** How long an instance may take to start its Apps-Engine runtime and listen. */
const START_TIMEOUT_MS = 120_000;

export async function startCluster(options: ClusterOptions): Promise<StandinCluster> {
    const profile = serverProfile(options.version);
    const log = options.log ?? (() => undefined);
    const dir = mkdtempSync(join(tmpdir(), 'standin-cluster-'));
    const storage = new Storage(join(dir, 'rocketchat.sqlite'));
    seedWorkspace(storage, profile);
    const balancer = new Balancer();
    const children: Array<ChildProcess> = [];
    const kill = () => {
        balancer.close();
        for (const child of children) {
            child.kill('SIGTERM');
        }
        storage.database.close();
        rmSync(dir, { recursive: true, force: true });
    };
    try {
        const url = await balancer.listen(options.port ?? 0);
        storage.settings.set('Site_Url', url);
        const secret = randomBytes(16).toString('hex');
        const instanceUrls = await Promise.all(
            Array.from({ length: options.instances }, (_, index) => {
                const instance = index + 1;
                const member: ClusterMember = { database: join(dir, 'rocketchat.sqlite'), instance, siteUrl: url, secret };
                const child = spawn(process.execPath, ['--import', 'tsx', INSTANCE_ENTRY], {
                    env: {
                        ...process.env,
                        RC_VERSION: profile.version,
                        PORT: String(options.port ? options.port + instance : 0),
                        STANDIN_CLUSTER_MEMBER: JSON.stringify(member),
                    },
                    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
                });
                children.push(child);
                return ready(child, instance, log);
            }),
        );
        children.forEach((child, index) => child.send({ peers: instanceUrls.filter((_, other) => other !== index) }));
        balancer.setTargets(instanceUrls);
        return {
            url,
            instanceUrls,
            profile,
            storage,
            kill,
            close: async () => {
                const exits = children.filter((child) => child.exitCode === null).map((child) => new Promise((resolve) => child.once('exit', resolve)));
                kill();
                await Promise.all(exits);
            },
        };
    } catch (error) {
        kill();
        throw error;
    }
}

/** The instance's URL once it listens; its output goes to `log`, each line naming it. */
function ready(child: ChildProcess, instance: number, log: (line: string) => void): Promise<string> {
    const output: Array<string> = [];
    for (const stream of [child.stdout!, child.stderr!]) {
        createInterface({ input: stream }).on('line', (line) => {
            output.push(line);
            log(`instance ${instance}: ${line}`);
        });
    }
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`instance ${instance} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
        child.on('message', (message: { ready?: string }) => {
            if (message.ready) {
                clearTimeout(timer);
                resolve(message.ready);
            }
        });
        child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`instance ${instance} ended (exit ${code}) before it was ready:\n${output.slice(-20).join('\n')}`));
        });
    });
}
