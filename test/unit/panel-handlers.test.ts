// The Encryption panel's UI-kit handlers, over the fake workspace: which interaction does what, which
// room a click acts on, and that a failure is logged and answered as an error, not thrown. The views
// themselves are panel-picker.test.ts's.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { IModify } from '@rocket.chat/apps-engine/definition/accessors';

import { createEncryptionService, guardPolicy } from '../../lib/compositionRoot';
import { EncryptionPanel } from '../../lib/panel/EncryptionPanel';
import { PANEL_BUTTON, SWITCH_OFF, SWITCH_ON, confirmOffViewId, panelViewId } from '../../lib/panel/ids';
import type { FakeWorkspace } from '../fakes/FakeWorkspace';
import { encryptionHistory, withPlainServiceAccount, workspace } from '../fakes/harness';

const APP = 'encrypt-group-app';

/** A responder that answers with what was asked of it, so a test sees which response a handler chose. */
const responder = {
    successResponse: () => ({ kind: 'success' }),
    errorResponse: () => ({ kind: 'error' }),
    openContextualBarViewResponse: (view: { id: string }) => ({ kind: 'open-bar', view }),
    updateContextualBarViewResponse: (view: { id: string }) => ({ kind: 'update-bar', view }),
    openModalViewResponse: (view: { id: string }) => ({ kind: 'modal', view }),
};

type Answer = { kind: string; view?: { id: string; blocks: Array<unknown> } };

function panelOf(ws: FakeWorkspace, failing = false) {
    const errors: Array<string> = [];
    const panel = new EncryptionPanel({
        services: (read, modify, http, persistence) => {
            if (failing) {
                throw new Error('bridge down');
            }
            return createEncryptionService(read, modify, http, persistence, ws.logger(), ws.instance);
        },
        guardPolicy: guardPolicy(ws.instance),
        appId: APP,
        logger: { error: (...parts: Array<unknown>) => errors.push(parts.join(' ')) },
    });
    const pushed: Array<{ id: string; triggerId?: string }> = [];
    // The fake's modify, plus the UI controller the confirmed switch-off pushes the panel through.
    const modify = Object.assign(Object.create(ws.modify()), {
        getUiController: () => ({
            updateContextualBarView: async (view: { id: string }, trigger: { triggerId?: string }) =>
                void pushed.push({ ...view, triggerId: trigger.triggerId }),
        }),
    }) as IModify;
    const context = (data: Record<string, unknown>) => ({ getInteractionData: () => data, getInteractionResponder: () => responder }) as never;
    const call = {
        button: (data: Record<string, unknown>) =>
            panel.actionButton(context(data), ws.read(), ws.http(), ws.persistence(), modify) as unknown as Promise<Answer>,
        block: (data: Record<string, unknown>) =>
            panel.blockAction(context(data), ws.read(), ws.http(), ws.persistence(), modify) as unknown as Promise<Answer>,
        submit: (data: Record<string, unknown>) =>
            panel.viewSubmit(context(data), ws.read(), ws.http(), ws.persistence(), modify) as unknown as Promise<Answer>,
    };
    return { call, pushed, errors };
}

const room = (ws: FakeWorkspace, id: string) => ws.rooms.get(id)!;

