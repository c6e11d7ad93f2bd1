// The app's log (`GET /api/apps/:id/logs`, Administration → Apps → Logs) holds no secret the app put
// there. Every secret this run hands the server is known to the Scenario (passwords, login tokens,
// the service-account token set in the app's settings); after each suite, the records written since
// the last look are searched for them.
//
// One kind of entry is left out, and only that one: the engine's own dump of an endpoint request,
// written before the app runs (`logger.debug("<path>'s <method> is being executed...", request)` in
// Apps-Engine 1.42's server/managers/AppApi.js, and in 1.46's and 1.62's deno-runtime/handlers/api-handler.ts).
// It holds the caller's headers and query string — `X-Auth-Token`, `Authorization`, `?access_token=` —
// whatever the app does; the README says so and what an admin can do about it. Everything else is
// searched: the app's own lines, what the engine logs of the app's answers (such as the setting
// `onPreSettingUpdate` returns) — there a secret is the app's doing — and the engine's other dumps
// (a slash command's context, a job's data), which carry no credential, so a secret there would
// have come from the app too.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { Scenario } from './scenario';
import type { Target } from './target';

interface LogEntry {
    severity: string;
    args: Array<unknown>;
}

interface LogRecord {
    _id: string;
    /** The engine's name for what ran: `apiExecutor` (1.42), `api:<path>:<method>` (1.46, 1.62), `app:onPreSettingUpdate`, … */
    method: string;
    entries: Array<LogEntry>;
}

const PAGE = 100;

/** The engine's dump of an endpoint request (see the top of this file); nothing else matches. */
export function isEngineRequestDump(record: LogRecord, entry: LogEntry): boolean {
    const [message, request] = entry.args;
    return (
        (record.method === 'apiExecutor' || record.method.startsWith('api:')) &&
        typeof message === 'string' &&
        message.endsWith(' is being executed...') &&
        typeof request === 'object' &&
        request !== null &&
        'headers' in request
    );
}

/**
 * The app's log records newest first, down to (not including) the first one in `known`, or all of
 * them; `complete` is false when `known` was not empty and none of it was left (the server dropped
 * records before they were read). Pages by `offset` and `count`, which every server generation takes.
 */
export async function appLogSince(target: Target, known: ReadonlySet<string> = new Set()): Promise<{ records: Array<LogRecord>; complete: boolean }> {
    const records: Array<LogRecord> = [];
    for (let offset = 0; ; offset += PAGE) {
        const answer = await target.admin.request('GET', `/api/apps/${target.appId}/logs?offset=${offset}&count=${PAGE}`);
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        const page: Array<LogRecord> = answer.body.logs;
        const seen = page.findIndex((record) => known.has(record._id));
        records.push(...(seen === -1 ? page : page.slice(0, seen)));
        if (seen !== -1 || page.length < PAGE) {
            return { records, complete: seen !== -1 || known.size === 0 };
        }
    }
}

/** Where a secret appears outside the engine's request dumps: "<record method>: <secret's label>". */
export function secretsIn(records: Array<LogRecord>, secrets: ReadonlyMap<string, string>): Array<string> {
    const found: Array<string> = [];
    for (const record of records) {
        for (const entry of record.entries ?? []) {
            if (isEngineRequestDump(record, entry)) {
                continue;
            }
            const text = JSON.stringify(entry.args);
            for (const [secret, label] of secrets) {
                if (text.includes(secret)) {
                    found.push(`${record.method}: ${label}`);
                }
            }
        }
    }
    return found;
}

/**
 * A test that reads the records written since the last such test (or since the server started) and
 * fails on any secret in them; registered after each suite, it runs after it.
 */
export function appLogCheck(scenario: () => Scenario, after: string): void {
    test(`the app's log after ${after}: no token or password the app put there`, async () => {
        const s = scenario();
        const { records, complete } = await appLogSince(s.target, s.logRecordsRead);
        for (const record of records) {
            s.logRecordsRead.add(record._id);
        }
        assert.deepEqual(secretsIn(records, s.secrets), []);
        assert.ok(complete, `the server dropped log records written by ${after} before they were read: they were not searched`);
    });
}

/** The paths that handle the service account's token, walked on purpose, then the log read whole. */
export function appLogSuite(scenario: () => Scenario): void {
    describe("the app's log: no secret the app put there", () => {
        test('the service account set, used by /encrypt and an endpoint call, then cleared: its token is nowhere but in the engine’s request dumps', async () => {
            const s = scenario();
            const service = await s.person('log-service', ['admin', 'user']);
            const w = await s.world();
            await s.withAppSettings({ service_account_user_id: service.id, service_account_token: service.client.authToken }, async () => {
                // The engine kept the admin's value though the app returned nothing for it.
                assert.equal((await s.target.admin.appSettings(s.target.appId)).service_account_token, service.client.authToken);
                await w.owner.client.command('encrypt', `on #${w.group.name}`, w.botDm._id);
                assert.equal(await s.encryptedOf(w.owner, w.group._id), true);
                const answer = await s.viaApp(w.owner, { roomId: w.group._id, encrypted: false });
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
            });
            const { records } = await appLogSince(s.target);
            assert.deepEqual(secretsIn(records, s.secrets), []);
            // The check reads what it means to: the engine's dump of the owner's call is there, with
            // the owner's session token in its headers — the one kind of entry it passes over.
            const dumps = records.flatMap((record) => (record.entries ?? []).filter((entry) => isEngineRequestDump(record, entry)));
            assert.ok(
                dumps.some((entry) => JSON.stringify(entry.args).includes(w.owner.client.authToken)),
                'no engine request dump holds the caller token: the log is not read as the engine writes it',
            );
        });
    });
}
