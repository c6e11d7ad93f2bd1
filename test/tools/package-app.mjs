// `npm run package`: builds dist/encrypt-group_<version>.zip with `rc-apps package`, run on a copy
// of just the app's files. rc-apps zips every non-dot file of the folder it runs in (lock file,
// tsconfig, lint config…) and rewrites app.json in place; a staging copy keeps the working tree
// untouched, and the package.json rc-apps insists on is taken out of the zip afterwards.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import AdmZip from 'adm-zip';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const APP_FILES = ['app.json', 'icon.png', 'EncryptGroupApp.ts', 'commands', 'endpoints', 'lib', 'i18n'];
/** What a Rocket.Chat server needs from the zip, and all it gets. */
export const SHIPPED = /^(\.packagedby|app\.json|icon\.png|[\w/]+\.js|i18n\/[\w-]+\.json)$/;

export function packageApp({ quiet = false } = {}) {
    const stage = mkdtempSync(join(tmpdir(), 'encrypt-group-package-'));
    try {
        for (const entry of APP_FILES) {
            cpSync(join(root, entry), join(stage, entry), { recursive: true });
        }
        // rc-apps reads the engine version (requiredApiVersion) from the devDependencies.
        copyFileSync(join(root, 'package.json'), join(stage, 'package.json'));
        symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'), 'dir');
        execFileSync(join(root, 'node_modules', '.bin', 'rc-apps'), ['package'], {
            cwd: stage,
            stdio: quiet ? 'pipe' : 'inherit',
            env: { ...process.env, NO_UPDATE_NOTIFIER: '1' },
        });
        const [zip] = readdirSync(join(stage, 'dist')).filter((file) => file.endsWith('.zip'));
        const archive = new AdmZip(join(stage, 'dist', zip));
        for (const entry of archive.getEntries()) {
            if (!entry.isDirectory && !SHIPPED.test(entry.entryName)) {
                archive.deleteFile(entry.entryName);
            }
        }
        mkdirSync(join(root, 'dist'), { recursive: true });
        archive.writeZip(join(root, 'dist', zip));
        return join(root, 'dist', zip);
    } finally {
        rmSync(stage, { recursive: true, force: true });
    }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    console.log(`Packaged: ${packageApp()}`);
}
