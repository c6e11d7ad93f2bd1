// The room's Encryption panel and the /encrypt group picker, driven only through the routes the
// web client uses: the list of app action buttons (`GET /api/apps/actionButtons`), the UI-kit
// interaction route (`POST /api/apps/ui.interaction/:appId`, shapes from
// apps/meteor/ee/server/apps/communication/uikit.ts and the Apps-Engine's UIKitInteractionResponder),
// and `GET|POST /api/v1/commands.preview` (apps/meteor/app/api/server/v1/commands.ts). What an app
// pushes to a user later travels on their stream, which REST cannot read: the stand-in records it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { Person, Scenario, Skippable, World } from './scenario';
import type { RestAnswer } from '../support/RestClient';
import { atLeast, versionOf } from '../support/versions';

/** A UI-kit surface as the interaction route answers with it. */
interface View {
    id: string;
    appId: string;
    type: string;
    title: { type: string; text: string };
    blocks: Array<{ type: string; appId: string; blockId: string; text?: { text: string }; elements?: Array<any> }>;
    submit?: any;
}

let triggers = 0;
const triggerId = () => `e2e-trigger-${process.pid}-${++triggers}`;

export function panelSuite(scenario: () => Scenario): void {
    describe('the Encryption panel and the /encrypt group picker', () => {
        let s: Scenario;
        let appId: string;
        let restore: () => Promise<void>;
        let service: Person;
        before(async () => {
            s = scenario();
            appId = s.target.appId;
            // From 7.4 an app writes the flag through the server's REST API; a UI interaction carries no session.
            service = await s.person('p-service', ['admin', 'user']);
            restore = await s.holdAppSettings({
                service_account_user_id: service.id,
                service_account_token: service.client.authToken,
                allow_turning_off: true,
            });
        });
        after(async () => {
            await restore?.();
        });

        const interact = (who: Person, body: Record<string, unknown>) => who.client.request('POST', `/api/apps/ui.interaction/${appId}`, body);

        /** What the web client does when the room's "Encryption" button is clicked. */
        async function openPanel(who: Person, roomId: string): Promise<View> {
            const buttons: Array<any> = (await who.client.request('GET', '/api/apps/actionButtons')).body;
            const button = buttons.find((candidate) => candidate.appId === appId && candidate.context === 'roomAction');
            assert.ok(button, JSON.stringify(buttons));
            const answer = await interact(who, {
                type: 'actionButton',
                actionId: button.actionId,
                triggerId: triggerId(),
                rid: roomId,
                payload: { context: button.context },
            });
            assert.equal(answer.status, 200, JSON.stringify(answer.body));
            assert.equal(answer.body.type, 'contextual_bar.open');
            assert.equal(answer.body.success, true);
            assert.equal(answer.body.appId, appId);
            assert.equal(answer.body.view.type, 'contextualBar');
            assert.equal(answer.body.view.appId, appId);
            return answer.body.view;
        }

        /** The panel's one switch, clicked: a block action from the contextual bar (`container: {type:'view', id}`). */
        function clickSwitch(who: Person, view: View, roomId: string): Promise<RestAnswer> {
            const block = view.blocks.find((candidate) => candidate.type === 'actions')!;
            const [button] = block.elements!;
            assert.equal(button.type, 'button');
            return interact(who, {
                type: 'blockAction',
                actionId: button.actionId,
                triggerId: triggerId(),
                rid: roomId,
                container: { type: 'view', id: view.id },
                payload: { blockId: block.blockId, value: button.value },
            });
        }

        function submit(who: Person, modal: View): Promise<RestAnswer> {
            return interact(who, { type: 'viewSubmit', actionId: modal.submit?.actionId, triggerId: triggerId(), payload: { view: { ...modal, state: {} } } });
        }

        const texts = (view: View) =>
            view.blocks.flatMap((block) =>
                block.type === 'section' ? [block.text!.text] : block.type === 'context' ? block.elements!.map((element) => element.text) : [],
            );
        const switchLabel = (view: View) => view.blocks.find((block) => block.type === 'actions')!.elements![0].text.text;

        /** Runs `check` on the views pushed to `who` by `act`, and no others (see Scenario.checkPushed). */
        async function checkPushedBy(who: Person, t: Skippable, what: string, act: () => Promise<void>, check: (pushed: Array<any>) => void) {
            let before = 0;
            await s.checkPushed(who, t, what, (pushed) => void (before = pushed.length));
            await act();
            await s.checkPushed(who, t, what, (pushed) => check(pushed.slice(before)));
        }

        test('the room action button is listed as Rocket.Chat lists app buttons, for private groups only', async () => {
            const anonymous = await fetch(`${s.target.url}/api/apps/actionButtons`);
            assert.equal(anonymous.status, 200);
            const buttons: Array<any> = await anonymous.json();
            assert.ok(Array.isArray(buttons));
            assert.deepEqual(
                buttons.filter((button) => button.appId === appId),
                [
                    {
                        actionId: 'encrypt-group-panel',
                        labelI18n: 'action_button_encryption',
                        context: 'roomAction',
                        when: { roomTypes: ['private_channel'] },
                        appId,
                    },
                ],
            );
        });

        test('an owner opens the panel in a group and switches it on: the panel updates in place and says so', async () => {
            const w: World = await s.world();
            const panel = await openPanel(w.owner, w.group._id);
            assert.equal(panel.title.text, 'Encryption');
            assert.deepEqual(texts(panel).slice(0, 3), [
                `End-to-end encryption is off for #${w.group.name}.`,
                'Switching encryption off is allowed in this workspace.',
                'You may switch it on.',
            ]);
            assert.equal(switchLabel(panel), 'Switch encryption on');
            assert.match(texts(panel)[3], /bots and slash commands stop working/);

            const on = await clickSwitch(w.owner, panel, w.group._id);
            assert.equal(on.status, 200, JSON.stringify(on.body));
            assert.equal(on.body.type, 'contextual_bar.update');
            assert.equal(on.body.view.id, panel.id);
            assert.deepEqual(texts(on.body.view).slice(0, 2), [
                `*End-to-end encryption is now on for #${w.group.name}.*`,
                `End-to-end encryption is on for #${w.group.name}.`,
            ]);
            assert.equal(switchLabel(on.body.view), 'Switch encryption off');
            assert.equal(await s.encryptedOf(w.owner, w.group._id), true);
            const by = s.target.modifierWorks ? w.owner.username : service.username;
            assert.deepEqual(await s.e2eNotices(w.owner, w.group._id), [`room_e2e_enabled by ${by}`]);
            const history = (await w.owner.client.appCall(appId, `groups.encryptionHistory?roomId=${w.group._id}`, 'GET')).body.history;
            assert.deepEqual(
                history.filter((entry: any) => entry.door === 'panel').map((entry: any) => `${entry.encrypted} by ${entry.by.username}`),
                [`true by ${w.owner.username}`],
            );
        });

        test('switching off asks first; nothing changes until it is confirmed, then the panel is refreshed', async (t) => {
            const w = await s.world();
            await s.viaApp(w.owner, { roomId: w.group._id, encrypted: true });
            const panel = await openPanel(w.owner, w.group._id);
            assert.equal(switchLabel(panel), 'Switch encryption off');
            const asked = await clickSwitch(w.owner, panel, w.group._id);
            assert.equal(asked.status, 200);
            assert.equal(asked.body.type, 'modal.open');
            const modal: View = asked.body.view;
            assert.equal(modal.type, 'modal');
            assert.equal(modal.title.text, 'Switch encryption off?');
            assert.deepEqual(texts(modal), [
                `New messages in #${w.group.name} will no longer be end-to-end encrypted: the server can read them. Messages already sent stay as they are.`,
            ]);
            assert.equal(modal.submit.text.text, 'Switch off');
            assert.equal(await s.encryptedOf(w.owner, w.group._id), true, 'the modal alone changed the group');

            await checkPushedBy(
                w.owner,
                t,
                'the refreshed panel is pushed to the owner after the confirmation',
                async () => {
                    const confirmed = await submit(w.owner, modal);
                    assert.equal(confirmed.status, 200);
                    // A bare success closes the modal (the client closes it unless told otherwise).
                    assert.deepEqual(confirmed.body, { success: true });
                    assert.equal(await s.encryptedOf(w.owner, w.group._id), false);
                },
                (pushed) => {
                    assert.equal(pushed.length, 1);
                    assert.equal(pushed[0].type, 'contextual_bar.update');
                    assert.equal(pushed[0].view.id, panel.id);
                    assert.equal(texts(pushed[0].view)[0], `*End-to-end encryption is now off for #${w.group.name}.*`);
                },
            );
        });

        test("a plain member sees why not in Rocket.Chat's words; a click is refused and the panel stays open saying so", async () => {
            const w = await s.world();
            const panel = await openPanel(w.member, w.group._id);
            const shown = texts(panel);
            assert.match(shown[2], new RegExp(`^You may not switch it on\\. You may not edit #${w.group.name}: only `));
            assert.equal(shown[3], 'Rocket.Chat: Editing room is not allowed [error-action-not-allowed]');
            const refused = await clickSwitch(w.member, panel, w.group._id);
            assert.equal(refused.status, 200);
            assert.equal(refused.body.type, 'contextual_bar.update');
            assert.equal(refused.body.view.id, panel.id);
            assert.match(texts(refused.body.view)[0], new RegExp(`^\\*Nothing was changed\\. You may not edit #${w.group.name}: only `));
            assert.equal(await s.encryptedOf(w.owner, w.group._id), undefined);
            assert.deepEqual(await s.e2eNotices(w.owner, w.group._id), []);
        });

        test('a policy against switching off is named before, and the confirmation is refused', async (t) => {
            const w = await s.world();
            await s.viaApp(w.owner, { roomId: w.group._id, encrypted: true });
            await s.withAppSettings({ allow_turning_off: false }, async () => {
                const panel = await openPanel(w.owner, w.group._id);
                const asked = await clickSwitch(w.owner, panel, w.group._id);
                assert.equal(asked.body.type, 'modal.open');
                assert.match(texts(asked.body.view)[1], /does not allow turning encryption off \(the app setting "Allow turning encryption off"\)/);
                await checkPushedBy(
                    w.owner,
                    t,
                    'the panel pushed after the refused confirmation says nothing was changed',
                    async () => {
                        const confirmed = await submit(w.owner, asked.body.view);
                        assert.equal(confirmed.status, 200);
                        assert.equal(await s.encryptedOf(w.owner, w.group._id), true);
                    },
                    (pushed) => {
                        assert.equal(pushed.length, 1);
                        assert.equal(texts(pushed[0].view)[0], '*Nothing was changed. This workspace does not allow turning encryption off.*');
                    },
                );
            });
        });

        test("the interaction route's own answers: 401 without a login, 400 for an unknown type", async () => {
            const anonymous = await fetch(`${s.target.url}/api/apps/ui.interaction/${appId}`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ type: 'actionButton', actionId: 'encrypt-group-panel', payload: { context: 'roomAction' } }),
            });
            assert.equal(anonymous.status, 401);
            assert.deepEqual(await anonymous.json(), { status: 'error', message: 'You must be logged in to do this.' });
            const unknown = await s.target.admin.request('POST', `/api/apps/ui.interaction/${appId}`, { type: 'nonsense' });
            assert.equal(unknown.status, 400);
            assert.deepEqual(unknown.body, { error: 'Unknown action' });
        });

        describe('the group picker', () => {
            const previews = (who: Person, params: string, roomId: string) =>
                who.client.request('GET', `/api/v1/commands.preview?${new URLSearchParams({ command: 'encrypt', params, roomId })}`);

            test("`/encrypt on <start of a name>` offers the caller's matching groups with their state; picking one runs the command", async (t) => {
                const w = await s.world();
                const typed = w.group.name.slice(0, -2);
                const answer = await previews(w.owner, `on ${typed}`, w.botDm._id);
                assert.equal(answer.status, 200, JSON.stringify(answer.body));
                assert.equal(answer.body.success, true);
                const { preview } = answer.body;
                assert.equal(preview.i18nTitle, 'Your private groups');
                assert.ok(preview.items.length >= 1 && preview.items.length <= 10, JSON.stringify(preview));
                for (const item of preview.items) {
                    assert.deepEqual(Object.keys(item).sort(), ['id', 'type', 'value']);
                    assert.equal(item.type, 'text');
                }
                // Rocket.Chat 6.x ships Apps-Engine 1.42–1.46, which have no `getUserRoomIds`.
                const older = !atLeast(versionOf(s.target.version), [7, 0]);
                if (older) {
                    assert.equal(preview.items[0].id, 'encrypt-group:unsupported');
                }
                if (preview.items[0].id === 'encrypt-group:unsupported') {
                    // A server before Apps-Engine 1.58 cannot tell apps which rooms a user is in.
                    assert.equal(preview.items.length, 1);
                    assert.match(preview.items[0].value, /Apps-Engine 1\.58 or later.*`\/encrypt on #group`/);
                    return;
                }
                assert.equal(preview.items[0].id, w.group._id);
                assert.equal(preview.items[0].value, `#${w.group.name} · not encrypted · you may switch it`);
                // The archived group matches too, and its owner may not switch it; nobody else's groups are offered.
                assert.ok(preview.items.every((item: any) => item.id === w.group._id || item.id === w.archived._id || !item.value.includes(typed)));
                // Typed in a public channel: someone not in the group is not offered it.
                const outsider = await previews(w.outsider, `on ${w.group.name}`, w.channel._id);
                assert.equal(outsider.status, 200, JSON.stringify(outsider.body));
                assert.ok(!(outsider.body.preview?.items ?? []).some((item: any) => item.id === w.group._id), JSON.stringify(outsider.body));

                const picked = await w.owner.client.request('POST', '/api/v1/commands.preview', {
                    command: 'encrypt',
                    params: `on ${typed}`,
                    roomId: w.botDm._id,
                    previewItem: preview.items[0],
                    triggerId: triggerId(),
                });
                assert.equal(picked.status, 200, JSON.stringify(picked.body));
                assert.deepEqual(picked.body, { success: true });
                assert.equal(await s.encryptedOf(w.owner, w.group._id), true);
                await s.checkLastReply(w.owner, t, 'the pick is answered like /encrypt on', (reply) =>
                    assert.equal(reply, `End-to-end encryption is now on for #${w.group.name}.`),
                );
            });

            test("Rocket.Chat's checks on commands.preview", async () => {
                const w = await s.world();
                const noRoom = await w.owner.client.request('GET', '/api/v1/commands.preview?command=encrypt&params=on');
                assert.equal(noRoom.status, 400);
                assert.deepEqual(noRoom.body, {
                    success: false,
                    error: "The room's id where the previews are being displayed must be provided and be a string.",
                });
                const elsewhere = await previews(w.outsider, 'on', w.group._id);
                assert.equal(elsewhere.status, 403);
                const badItem = await w.owner.client.request('POST', '/api/v1/commands.preview', {
                    command: 'encrypt',
                    params: 'on',
                    roomId: w.botDm._id,
                    previewItem: { id: w.group._id, type: 'text' },
                });
                assert.equal(badItem.status, 400);
                assert.deepEqual(badItem.body, { success: false, error: 'The preview item being executed is in the wrong format.' });
                assert.equal(await s.encryptedOf(w.owner, w.group._id), undefined);
            });
        });

        describe("no door without a session decides alone: toggle-room-e2e-encryption for admins only, the app's settings still naming owners", () => {
            const NO_READER =
                /^The app cannot read Rocket\.Chat's permission table here, so it changes nothing; nothing was changed\. An admin must set an account able to read it/;
            const NO_WRITER = /^This Rocket\.Chat version does not let apps change encryption on their own\. An admin must set the app's service account/;
            const ADMINS_ONLY = (w: World) => `Only an admin can change encryption of #${w.group.name}.`;

            /** `/encrypt on` typed in the group. */
            const command = (w: World, action: 'on' | 'off') => w.owner.client.command('encrypt', action, w.group._id);
            /** The group picked from `/encrypt <action> ` in the DM with the app, as the client posts the chosen item. */
            const pick = (w: World, action: 'on' | 'off') =>
                w.owner.client.request('POST', '/api/v1/commands.preview', {
                    command: 'encrypt',
                    params: `${action} ${w.group.name}`,
                    roomId: w.botDm._id,
                    previewItem: { id: w.group._id, type: 'text', value: `#${w.group.name}` },
                    triggerId: triggerId(),
                });
            /** The panel opened in the group and its switch clicked: the updated panel's texts. */
            async function panelClick(w: World): Promise<Array<string>> {
                const clicked = await clickSwitch(w.owner, await openPanel(w.owner, w.group._id), w.group._id);
                assert.equal(clicked.status, 200, JSON.stringify(clicked.body));
                assert.equal(clicked.body.type, 'contextual_bar.update');
                return texts(clicked.body.view);
            }

            /** All three doors, each refused with `why`; the group and its history untouched. */
            async function allRefused(t: Skippable, w: World, why: RegExp | string) {
                const matches = (text: string) => (typeof why === 'string' ? assert.equal(text, why) : assert.match(text, why));
                assert.equal((await command(w, 'on')).status, 200);
                await s.checkLastReply(w.owner, t, '/encrypt on says why nothing changed', matches);
                const picked = await pick(w, 'on');
                assert.equal(picked.status, 200, JSON.stringify(picked.body));
                await s.checkLastReply(w.owner, t, 'the pick says why nothing changed', matches);
                const shown = await panelClick(w);
                const outcome = /^\*Nothing was changed\. (.*)\*$/.exec(shown[0]);
                assert.ok(outcome, shown[0]);
                matches(outcome[1]);
                assert.equal(await s.encryptedOf(w.owner, w.group._id), undefined);
                assert.deepEqual(await s.e2eNotices(w.owner, w.group._id), []);
            }

            test('with no service account: /encrypt on, the picker and the panel change nothing and say why', async (t) => {
                const w = await s.world();
                await s.withPermissions({ 'toggle-room-e2e-encryption': ['admin'] }, () =>
                    s.withAppSettings({ service_account_user_id: '', service_account_token: '' }, () =>
                        // Before 7.4 the app could write, but nobody can read the table; from 7.4 nothing could write either.
                        allRefused(t, w, s.target.modifierWorks ? NO_READER : NO_WRITER),
                    ),
                );
            });

            test('with a plain user that may read the table as service account: the same, now because the table says so', async (t) => {
                const w = await s.world();
                const plain = await s.person('p-plain-reader');
                await s.withPermissions({ 'toggle-room-e2e-encryption': ['admin'] }, () =>
                    s.withAppSettings({ service_account_user_id: plain.id, service_account_token: plain.client.authToken }, () =>
                        allRefused(t, w, ADMINS_ONLY(w)),
                    ),
                );
            });

            test('with the permission given back to owners, all three work', async (t) => {
                const w = await s.world();
                // Before 7.4 a plain user is enough (the app writes, as the caller); from 7.4 the service account writes.
                const account = s.target.modifierWorks ? await s.person('p-plain-reader') : service;
                await s.withPermissions({ 'toggle-room-e2e-encryption': ['owner', 'admin'] }, () =>
                    s.withAppSettings({ service_account_user_id: account.id, service_account_token: account.client.authToken }, async () => {
                        await command(w, 'on');
                        await s.checkLastReply(w.owner, t, '/encrypt on is done', (reply) =>
                            assert.equal(reply, `End-to-end encryption is now on for #${w.group.name}.`),
                        );
                        assert.equal(await s.encryptedOf(w.owner, w.group._id), true);
                        await pick(w, 'off');
                        await s.checkLastReply(w.owner, t, 'the pick is done', (reply) =>
                            assert.equal(reply, `End-to-end encryption is now off for #${w.group.name}.`),
                        );
                        assert.equal(await s.encryptedOf(w.owner, w.group._id), false);
                        assert.equal((await panelClick(w))[0], `*End-to-end encryption is now on for #${w.group.name}.*`);
                        assert.equal(await s.encryptedOf(w.owner, w.group._id), true);
                        const by = s.target.modifierWorks ? w.owner.username : account.username;
                        assert.deepEqual(await s.e2eNotices(w.owner, w.group._id), [
                            `room_e2e_enabled by ${by}`,
                            `room_e2e_disabled by ${by}`,
                            `room_e2e_enabled by ${by}`,
                        ]);
                    }),
                );
            });
        });
    });
}
