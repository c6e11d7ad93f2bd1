// What `npm start` prints fits 100 columns: the line breaker, and every profile's banner through it
// (8.8 and later add a sentence on the Node.js runtime the stand-in cannot run).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { serverProfile } from '../standin/generations';
import { COLUMNS, wrapLine } from '../standin/wrap';

const wrapped = (text: string) => text.split('\n').flatMap((line) => wrapLine(line));

test('every profile banner, 6.7 to 9.x, prints within 100 columns and keeps every word', () => {
    for (const version of ['6.7', '6.10', '7.2', '7.4', '8.0', '8.8', '9.0', '9.3']) {
        const { banner } = serverProfile(version);
        const lines = wrapped(banner);
        assert.deepEqual(
            lines.filter((line) => line.length > COLUMNS),
            [],
            version,
        );
        assert.equal(lines.join(' ').split(/\s+/).join(' '), banner.split(/\s+/).join(' '), version);
        assert.match(
            lines[0],
            new RegExp(`^Rocket\\.Chat ${serverProfile(version).version.replace(/\./g, '\\.')} stand-in, with the behaviour of Rocket\\.Chat`),
        );
    }
});

test('a banner row continues under its value, a [stand-in] line under its text, anything else two spaces deeper', () => {
    const row = `  service account ${'word '.repeat(30).trim()}`;
    const rows = wrapLine(row);
    assert.ok(rows.length > 1);
    assert.ok(rows.slice(1).every((line) => line.startsWith(' '.repeat(18) + 'word')));
    const value = wrapLine(`${' '.repeat(18)}${'word '.repeat(30).trim()}`);
    assert.ok(value.length > 1 && value.every((line) => line.startsWith(' '.repeat(18) + 'word')));
    const logged = wrapLine(`[stand-in] app warning: ${'word '.repeat(30).trim()}`);
    assert.ok(logged.slice(1).every((line) => line.startsWith(' '.repeat(11) + 'word')));
    const prose = wrapLine(`Rocket.Chat ${'word '.repeat(30).trim()}`);
    assert.ok(prose.slice(1).every((line) => line.startsWith('  word')));
    for (const line of [...rows, ...value, ...logged, ...prose]) {
        assert.ok(line.length <= COLUMNS, line);
    }
});

test('a word longer than the line (a token, a URL) is left whole, and short lines are untouched', () => {
    const token = 'x'.repeat(120);
    assert.deepEqual(wrapLine(`token ${token} end`), ['token', `  ${token}`, '  end']);
    assert.deepEqual(wrapLine('short'), ['short']);
});
