import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { SETTINGS } from '../../lib/AppSettings';

const root = join(__dirname, '..', '..');
const languages = readdirSync(join(root, 'i18n')).map((file) => [file, JSON.parse(readFileSync(join(root, 'i18n', file), 'utf8'))] as const);

test('lib/i18n/catalog.ts is generated from the current i18n/*.json', () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-i18n-catalog.mjs'), '--check'], { stdio: 'pipe' });
});

test('every language has exactly the English keys', () => {
    const english = Object.keys(languages.find(([file]) => file === 'en.json')![1]).sort();
    for (const [file, table] of languages) {
        assert.deepEqual(Object.keys(table).sort(), english, file);
    }
});

test('every setting label, description and command text has an English string', () => {
    const [, english] = languages.find(([file]) => file === 'en.json')!;
    const keys = SETTINGS.flatMap((setting) => [setting.i18nLabel, setting.i18nDescription]).concat(['command_description', 'command_params']);
    for (const key of keys) {
        assert.equal(typeof english[key!], 'string', key);
    }
});
