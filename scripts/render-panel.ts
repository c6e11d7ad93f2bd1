// `npm run render`: draws the Encryption panel with Rocket.Chat's own UI-Kit renderer in headless
// Chromium and writes the pictures docs/panel.md shows. The views are the ones the panel's handlers
// send (test/render/catalog.ts); the renderer is tools/render's.
//
// The published renderer (@rocket.chat/fuselage-ui-kit 0.31.23, the newest on the npm registry)
// draws all of the app's blocks (section, context, actions with buttons) but has no contextual-bar
// surface: the panel's blocks go through its modal renderer inside a contextual-bar frame, as
// Rocket.Chat 6.x's client did, and its `mrkdwn` keeps its marks (`*bold*`), which Rocket.Chat's
// client would format with its own, unpublished, Markdown parser. tools/render/page.mjs has the details.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { renderCases } from '../test/render/catalog';
import { CHROMIUM, missing, openRenderer, setup } from '../tools/render/render.mjs';

const ROOT = join(__dirname, '..');

/** Which state goes into which picture: an owner's unencrypted group, in English and German, and the confirmation. */
const PICTURES: Record<string, string> = {
    'off-owner-en': 'docs/panel.png',
    'off-owner-de': 'docs/panel-de.png',
    'confirm-off-en': 'docs/panel-confirm-off.png',
};

async function main(): Promise<void> {
    const started = Date.now();
    if (!/^chromium not installed/.test(missing() ?? '')) {
        setup();
    }
    const reason = missing();
    if (reason) {
        throw new Error(`cannot render: ${reason}`);
    }
    const renderer = await openRenderer({ iconPath: join(ROOT, 'icon.png') });
    try {
        const cases = await renderCases();
        mkdirSync(join(ROOT, 'docs'), { recursive: true });
        for (const [name, file] of Object.entries(PICTURES)) {
            const found = cases.find((candidate) => candidate.name === name);
            if (!found) {
                throw new Error(`no view named ${name}`);
            }
            const result = await renderer.render({ ...found, screenshot: true });
            if (result.errors.length) {
                throw new Error(`the renderer reported errors for ${name}:\n${result.errors.join('\n')}`);
            }
            writeFileSync(join(ROOT, file), result.png!);
            console.log(`${file}: ${name} (${result.png!.length} bytes)`);
        }
    } finally {
        await renderer.close();
    }
    console.log(`Rendered with ${CHROMIUM} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
