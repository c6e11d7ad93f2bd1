// Malformed requests by the hundred, through the server and the real runtime: every answer a clean
// 4xx, never a 5xx, nothing changed, and the app still enabled and answering afterwards.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import type { Person, Scenario, World } from '../scenario';

const MEGABYTE = 'x'.repeat(1024 * 1024);
/** One of every JSON type, and the strings and objects that break naive handlers. */
const HOSTILE_VALUES: Array<[string, unknown]> = [
    ['null', null],
    ['true', true],
    ['false', false],
    ['0', 0],
    ['1', 1],
    ['-1', -1],
    ['1.5', 1.5],
    ['1e308', 1e308],
    ['empty string', ''],
    ['"true"', 'true'],
    ['"false"', 'false'],
    ['a word', 'nope'],
    ['spaces', '   '],
    ['empty array', []],
    ['array of true', [true]],
    ['array of ids', ['a', 'b']],
    ['empty object', {}],
    ['$ne null', { $ne: null }],
    ['$gt empty', { $gt: '' }],
    ['$regex', { $regex: '.*' }],
    ['$where', { $where: 'sleep(1000)' }],
    ['1 MB string', MEGABYTE],
    ['control characters', '\u0000\u0001\u001f\u007f\n\r\t'],
    ['unicode', '秘密🔒\u202e\ufeff'],
    ['__proto__ string', '__proto__'],
    ['__proto__ key', JSON.parse('{"__proto__": {"encrypted": true}}')],
    ['constructor string', 'constructor'],
    ['nested object', { a: { b: { c: [1, { d: null }] } } }],
];

function hasProtoKey(value: unknown): boolean {
    return typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, '__proto__');
}

const INVALID_JSON = ['{', '{"encrypted": tru}', "{'roomId': 'x'}", 'NaN', '{"a":1,}', '\u0000', '[', '"unterminated', '{"encrypted": true', '}{'];

interface Probe {
    label: string;
    body: string | undefined;
    contentType?: string;
    method?: string;
}

/**
 * `protoKeys`: whether bodies with a `__proto__` key may be sent. On the Deno runtimes (Rocket.Chat
 * 6.11+: Apps-Engine 1.46 and 1.62) they may not: see the `todo` test below.
 */
function bodyProbes(w: World, protoKeys: boolean): Array<Probe> {
    const probes: Array<Probe> = [];
    const json = (label: string, value: unknown) => probes.push({ label, body: JSON.stringify(value), contentType: 'application/json' });
    for (const [name, value] of HOSTILE_VALUES.filter(([, candidate]) => protoKeys || !hasProtoKey(candidate))) {
        if (typeof value !== 'boolean') {
            json(`encrypted = ${name}`, { roomId: w.group._id, encrypted: value });
        }
        json(`roomId = ${name}`, { roomId: value, encrypted: true });
        json(`roomName = ${name}`, { roomName: value, encrypted: true });
        json(`whole body = ${name}`, value);
    }
    for (const text of INVALID_JSON) {
        probes.push({ label: `invalid JSON ${JSON.stringify(text)}`, body: text, contentType: 'application/json' });
    }
    const valid = JSON.stringify({ roomId: w.group._id, encrypted: true });
    for (const contentType of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', undefined]) {
        probes.push({ label: `content type ${contentType ?? 'missing'}`, body: valid, contentType });
    }
    probes.push({ label: 'form-encoded strings', body: `roomId=${w.group._id}&encrypted=true`, contentType: 'application/x-www-form-urlencoded' });
    probes.push({ label: 'empty body', body: undefined, contentType: 'application/json' });
    probes.push({ label: 'empty JSON object', body: '{}', contentType: 'application/json' });
    if (protoKeys) {
        probes.push({
            label: '__proto__ carrying the fields',
            body: `{"__proto__": {"roomId": "${w.group._id}", "encrypted": true}}`,
            contentType: 'application/json',
        });
    }
    probes.push({
        label: 'constructor.prototype carrying the fields',
        body: `{"constructor": {"prototype": {"encrypted": true}}, "roomId": "${w.group._id}"}`,
        contentType: 'application/json',
    });
    probes.push({
        label: 'ten thousand keys',
        body: JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]))),
        contentType: 'application/json',
    });
    // Deeper than this is refused by the engine's msgpack encoder (depth 100) on the Deno runtime:
    // Rocket.Chat answers 500 before the app runs. Deep enough to hurt a recursive handler.
    probes.push({ label: 'deep nesting', body: `{"roomId": ${'['.repeat(60)}${']'.repeat(60)}, "encrypted": true}`, contentType: 'application/json' });
    return probes;
}

const COMMAND_ARGUMENTS = [
    'maybe',
    'ON OFF',
    'on #',
    'on # #',
    'on #a #b',
    'status #nope-not-a-group',
    'off #__proto__',
    '__proto__',
    'constructor',
    'toString',
    '$ne',
    '{"$ne":null}',
    'on\u0000',
    '\u202e no',
    '秘密',
    '🔒🔒🔒',
    `on ${'#'.repeat(1000)}`,
    'x'.repeat(10_000),
    'on    #',
    'help help help',
];

