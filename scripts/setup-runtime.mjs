// postinstall: makes the Apps-Engine 1.62 Deno runtime start offline (toolchain notes).
// - its deno.jsonc imports three jsr: packages (not reachable here): small local stand-ins are
//   mapped in their place, and the lock that pins them is switched off;
// - it maps `@rocket.chat/apps-engine/` to a `src/` folder the npm tarball does not ship: mapped to
//   the package root, with the one runtime import of a `.ts` file sent to its compiled `.js`;
// - then `deno cache` fills the runtime's DENO_DIR from the npm registry, so AppManager's
//   `deno run --cached-only` finds everything.
// Idempotent: the pristine config is kept beside it and every run starts from that.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const engineDir = dirname(require.resolve('apps-engine-1.62/package.json'));
const runtimeDir = join(engineDir, 'deno-runtime');
const config = join(runtimeDir, 'deno.jsonc');
const pristine = `${config}.orig`;
const shims = join(runtimeDir, 'offline-std');

const SHIMS = {
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
    'io.ts': `// Stand-in for jsr:@std/io writeAll.
export async function writeAll(writer: { write(p: Uint8Array): Promise<number> }, data: Uint8Array): Promise<void> {
    let written = 0;
    while (written < data.length) {
        written += await writer.write(data.subarray(written));
    }
}
`,
    'streams.ts': `// Stand-in for jsr:@std/streams toArrayBuffer.
export function toArrayBuffer(readable: ReadableStream<Uint8Array>): Promise<ArrayBuffer> {
    return new Response(readable).arrayBuffer();
}
`,
};

if (!existsSync(pristine)) {
    copyFileSync(config, pristine);
}
const settings = JSON.parse(readFileSync(pristine, 'utf8'));
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
settings.lock = false;
mkdirSync(shims, { recursive: true });
for (const [file, text] of Object.entries(SHIMS)) {
    writeFileSync(join(shims, file), text);
}
writeFileSync(config, JSON.stringify(settings, null, '\t'));

const deno = join(dirname(require.resolve('deno/package.json')), '..', '.bin', 'deno');
execFileSync(existsSync(deno) ? deno : 'deno', ['cache', `--config=${config}`, 'main.ts'], {
    cwd: runtimeDir,
    stdio: 'inherit',
    env: { ...process.env, DENO_DIR: process.env.DENO_DIR ?? join(engineDir, '.deno-cache') },
});
