// Every view the Encryption panel sends, drawn by Rocket.Chat's own UI-Kit renderer
// (@rocket.chat/fuselage-ui-kit) in headless Chromium: each panel state and the confirmation modal,
// in English and German. A view fails when the renderer complains (a console error or warning, a
// page error, its error boundary) or draws less than the view says: the renderer drops a block of a
// type it does not know without a word, so every text and button the blocks carry must show.
//
// Needs Debian's chromium and tools/render's packages (`npm run render:setup`); without them the
// rendering is skipped with the reason, never passed (the check that the views cover every state
// needs no browser and always runs). docs/panel.md says where it runs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';

import { missing, openRenderer } from '../../tools/render/render.mjs';
import { type RenderCase, renderCases } from './catalog';

type Renderer = Awaited<ReturnType<typeof openRenderer>>;

/** Every text object in a block or element, wherever it sits: what the renderer must draw. */
function textsOf(node: unknown): Array<string> {
    if (Array.isArray(node)) {
        return node.flatMap(textsOf);
    }
    if (!node || typeof node !== 'object') {
        return [];
    }
    const record = node as Record<string, unknown>;
    if ((record.type === 'plain_text' || record.type === 'mrkdwn') && typeof record.text === 'string') {
        return [record.text];
    }
    return Object.values(record).flatMap(textsOf);
}

/** The labels of the buttons among the blocks, in order. */
function buttonsOf(blocks: Array<Record<string, unknown>>): Array<string> {
    return blocks.flatMap((block) =>
        Array.isArray(block.elements)
            ? (block.elements as Array<Record<string, unknown>>).filter((element) => element.type === 'button').flatMap((element) => textsOf(element.text))
            : [],
    );
}

const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim();

const reason = missing();

test('the views cover every block the panel builds, each guard sentence and both switch styles, in each language', async () => {
    const cases = await renderCases();
    for (const language of ['en', 'de']) {
        const blocks = cases.filter((one) => one.language === language).flatMap((one) => one.view.blocks as Array<Record<string, unknown>>);
        const ids = new Set(blocks.map((block) => block.blockId));
        for (const id of ['outcome', 'outcome-words', 'state', 'guard', 'rights', 'rights-words', 'switch', 'on-warning', 'refusal', 'meaning', 'policy']) {
            assert.ok(ids.has(id), `${language}: a view with the ${id} block`);
        }
        assert.equal(new Set(blocks.filter((block) => block.blockId === 'guard').flatMap(textsOf)).size, 3, `${language}: the three guard policies`);
        const buttons = blocks
            .flatMap((block) => (Array.isArray(block.elements) ? (block.elements as Array<Record<string, unknown>>) : []))
            .filter((element) => element.type === 'button');
        assert.deepEqual(new Set(buttons.map((button) => button.style)), new Set(['primary', 'danger']), `${language}: switch on (primary) and off (danger)`);
    }
});

describe("Rocket.Chat's UI-Kit renderer draws every view of the Encryption panel", () => {
    if (reason) {
        test('every panel state and the confirmation, in English and German', (t) => t.skip(reason));
        return;
    }

    let renderer: Renderer;
    let cases: Array<RenderCase> = [];
    before(async () => {
        cases = await renderCases();
        renderer = await openRenderer({ iconPath: join(__dirname, '..', '..', 'icon.png') });
    });
    after(() => renderer?.close());

    test('every panel state and the confirmation, in English and German', async (t) => {
        assert.ok(cases.length >= 30, `${cases.length} views`);
        assert.deepEqual(new Set(cases.map((one) => one.surface)), new Set(['contextual-bar', 'modal']));
        for (const one of cases) {
            await t.test(one.name, async () => {
                const blocks = one.view.blocks as Array<Record<string, unknown>>;
                assert.ok(Array.isArray(blocks) && blocks.length > 0, 'the view carries blocks');
                const drawn = await renderer.render(one);
                assert.deepEqual(drawn.errors, [], 'the renderer reported no error');
                assert.notEqual(squeeze(drawn.text), '', 'the blocks drew something');
                const shown = squeeze(drawn.text);
                for (const text of textsOf(blocks)) {
                    assert.ok(shown.includes(squeeze(text)), `drawn: ${JSON.stringify(text)}\nin: ${JSON.stringify(shown)}`);
                }
                assert.deepEqual(drawn.buttons, buttonsOf(blocks), 'every button of the blocks, and no other');
                const surface = squeeze(drawn.surfaceText);
                for (const text of textsOf([one.view.title, one.view.submit, one.view.close])) {
                    assert.ok(surface.includes(squeeze(text)), `the surface shows ${JSON.stringify(text)}`);
                }
            });
        }
    });
});
