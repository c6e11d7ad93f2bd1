// Nobody does more through the app than through Rocket.Chat's own route: the caller's session is
// never swapped for the service account, a token goes only where it is safe, and the server's
// rate limiter answers for the app as it does for the core route.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import type { Person, Scenario, World } from './scenario';
import { NOT_FOUND, NOT_PROVIDED } from '../support/rocketchat';

export function authoritySuite(scenario: () => Scenario): void {
    describe('authority: whose rights, which credential, where a token goes', () => {
        let s: Scenario;
        let service: Person;
        before(async () => {
            s = scenario();
            service = await s.person('a-service', ['admin', 'user']);
        });
        const withService = <T>(run: () => Promise<T>) =>
            s.withAppSettings({ service_account_user_id: service.id, service_account_token: service.client.authToken }, run);
        const noticesBy = async (w: World, username: string) =>
            (await s.e2eNotices(w.owner, w.group._id)).filter((notice) => notice.endsWith(` by ${username}`));

        test("the caller's calls hit the server's rate limit: its 429 is the answer, no service-account write, no notice", async () => {
            const w = await s.world();
            await withService(() =>
                s.withServerSettings(
                    { API_Enable_Rate_Limiter: true, API_Enable_Rate_Limiter_Limit_Calls_Default: 1, API_Enable_Rate_Limiter_Limit_Time_Default: 600_000 },
                    async () => {
                        const first = await s.viaApp(w.owner, { roomId: w.group._id, encrypted: true });
                        assert.equal(first.status, 200, JSON.stringify(first.body));
                        const second = await s.viaApp(w.owner, { roomId: w.group._id, encrypted: false });
                        assert.equal(second.status, 429, JSON.stringify(second.body));
                        assert.equal(second.body.success, false);
                        assert.match(
                            second.body.error,
                            /^Error, too many requests\. Please slow down\. You must wait \d+ seconds before trying this endpoint again\. \[error-too-many-requests\]$/,
                        );
                    },
                ),
            );
            assert.equal(await s.encryptedOf(w.owner, w.group._id), true);
            assert.deepEqual(await noticesBy(w, service.username), []);
            assert.deepEqual(await s.e2eNotices(w.owner, w.group._id), [`room_e2e_enabled by ${w.owner.username}`]);
        });

        test('an OAuth caller (Authorization: Bearer): acts with their own rights, named in the notice', async (t) => {
            const w = await s.world();
            const issued = await w.owner.client.request('POST', '/standin/oauth.token');
            if (issued.status !== 200) {
                return t.skip('the server issues no OAuth token through REST (stand-in only)');
            }
            const bearer = { authorization: `Bearer ${issued.body.access_token}` };
            const asOwner = await fetch(`${s.target.url}/api/apps/public/${s.target.appId}/groups.setEncrypted`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', ...bearer },
                body: JSON.stringify({ roomId: w.group._id, encrypted: true }),
            });
            assert.equal(asOwner.status, 200, await asOwner.clone().text());
            assert.deepEqual(await s.e2eNotices(w.owner, w.group._id), [`room_e2e_enabled by ${w.owner.username}`]);
            const member = await w.member.client.request('POST', '/standin/oauth.token');
            const asMember = await fetch(`${s.target.url}/api/apps/public/${s.target.appId}/groups.setEncrypted`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${member.body.access_token}` },
                body: JSON.stringify({ roomId: w.group._id, encrypted: false }),
            });
            assert.equal(asMember.status, 400);
            assert.equal((await asMember.json()).error, 'Editing room is not allowed [error-action-not-allowed]');
            assert.equal(await s.encryptedOf(w.owner, w.group._id), true);
        });

        test("an OAuth caller by ?access_token= (7.4+: the app writes over REST): the caller's own rate limit, every notice theirs", async (t) => {
            if (s.target.modifierWorks) {
                return t.skip('before 7.4 the app writes through the room modifier, which no rate limit counts');
            }
            const w = await s.world();
            const issued = await w.owner.client.request('POST', '/standin/oauth.token');
            if (issued.status !== 200) {
                return t.skip('the server issues no OAuth token through REST (stand-in only)');
            }
            const url = `${s.target.url}/api/apps/public/${s.target.appId}/groups.setEncrypted?access_token=${issued.body.access_token}`;
            // No session headers: the token in the query string is the caller's only credential.
            const toggle = async (encrypted: boolean) => {
                const answer = await fetch(url, {
                    method: 'POST',
                    headers: { 'content-type': 'application/json' },
                    body: JSON.stringify({ roomId: w.group._id, encrypted }),
                });
                return { status: answer.status, body: await answer.json() };
            };
            const answers = await withService(() =>
                s.withServerSettings(
                    // Limits no other test uses: the server starts every count afresh when they change.
                    { API_Enable_Rate_Limiter: true, API_Enable_Rate_Limiter_Limit_Calls_Default: 3, API_Enable_Rate_Limiter_Limit_Time_Default: 600_003 },
                    async () => {
                        const all = [];
                        for (let i = 0; i < 8; i++) {
                            all.push(await toggle(i % 2 === 0));
                        }
                        return all;
                    },
                ),
            );
            // The service account (an admin) bypasses the limiter: had it written, all eight would be 200.
            assert.deepEqual(
                answers.map((answer) => answer.status),
                [200, 200, 200, 429, 429, 429, 429, 429],
                JSON.stringify(answers),
            );
            for (const refused of answers.slice(3)) {
                assert.match(refused.body.error, /^Error, too many requests\. Please slow down\..*\[error-too-many-requests\]$/);
            }
            assert.deepEqual(await s.e2eNotices(w.owner, w.group._id), [
                `room_e2e_enabled by ${w.owner.username}`,
                `room_e2e_disabled by ${w.owner.username}`,
                `room_e2e_enabled by ${w.owner.username}`,
            ]);
            assert.equal(await s.encryptedOf(w.owner, w.group._id), true);
        });

        test('Site_Url on plain http to another host: no token is sent, a refusal says why, nothing changed', async () => {
            const w = await s.world();
            // `.invalid` never resolves: were a token sent, it would go nowhere.
            await withService(() =>
                s.withServerSettings({ Site_Url: 'http://chat.example.invalid' }, async () => {
                    const answer = await s.viaApp(w.owner, { roomId: w.group._id, encrypted: true });
                    if (s.target.modifierWorks) {
                        // Before 7.4 the app writes itself but reads the permission table over REST first.
                        assert.equal(answer.status, 503, JSON.stringify(answer.body));
                    }
                    assert.equal(answer.body.errorType, 'error-app-site-url', JSON.stringify(answer.body));
                }),
            );
            assert.equal(await s.encryptedOf(w.owner, w.group._id), undefined);
        });

        test("Site_Url answers with a redirect: the server follows it with the headers (the README says so); one write, the caller's answer", async (t) => {
            const moved = await fetch(`${s.target.url}/standin/moved/api/info`, { redirect: 'manual' });
            if (moved.status !== 307) {
                return t.skip('the server has no redirecting path to point Site_Url at (stand-in only)');
            }
            const w = await s.world();
            await withService(() =>
                s.withServerSettings({ Site_Url: `${s.target.url}/standin/moved` }, async () => {
                    const answer = await s.viaApp(w.owner, { roomId: w.group._id, encrypted: true });
                    assert.equal(answer.status, 200, JSON.stringify(answer.body));
                }),
            );
            assert.deepEqual(await s.e2eNotices(w.owner, w.group._id), [`room_e2e_enabled by ${w.owner.username}`]);
        });

        describe("the group lookup, as Rocket.Chat 8.x's findPrivateGroupByIdOrName answers (apps/meteor/server/api/v1/groups.ts)", () => {
            let w: World;
            before(async () => {
                w = await s.world();
            });
            for (const [label, body, expected] of [
                ['{roomId: ""}', { roomId: '' }, NOT_FOUND],
                ['{roomId: null}', { roomId: null }, NOT_FOUND],
                ['{roomName: ""}', { roomName: '' }, NOT_FOUND],
                ['{roomId: "", roomName: ""}', { roomId: '', roomName: '' }, NOT_PROVIDED],
            ] as const) {
                test(`${label} → the same refusal from the app and the core route`, async () => {
                    const fromApp = await s.viaApp(w.owner, { ...body, encrypted: true });
                    const fromCore = await s.viaCore(w.owner, { ...body, encrypted: true });
                    assert.deepEqual(fromApp.body, expected);
                    assert.deepEqual({ status: fromApp.status, body: fromApp.body }, { status: fromCore.status, body: fromCore.body });
                });
            }
        });

        test("a discussion: open to members of the group it was started in, as Rocket.Chat's canAccessRoom grants; replies name its title", async (t) => {
            const w = await s.world();
            const created = await w.owner.client.request('POST', '/api/v1/rooms.createDiscussion', { prid: w.group._id, t_name: 'Budget talk' });
            if (created.status !== 200) {
                return t.skip(`the server did not create a discussion: ${JSON.stringify(created.body)}`);
            }
            const discussion = created.body.discussion;
            // The member of the group is not in the discussion, yet may see it — through the app as through the core route.
            const fromApp = await w.member.client.appCall(s.target.appId, `groups.getEncrypted?roomId=${discussion._id}`, 'GET');
            const fromCore = await w.member.client.request('GET', `/api/v1/groups.info?roomId=${discussion._id}`);
            assert.equal(fromCore.status, 200, JSON.stringify(fromCore.body));
            assert.equal(fromApp.status, 200, JSON.stringify(fromApp.body));
            await w.owner.client.command('encrypt', `status #${discussion.name}`, w.botDm._id);
            await s.checkLastReply(w.owner, t, 'the status reply names the discussion by its title', (reply) => assert.match(reply, /#Budget talk/));
        });
    });
}
