import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { SETTINGS } from '../../lib/AppSettings';
import type { GroupRow } from '../../lib/coverage/GroupRow';
import type { WorkspaceSummary } from '../../lib/coverage/WorkspaceSummary';
import { Replies } from '../../lib/i18n/Replies';

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

describe('counts in replies read as counts: one and many', () => {
    const english = { id: 'e', username: 'e', settings: { preferences: { language: 'en' } } } as unknown as IUser;
    const german = { id: 'g', username: 'g', settings: { preferences: { language: 'de' } } } as unknown as IUser;
    const row = (members: number) => ({ id: `r${members}`, name: `r${members}`, displayName: `group-${members}`, members }) as GroupRow;
    const summary = (groups: number, encrypted: number, largest: Array<GroupRow> = []) =>
        ({
            totals: { groups, encrypted, notEncrypted: groups - encrypted, cannotEncrypt: { total: 0, federated: 0, 'e2e-disabled': 0 }, archived: 0 },
            largest,
            scannedAt: '2026-11-27T10:02:11.512Z',
        }) as WorkspaceSummary;
    const first = (user: IUser, report: WorkspaceSummary) => new Replies(user).summary(report).split('\n')[0];

    test('/encrypt report: "1 is not", "2 are not"; one group and many', () => {
        assert.equal(
            first(english, summary(1, 0)),
            'Encryption across the workspace (scan of 2026-11-27 10:02): of 1 private group, 0 are encrypted and 1 is not.',
        );
        assert.equal(
            first(english, summary(3, 1)),
            'Encryption across the workspace (scan of 2026-11-27 10:02): of 3 private groups, 1 is encrypted and 2 are not.',
        );
        assert.equal(
            first(german, summary(1, 0)),
            'Verschlüsselung im Workspace (Stand 2026-11-27 10:02): von 1 privaten Gruppe sind 0 verschlüsselt, 1 nicht.',
        );
        assert.equal(
            first(german, summary(3, 1)),
            'Verschlüsselung im Workspace (Stand 2026-11-27 10:02): von 3 privaten Gruppen ist 1 verschlüsselt, 2 nicht.',
        );
    });

    test('/encrypt report: "1 member", "2 members" (and in German)', () => {
        const lines = (user: IUser) => new Replies(user).summary(summary(3, 0, [row(2), row(1)])).split('\n');
        assert.deepEqual(lines(english).slice(2, 4), ['group-2: 2 members', 'group-1: 1 member']);
        assert.deepEqual(lines(german).slice(2, 4), ['group-2: 2 Mitglieder', 'group-1: 1 Mitglied']);
    });

    test('no reply sends people to a README they do not have', () => {
        for (const [file, table] of languages) {
            for (const [key, text] of Object.entries(table as Record<string, string>)) {
                assert.doesNotMatch(text, /README/, `${file} ${key}`);
            }
        }
    });

    test('every plural choice in the catalog is in the one form translate reads', () => {
        for (const [file, table] of languages) {
            for (const [key, text] of Object.entries(table as Record<string, string>)) {
                const choices = text.match(/\{\w+, plural,/g) ?? [];
                const readable = text.match(/\{\w+, plural, one \{[^{}]*\} other \{[^{}]*\}\}/g) ?? [];
                assert.equal(readable.length, choices.length, `${file} ${key}`);
            }
        }
    });
});
