// The seed-shaped group and the reply language: small pure functions the entry points rely on.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { groupView } from '../../lib/GroupView';
import { translate } from '../../lib/i18n/translate';

const base = {
    id: 'r1',
    slugifiedName: 'team-x',
    displayName: 'Team X',
    type: 'p',
    creator: { id: 'u1', username: 'olivia' },
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: '2026-01-02T00:00:00.000Z',
    messageCount: 3,
    isReadOnly: false,
} as unknown as IRoom;

test('groupView: newer servers map teamId/teamMain, older ones leave them unmapped; both come out the same', () => {
    const newer = groupView({ ...base, teamId: 't1', isTeamMain: true, _unmappedProperties_: { encrypted: true, usersCount: 4 } } as IRoom);
    const older = groupView({ ...base, _unmappedProperties_: { encrypted: true, usersCount: 4, teamId: 't1', teamMain: true } } as IRoom);
    assert.deepEqual(newer, older);
    assert.deepEqual(newer, {
        _id: 'r1',
        fname: 'Team X',
        encrypted: true,
        teamMain: true,
        name: 'team-x',
        t: 'p',
        msgs: 3,
        usersCount: 4,
        u: { _id: 'u1', username: 'olivia' },
        ts: '2026-01-01T00:00:00.000Z',
        ro: false,
        teamId: 't1',
        _updatedAt: '2026-01-02T00:00:00.000Z',
    });
});

test('groupView: nothing is made up for fields the server did not send', () => {
    const view = groupView({ ...base, createdAt: undefined, _unmappedProperties_: {} } as unknown as IRoom);
    assert.equal('ts' in view, false);
    assert.equal('encrypted' in view, false);
    assert.equal('usersCount' in view, false);
});

test("translate: the user's language, its base language, else English; placeholders filled once", () => {
    const user = (language?: string) => ({ settings: language ? { preferences: { language } } : undefined }) as unknown as IUser;
    assert.equal(
        translate(user('de'), 'refusal_write-failed'),
        'Die Änderung konnte nicht gespeichert werden; nichts wurde geändert. Bitte später erneut versuchen.',
    );
    assert.equal(
        translate(user('DE-at'), 'refusal_write-failed'),
        'Die Änderung konnte nicht gespeichert werden; nichts wurde geändert. Bitte später erneut versuchen.',
    );
    assert.equal(translate(user('pt-BR'), 'refusal_write-failed'), 'The change could not be saved; nothing was changed. Please try again later.');
    assert.equal(translate(user(), 'refusal_write-failed'), 'The change could not be saved; nothing was changed. Please try again later.');
    assert.equal(translate(user('__proto__'), 'refusal_write-failed'), 'The change could not be saved; nothing was changed. Please try again later.');
    assert.equal(translate(user(), 'reply_enabled', { group: '{group}' }), 'End-to-end encryption is now on for #{group}.');
    assert.equal(translate(user(), 'reply_status_on', {}), 'End-to-end encryption is on for #{group}.');
});
