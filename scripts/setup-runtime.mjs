// postinstall: makes the Apps-Engine Deno runtimes start offline, with only the npm registry to reach.
// 1.62 (Rocket.Chat 7.4+, `deno` 2.x from node_modules/.bin):
// - its deno.jsonc imports three jsr: packages (not reachable here): small local stand-ins are
//   mapped in their place, and the lock that pins them is switched off;
// - it maps `@rocket.chat/apps-engine/` to a `src/` folder the npm tarball does not ship: mapped to
//   the package root, with the one runtime import of a `.ts` file sent to its compiled `.js`.
// 1.46 (Rocket.Chat 6.11–7.3, Deno 1.46 through the deno-bin stand-in in test/standin/deno-bin):
// - `lib/messenger.ts` imports https://deno.land/std@0.216.0/io/write_all.ts: mapped to a local
//   stand-in (its deno.lock pins only npm packages besides, so it stays on);
// - `lib/require.ts` turns `@rocket.chat/apps-engine/…` into a path by deleting the first "src/"
//   of the whole path, which breaks under any folder named src: mapped to a stand-in that asks the
//   import map (now pointing at the package root) instead;
// - the engine spawns `deno run` without --config (the deno-bin stand-in adds it) and always with
//   DENO_DIR=<engine>/.deno-cache, so that is the cache filled here, whatever DENO_DIR says.
// Then `deno cache` fills each runtime's DENO_DIR from the npm registry, so the runtime's `deno run`
// finds everything without the network.
// Idempotent: the pristine config is kept beside it and every run starts from that.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

const IO_SHIM = `// Stand-in for jsr:@std/io writeAll (and deno.land/std io/write_all.ts).
export async function writeAll(writer: { write(p: Uint8Array): Promise<number> }, data: Uint8Array): Promise<void> {
    let written = 0;
    while (written < data.length) {
        written += await writer.write(data.subarray(written));
    }
}
`;

/** Patch `<engine>/deno-runtime/deno.jsonc` from its pristine copy, write the shims, `deno cache`. */
function prepare({ engine, deno, denoDir, env = {}, lock = false, shims, patch }) {
    const engineDir = dirname(require.resolve(`${engine}/package.json`));
    const runtimeDir = join(engineDir, 'deno-runtime');
    const config = join(runtimeDir, 'deno.jsonc');
    const pristine = `${config}.orig`;
    if (!existsSync(pristine)) {
        copyFileSync(config, pristine);
    }
    // deno.jsonc may hold comments; the shipped ones hold none (JSON.parse would say so).
    const settings = JSON.parse(readFileSync(pristine, 'utf8'));
    patch(settings);
    if (lock) {
        // `deno cache` may rewrite the lock (another Deno, another lock version): start from the shipped one.
        const lockFile = join(runtimeDir, 'deno.lock');
        if (!existsSync(`${lockFile}.orig`)) {
            copyFileSync(lockFile, `${lockFile}.orig`);
        }
        copyFileSync(`${lockFile}.orig`, lockFile);
    } else {
        settings.lock = false;
    }
    mkdirSync(join(runtimeDir, 'offline-std'), { recursive: true });
    for (const [file, text] of Object.entries(shims)) {
        writeFileSync(join(runtimeDir, 'offline-std', file), text);
    }
    writeFileSync(config, JSON.stringify(settings, null, '\t'));
    execFileSync(deno, ['cache', `--config=${config}`, 'main.ts'], {
        cwd: runtimeDir,
        stdio: 'inherit',
        env: { ...process.env, ...env, DENO_DIR: denoDir ?? process.env.DENO_DIR ?? join(engineDir, '.deno-cache') },
    });
}

// Apps-Engine 1.62, deno 2.x.
const deno2 = join(dirname(require.resolve('deno/package.json')), '..', '.bin', 'deno');
prepare({
    engine: 'apps-engine-1.62',
    deno: existsSync(deno2) ? deno2 : 'deno',
    shims: {
        'cli.ts': `// Stand-in for jsr:@std/cli parseArgs: "--key value" pairs, numbers as numbers, bare flags true.
export function parseArgs(args: string[]): Record<string, unknown> {
    const parsed: Record<string, unknown> = { _: [] };
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (!arg.startsWith('--')) {
            (parsed._ as unknown[]).push(arg);
            continue;
        }
        const [key, inline] = arg.slice(2).split(/=(.*)/s);
        const value = inline ?? (args[i + 1] !== undefined && !args[i + 1].startsWith('--') ? args[++i] : true);
        parsed[key] = typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
    }
    return parsed;
}
`,
        'io.ts': IO_SHIM,
        'streams.ts': `// Stand-in for jsr:@std/streams toArrayBuffer.
export function toArrayBuffer(readable: ReadableStream<Uint8Array>): Promise<ArrayBuffer> {
    return new Response(readable).arrayBuffer();
}
`,
    },
    patch(settings) {
        for (const key of Object.keys(settings.imports)) {
            if (key.startsWith('@std/')) {
                delete settings.imports[key];
            }
        }
        Object.assign(settings.imports, {
            '@std/cli/parse-args': './offline-std/cli.ts',
            '@std/io': './offline-std/io.ts',
            '@std/streams': './offline-std/streams.ts',
            '@rocket.chat/apps-engine/': './../',
            '@rocket.chat/apps-engine/definition/exceptions/AppsEngineException.ts': './../definition/exceptions/AppsEngineException.js',
        });
    },
});

// Apps-Engine 1.46, Deno 1.46 (the deno-bin stand-in's binary). The registry has deno@1.46.3's
// binary for linux-x64-glibc only: elsewhere the 1.46 profile is left unprepared, with a warning.
const engine146 = dirname(require.resolve('apps-engine-1.46/package.json'));
// What the engine spawns: <dirname(require.resolve('deno-bin'))>/bin/deno, resolved from the engine.
const denoBin = dirname(createRequire(join(engine146, 'package.json')).resolve('deno-bin'));
if (!existsSync(join(denoBin, 'node_modules', 'deno', 'deno'))) {
    console.warn(
        `setup-runtime: no Deno 1.46 binary for ${process.platform}-${process.arch}: the 6.11–7.3 stand-in profile (Apps-Engine 1.46) cannot run here`,
    );
    process.exit(0);
}
prepare({
    engine: 'apps-engine-1.46',
    deno: join(denoBin, 'bin', 'deno'),
    denoDir: join(engine146, '.deno-cache'),
    // Deno 1.x trusts only its bundled roots unless told to use the system's (as npm and Deno 2 do).
    env: { DENO_TLS_CA_STORE: process.env.DENO_TLS_CA_STORE ?? 'system,mozilla' },
    // Its deno.lock pins only npm packages (and the remapped deno.land file): kept.
    lock: true,
    shims: {
        'io.ts': IO_SHIM,
        'require.ts': `// Stand-in for deno-runtime/lib/require.ts: the engine's own files through the import map.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const _require = createRequire(import.meta.url);

export const require = (mod: string) => _require(mod.startsWith('@rocket.chat/apps-engine') ? fileURLToPath(import.meta.resolve(mod)) : mod);
`,
    },
    patch(settings) {
        Object.assign(settings.imports, {
            'https://deno.land/std@0.216.0/io/write_all.ts': './offline-std/io.ts',
            './lib/require.ts': './offline-std/require.ts',
            '@rocket.chat/apps-engine/': './../',
        });
    },
});
