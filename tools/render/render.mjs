// Renders UI-Kit views with Rocket.Chat's own renderer (@rocket.chat/fuselage-ui-kit, React 17,
// fuselage) in headless Chromium, driven by playwright-core. The renderer's packages live in this
// folder's own package.json, apart from the app's, so the app's install and CI stay light:
// `npm run render:setup` (or the first `npm run render`) installs them. See page.mjs for what the
// published renderer can and cannot draw, and docs/panel.md for how the pictures are made.
//
// Why package.json lists some hundred @react-aria/@react-stately/@react-types/@internationalized
// packages: fuselage 0.31.23 asks for react-aria ~3.19 and react-stately ~3.17, whose parts are
// asked for with ^ ranges; left to float, today's parts depend on the newest react-aria whole
// (40 MB a copy), one copy nested under each part, 1.6 GB and minutes to install. Each part is
// pinned to the version react-aria 3.19 / react-stately 3.17 named, so one copy of each serves
// all, 90 MB. .npmrc turns off npm's automatic peers for the same reason (a type package of
// that era names Adobe's React Spectrum), so the peers that are needed are listed by hand.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RENDER_DIR = dirname(fileURLToPath(import.meta.url));

/** Debian's chromium (`apt-get install chromium`), or the browser named by CHROMIUM. */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const requireHere = createRequire(join(RENDER_DIR, 'package.json'));

/** Why rendering cannot run on this machine, or undefined when it can. */
export function missing() {
    if (!existsSync(CHROMIUM)) {
        return `chromium not installed: apt-get install -y chromium (or set CHROMIUM to a Chromium binary; looked for ${CHROMIUM})`;
    }
    for (const name of ['playwright-core', 'esbuild', '@rocket.chat/fuselage-ui-kit']) {
        try {
            requireHere.resolve(`${name}/package.json`);
        } catch {
            return `render packages not installed (${name} missing): npm run render:setup`;
        }
    }
    return undefined;
}

/** Installs this folder's packages from its lock file (npm ci) when they are not there yet or the lock file changed since. */
export function setup({ force = false } = {}) {
    const installed = join(RENDER_DIR, 'node_modules', '.package-lock.json');
    if (!force && existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(RENDER_DIR, 'package-lock.json')).mtimeMs) {
        return;
    }
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', RENDER_DIR], { stdio: 'inherit' });
}

/** The page's script and style, bundled with esbuild (React in its development build: it warns). */
async function bundle() {
    const esbuild = requireHere('esbuild');
    const result = await esbuild.build({
        entryPoints: [join(RENDER_DIR, 'page.mjs')],
        absWorkingDir: RENDER_DIR,
        bundle: true,
        write: false,
        outdir: join(RENDER_DIR, 'out'),
        format: 'iife',
        platform: 'browser',
        target: 'chrome110',
        define: { 'process.env.NODE_ENV': '"development"' },
        loader: { '.woff2': 'dataurl' },
        logLevel: 'silent',
    });
    const output = (extension) => result.outputFiles.find((file) => file.path.endsWith(extension))?.text ?? '';
    return { js: output('.js'), css: output('.css') };
}

/**
 * A browser with the page loaded. `render(request)` draws one view and answers what happened: the
 * renderer's errors (console errors, page errors, the error boundary's catches), the text and the
 * buttons it drew, and a PNG of the surface when asked for one.
 */
export async function openRenderer({ iconPath } = {}) {
    const reason = missing();
    if (reason) {
        throw new Error(reason);
    }
    const { chromium } = requireHere('playwright-core');
    const { js, css } = await bundle();
    const iconUrl = iconPath ? `data:image/png;base64,${readFileSync(iconPath).toString('base64')}` : undefined;
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    try {
        const page = await browser.newPage({ viewport: { width: 800, height: 600 }, deviceScaleFactor: 2 });
        let errors = [];
        page.on('console', (message) => {
            if (message.type() === 'error' || message.type() === 'warning') {
                errors.push(`console.${message.type()}: ${message.text()}`);
            }
        });
        page.on('pageerror', (error) => errors.push(`page error: ${error.stack || error.message}`));
        // Served from an origin of its own, not about:blank: fuselage's hooks read localStorage,
        // which an opaque origin denies. Nothing leaves the machine: the route answers every request.
        const files = {
            '/': [
                'text/html',
                '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="/page.css"></head><body><div id="root"></div><script src="/page.js"></script></body></html>',
            ],
            '/page.js': ['text/javascript', js],
            '/page.css': ['text/css', css],
        };
        await page.route('**/*', (route) => {
            const file = files[new URL(route.request().url()).pathname];
            return file ? route.fulfill({ contentType: file[0], body: file[1] }) : route.fulfill({ status: 404, body: '' });
        });
        await page.goto('http://render.invalid/');
        if (errors.length) {
            throw new Error(`the render page did not load:\n${errors.join('\n')}`);
        }
        return {
            async render({ surface, view, language = 'en', screenshot = false }) {
                errors = [];
                await page.evaluate((lang) => (document.documentElement.lang = lang), language);
                const caught = await page.evaluate((request) => window.renderSurface(request), { surface, view, iconUrl });
                await page.evaluate(() => document.fonts.ready);
                const drawn = await page.evaluate(() => {
                    const blocks = document.querySelector('[data-blocks]');
                    return {
                        boundary: Boolean(document.querySelector('[data-render-error]')),
                        text: blocks ? blocks.innerText : '',
                        buttons: blocks ? [...blocks.querySelectorAll('button')].map((button) => button.innerText.trim()) : [],
                        surfaceText: document.querySelector('#surface')?.innerText ?? '',
                    };
                });
                const png = screenshot ? await page.locator('#surface').screenshot({ animations: 'disabled' }) : undefined;
                const { boundary, ...shown } = drawn;
                return { errors: [...errors, ...caught, ...(boundary ? ['the error boundary caught an error'] : [])], ...shown, png };
            },
            close: () => browser.close(),
        };
    } catch (error) {
        await browser.close();
        throw error;
    }
}
