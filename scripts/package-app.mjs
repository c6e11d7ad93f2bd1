// `npm run package`: builds dist/encrypt-group_<version>.zip with `rc-apps package`, run on a copy
// of just the app's files. rc-apps zips every non-dot file of the folder it runs in (lock file,
// tsconfig, lint config…) and rewrites app.json in place; a staging copy keeps the working tree
// untouched, and the package.json rc-apps insists on is taken out of the zip afterwards.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';

import AdmZip from 'adm-zip';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const APP_FILES = ['app.json', 'icon.png', 'EncryptGroupApp.ts', 'commands', 'endpoints', 'lib', 'i18n'];
/** What a Rocket.Chat server needs from the zip, and all it gets. */
export const SHIPPED = /^(\.packagedby|app\.json|icon\.png|[\w/]+\.js|i18n\/[\w-]+\.json)$/;

/** The newest modification time among the app's files (and the engine pin in package.json). */
function newestSource(path = root, entries = [...APP_FILES, 'package.json', 'scripts/package-app.mjs']) {
    return Math.max(
        ...entries.map((entry) => {
            const stats = statSync(join(path, entry));
            return stats.isDirectory() ? newestSource(join(path, entry), readdirSync(join(path, entry))) : stats.mtimeMs;
        }),
    );
}

/**
 * `ifStale`: reuse dist/'s zip when no app file changed since it was built (tests call this).
 * `onBuild` is told before a build starts, which takes rc-apps some 20 seconds.
 */
export function packageApp({ quiet = false, ifStale = false, onBuild = () => undefined } = {}) {
    const { nameSlug, version } = JSON.parse(readFileSync(join(root, 'app.json'), 'utf8'));
    const zipPath = join(root, 'dist', `${nameSlug}_${version}.zip`);
    if (ifStale && existsSync(zipPath) && statSync(zipPath).mtimeMs > newestSource()) {
        return zipPath;
    }
    onBuild();
    return inStage((stage) => {
        rcApps(stage, ['package'], quiet);
        const [zip] = readdirSync(join(stage, 'dist')).filter((file) => file.endsWith('.zip'));
        // A fresh archive rather than deleting entries in place: adm-zip rewrites rc-apps' entries
        // without their data descriptors, and then cannot read its own output.
        const built = new AdmZip(join(stage, 'dist', zip));
        const archive = new AdmZip();
        for (const entry of built.getEntries()) {
            if (!entry.isDirectory && SHIPPED.test(entry.entryName)) {
                archive.addFile(entry.entryName, entry.entryName === 'app.json' ? withDeclaredInterfaces(entry.getData()) : entry.getData());
            }
        }
        mkdirSync(join(root, 'dist'), { recursive: true });
        archive.writeZip(zipPath);
        return zipPath;
    });
}

/**
 * The packaged app.json's `implements`, with every interface the main class names. The runtime
 * registers an app's event handlers from that list only, and rc-apps fills it from the class's
 * `implements` clause filtered by the interfaces of the Apps-Engine it compiles against (1.42.1):
 * `IPostSystemMessageSent` (1.49+) would be dropped and the guard would never hear of a change.
 * Engines that do not know a name ignore it.
 */
function withDeclaredInterfaces(appJson) {
    const manifest = JSON.parse(appJson.toString('utf8'));
    const source = readFileSync(join(root, manifest.classFile), 'utf8');
    const clause = /class\s+\w+\s+extends\s+App\s+implements\s+([\w\s,]+?)\s*\{/.exec(source)?.[1] ?? '';
    const named = clause
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
    manifest.implements = [...new Set([...(manifest.implements ?? []), ...named])];
    return Buffer.from(JSON.stringify(manifest, null, 4));
}

/**
 * Runs `run` in a staging copy of just the app's files (rc-apps takes whatever the folder holds),
 * removed when `run` is done — when the promise it returns settles, if it returns one.
 */
export function inStage(run) {
    const stage = mkdtempSync(join(tmpdir(), 'encrypt-group-package-'));
    const remove = () => rmSync(stage, { recursive: true, force: true });
    let result;
    try {
        for (const entry of APP_FILES) {
            cpSync(join(root, entry), join(stage, entry), { recursive: true });
        }
        // rc-apps reads the engine version (requiredApiVersion) from the devDependencies.
        copyFileSync(join(root, 'package.json'), join(stage, 'package.json'));
        symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'), 'dir');
        result = run(stage);
    } catch (error) {
        remove();
        throw error;
    }
    if (result && typeof result.then === 'function') {
        return result.finally(remove);
    }
    remove();
    return result;
}

export function rcApps(stage, args, quiet) {
    execFileSync(join(root, 'node_modules', '.bin', 'rc-apps'), args, {
        cwd: stage,
        stdio: quiet ? 'pipe' : 'inherit',
        env: { ...process.env, NO_UPDATE_NOTIFIER: '1' },
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    console.log(`Packaged: ${packageApp({ ifStale: process.argv.includes('--if-stale') })}`);
}
