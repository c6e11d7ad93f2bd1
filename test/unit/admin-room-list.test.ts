// The admin room list as the server is asked for it, page by page: the query names discussions and
// teams beside private groups (or the server leaves them out), pages step by what the server gives,
// and a server that cannot be asked is told apart from a Site_Url the app will not send a token to.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { AdminRoomList } from '../../lib/coverage/AdminRoomList';
import { Refusal } from '../../lib/Refusal';
import type { Credential } from '../../lib/rest/Credential';
import { type RestAnswer, ServerUnreachable } from '../../lib/rest/ServerRest';

const credential: Credential = { kind: 'session', userId: 'ada', token: 'ada-token' };

/** A server holding `total` private groups, answering at most `limit` a page, that records each route asked. */
function server(total: number, limit: number) {
    const asked: Array<string> = [];
    return {
        asked,
        rest: {
            get: async (route: string): Promise<RestAnswer> => {
                asked.push(route);
                const query = new URLSearchParams(route.split('?')[1]);
                const offset = Number(query.get('offset'));
                const count = Math.min(Number(query.get('count')), limit);
                const rooms = Array.from({ length: Math.max(0, Math.min(count, total - offset)) }, (_, i) => ({ _id: `g${offset + i}`, t: 'p' }));
                return { statusCode: 200, body: { rooms, total, success: true } };
            },
        },
    };
}

test('the query: private groups with discussions and teams, oldest first with the id breaking ties', async () => {
    const rc = server(1, 100);
    await new AdminRoomList(rc.rest).page(credential, 0, 1);
    assert.equal(rc.asked[0], `rooms.adminRooms?types[]=p&types[]=discussions&types[]=teams&offset=0&count=1&sort=${encodeURIComponent('{"ts":1,"_id":1}')}`);
});

test('the whole list, stepping by the page size the server gives, in batches, each group once', async () => {
    const rc = server(130, 20);
    const all = await new AdminRoomList(rc.rest).all(credential);
    assert.ok(Array.isArray(all));
    assert.deepEqual(
        all.map((room) => room._id),
        Array.from({ length: 130 }, (_, i) => `g${i}`),
    );
    assert.deepEqual(
        rc.asked.map((route) => new URLSearchParams(route.split('?')[1]).get('offset')),
        ['0', '20', '40', '60', '80', '100', '120'],
    );
});

test('a refused later page is the answer, not a shorter list', async () => {
    const rc = server(50, 20);
    const refusal: RestAnswer = { statusCode: 403, body: { success: false, error: 'unauthorized' } };
    const get = rc.rest.get;
    rc.rest.get = async (route) => (route.includes('offset=40') ? refusal : get(route));
    assert.deepEqual(await new AdminRoomList(rc.rest).all(credential), Refusal.passedOn(403, refusal.body));
});

test('a server that does not answer, and a Site_Url the app will not send a token to, are told apart', async () => {
    const failing = (error: Error) => new AdminRoomList({ get: async () => Promise.reject(error) });
    assert.deepEqual(await failing(new ServerUnreachable('transport', 'fetch failed')).allows(credential), Refusal.serverUnanswered());
    assert.deepEqual(await failing(new Error('socket hang up')).allows(credential), Refusal.serverUnanswered());
    assert.deepEqual(await failing(new ServerUnreachable('unsafe-site-url', 'plain http')).allows(credential), Refusal.siteUrlUnusable());
    assert.equal(await new AdminRoomList(server(3, 100).rest).allows(credential), undefined);
});
