// The encryptAll job's list of every private group (`groups.listAll`): what it asks, what it keeps,
// and a server that cannot be asked told apart from a Site_Url the app will not send a token to.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PrivateGroupList } from '../../lib/bulk/PrivateGroupList';
import { Refusal, isRefusal } from '../../lib/Refusal';
import type { Credential } from '../../lib/rest/Credential';
import { type RestAnswer, ServerUnreachable } from '../../lib/rest/ServerRest';

const credential: Credential = { kind: 'session', userId: 'svc', token: 'svc-token' };
const answering = (answer: RestAnswer, asked: Array<string> = []) => ({
    get: async (route: string) => {
        asked.push(route);
        return answer;
    },
});
const failing = (error: unknown) => ({
    get: async (): Promise<RestAnswer> => {
        throw error;
    },
});

test('a page: a hundred from the offset, oldest first with the id breaking ties; groups with their flags, entries without an id left out', async () => {
    const asked: Array<string> = [];
    const groups = [{ _id: 'g1', encrypted: true, archived: false }, null, { name: 'no id' }, { _id: 'g2', federated: true }];
    const page = await new PrivateGroupList(answering({ statusCode: 200, body: { groups, total: 7, success: true } }, asked)).page(credential, 200);
    assert.equal(asked[0], `groups.listAll?offset=200&count=100&sort=${encodeURIComponent('{"ts":1,"_id":1}')}`);
    assert.deepEqual(page, { groups: [groups[0], groups[3]], total: 7 });
});

test("the server's refusal is passed on as it came (a service account without view-room-administration)", async () => {
    const page = await new PrivateGroupList(answering({ statusCode: 403, body: { success: false, error: 'unauthorized' } })).page(credential, 0);
    assert.ok(isRefusal(page));
    assert.deepEqual({ status: page.status, error: page.error }, { status: 403, error: 'unauthorized' });
});

test('no answer is not an unusable Site_Url: the job tries the first again later, ends on the second', async () => {
    const unanswered = await new PrivateGroupList(failing(new ServerUnreachable('transport', 'GET groups.listAll: socket hang up'))).page(credential, 0);
    assert.deepEqual(unanswered, Refusal.serverUnanswered());
    const unsafe = await new PrivateGroupList(failing(new ServerUnreachable('unsafe-site-url', 'plain http elsewhere'))).page(credential, 0);
    assert.deepEqual(unsafe, Refusal.siteUrlUnusable());
});