describe("the Encryption panel's handlers", () => {
    test('the room button opens the panel of the room it was clicked in; other buttons are not the panel', async () => {
        // A door without a session acts only on the permission table: a plain account reads it.
        const ws = withPlainServiceAccount(workspace());
        const { call } = panelOf(ws);
        const opened = await call.button({ actionId: PANEL_BUTTON, user: ws.users.get('olivia'), room: room(ws, 'secret') });
        assert.equal(opened.kind, 'open-bar');
        assert.equal(opened.view!.id, panelViewId('secret'));
        assert.deepEqual(await call.button({ actionId: 'another-apps-button', user: ws.users.get('olivia'), room: room(ws, 'secret') }), { kind: 'success' });
    });

    test('the switch acts on the room its button carries, or else the room it was clicked in, and the panel shows the result', async () => {
        // A door without a session acts only on the permission table: a plain account reads it.
        const ws = withPlainServiceAccount(workspace());
        const { call } = panelOf(ws);
        const carried = await call.block({ actionId: SWITCH_ON, value: 'secret', user: ws.users.get('olivia'), room: room(ws, 'town') });
        assert.equal(ws.encryptedOf('secret'), true);
        assert.equal(carried.kind, 'update-bar');
        assert.equal(carried.view!.id, panelViewId('secret'));
        ws.setEncryptedFlag('secret', false);
        const fromRoom = await call.block({ actionId: SWITCH_ON, value: '', user: ws.users.get('olivia'), room: room(ws, 'secret') });
        assert.equal(ws.encryptedOf('secret'), true);
        assert.equal(fromRoom.view!.id, panelViewId('secret'));
        const doors = (await encryptionHistory(ws, 'olivia', { roomId: 'secret' })).content.history.map((entry: { door: string }) => entry.door);
        assert.deepEqual(doors, ['panel', 'panel'], "recorded as the panel's changes");
    });

    test('switching off asks first, in a modal that carries the room; someone who may not see the group gets the refusal in the panel instead', async () => {
        // A door without a session acts only on the permission table: a plain account reads it.
        const ws = withPlainServiceAccount(workspace());
        ws.setEncryptedFlag('secret', true);
        const { call } = panelOf(ws);
        const asked = await call.block({ actionId: SWITCH_OFF, value: 'secret', user: ws.users.get('olivia'), room: room(ws, 'secret') });
        assert.equal(asked.kind, 'modal');
        assert.equal(asked.view!.id, confirmOffViewId('secret'));
        assert.equal(ws.encryptedOf('secret'), true, 'nothing changed yet');
        // otto is not in #secret: to him it does not exist.
        const refused = await call.block({ actionId: SWITCH_OFF, value: 'secret', user: ws.users.get('otto'), room: room(ws, 'town') });
        assert.equal(refused.kind, 'update-bar');
        assert.equal(refused.view!.id, panelViewId('secret'));
        assert.equal(ws.encryptedOf('secret'), true);
        assert.deepEqual(await call.block({ actionId: 'something-else', value: 'secret', user: ws.users.get('olivia') }), { kind: 'success' });
    });

    test('the confirmed switch-off changes the group and pushes the panel; a view that is not the confirmation changes nothing', async () => {
        // A door without a session acts only on the permission table: a plain account reads it.
        const ws = withPlainServiceAccount(workspace());
        ws.setEncryptedFlag('secret', true);
        const { call, pushed } = panelOf(ws);
        assert.deepEqual(await call.submit({ view: { id: 'another-view' }, user: ws.users.get('olivia') }), { kind: 'success' });
        assert.equal(ws.encryptedOf('secret'), true);
        assert.deepEqual(await call.submit({ view: { id: confirmOffViewId('secret') }, user: ws.users.get('olivia'), triggerId: 't' }), { kind: 'success' });
        assert.equal(ws.encryptedOf('secret'), false);
        assert.deepEqual(
            pushed.map((view) => [view.id, view.triggerId]),
            [[panelViewId('secret'), 't']],
            "pushed to the panel the click's trigger belongs to",
        );
        assert.match(JSON.stringify(pushed[0]), /off for #secret/);
    });

    test('a failure is logged and answered as an error response, never thrown at the engine', async () => {
        // A door without a session acts only on the permission table: a plain account reads it.
        const ws = withPlainServiceAccount(workspace());
        const { call, errors } = panelOf(ws, true);
        assert.deepEqual(await call.button({ actionId: PANEL_BUTTON, user: ws.users.get('olivia'), room: room(ws, 'secret') }), { kind: 'error' });
        assert.deepEqual(await call.block({ actionId: SWITCH_ON, value: 'secret', user: ws.users.get('olivia') }), { kind: 'error' });
        assert.deepEqual(errors, ['Encrypt Group: the Encryption panel failed bridge down', 'Encrypt Group: the Encryption panel failed bridge down']);
    });
});