export function abuseSuite(scenario: () => Scenario): void {
    describe('abuse: malformed requests', () => {
        let s: Scenario;
        let w: World;
        let callers: Array<Person | undefined>;
        before(async () => {
            s = scenario();
            w = await s.world();
            callers = [w.owner, w.member, w.outsider, undefined];
        });

        async function unchangedAndAlive(): Promise<void> {
            assert.equal(await s.encryptedOf(w.owner, w.group._id), undefined, 'the group was changed');
            assert.deepEqual(await s.e2eNotices(w.owner, w.group._id), []);
            const app = await s.target.admin.request('GET', `/api/apps/${s.target.appId}`);
            assert.equal(app.status, 200);
            const status = await w.owner.client.appCall(s.target.appId, `groups.getEncrypted?roomId=${w.group._id}`, 'GET');
            assert.deepEqual(status.body, { encrypted: false, canToggle: true, success: true }, 'the app stopped answering');
        }

        test('groups.setEncrypted: every probe × every caller → a clean 4xx', async () => {
            const probes = bodyProbes(w, !s.target.denoRuntime);
            let sent = 0;
            for (const probe of probes) {
                for (const caller of callers) {
                    const headers: Record<string, string> = caller ? { 'x-user-id': caller.id, 'x-auth-token': caller.client.authToken } : {};
                    if (probe.contentType) {
                        headers['content-type'] = probe.contentType;
                    }
                    const response = await fetch(`${s.target.url}/api/apps/public/${s.target.appId}/groups.setEncrypted`, {
                        method: probe.method ?? 'POST',
                        headers,
                        body: probe.body,
                    });
                    const text = await response.text();
                    sent++;
                    const where = `${probe.label} as ${caller?.username ?? 'anonymous'}`;
                    assert.ok(response.status >= 400 && response.status < 500, `${where}: HTTP ${response.status} ${text.slice(0, 200)}`);
                    if (caller && response.headers.get('content-type')?.includes('json')) {
                        const body = JSON.parse(text);
                        assert.equal(body.success, false, where);
                        assert.equal(typeof body.error, 'string', where);
                    }
                }
            }
            assert.ok(sent >= 300, `only ${sent} requests`);
            await unchangedAndAlive();
        });

        test('a JSON body with a "__proto__" key', (t) => {
            if (!s.target.denoRuntime) {
                return t.skip('sent with the probes above: the vm2 runtime receives such bodies, and the app refuses them cleanly');
            }
            // Not sent here: it is an Apps-Engine issue, not the app's. The server hands the parsed body
            // to the Deno subprocess as msgpack, whose decoder rejects a "__proto__" key and then stalls
            // until the engine restarts the subprocess (about 20 s of 500s for every call to the app).
            // The app's own handling of such bodies is covered by the unit tests and the 6.10 (vm2) run.
            t.todo('the Apps-Engine Deno runtime (1.46 and 1.62 alike) stalls on a "__proto__" key in a request body');
        });

        test('groups.getEncrypted: hostile queries → a clean 4xx', async () => {
            const queries = [
                '',
                'roomId=',
                'roomName=',
                'roomId=&roomName=',
                'roomId[]=x',
                'roomId[$ne]=null',
                'roomId=%00',
                `roomName=${'x'.repeat(4000)}`,
                'roomName=%F0%9F%94%92',
                'roomId=__proto__',
                'constructor=1&roomName=constructor',
            ];
            for (const query of queries) {
                for (const caller of callers.filter(Boolean) as Array<Person>) {
                    const answer = await caller.client.appCall(s.target.appId, `groups.getEncrypted?${query}`, 'GET');
                    assert.ok(answer.status >= 400 && answer.status < 500, `${query}: HTTP ${answer.status}`);
                    assert.equal(answer.body.success, false);
                }
            }
            await unchangedAndAlive();
        });

        test('/encrypt: junk arguments are answered, change nothing, crash nothing', async (t) => {
            const what = 'each junk command gets one private reply, not empty';
            const callers = [w.owner, w.member];
            const answered = new Map<Person, number>();
            for (const caller of callers) {
                await s.checkReplies(caller, t, what, (replies) => void answered.set(caller, replies.length));
            }
            for (const params of COMMAND_ARGUMENTS) {
                for (const caller of callers) {
                    const label = JSON.stringify(params.slice(0, 40));
                    const answer = await caller.client.command('encrypt', params, w.group._id);
                    assert.equal(answer.status, 200, `${label}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
                    await s.checkReplies(caller, t, what, (replies) => {
                        assert.equal(replies.length, answered.get(caller)! + 1, `${label}: ${replies.length - answered.get(caller)!} replies`);
                        assert.ok(replies.at(-1)!.length > 0, `${label}: an empty reply`);
                        answered.set(caller, replies.length);
                    });
                }
            }
            await unchangedAndAlive();
        });
    });
}
