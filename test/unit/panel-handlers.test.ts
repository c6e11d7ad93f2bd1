// The Encryption panel's UI-kit handlers, over the fake workspace: which interaction does what, which
// room a click acts on, and that a failure is logged and answered as an error, not thrown. The views
// themselves are panel-picker.test.ts's.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { PANEL_BUTTON, SWITCH_OFF, SWITCH_ON, confirmOffViewId, panelViewId } from '../../lib/panel/ids';
import type { FakeWorkspace } from '../fakes/FakeWorkspace';
import { encryptionHistory, panelDoor, withPlainServiceAccount, workspace } from '../fakes/harness';

const room = (ws: FakeWorkspace, id: string) => ws.rooms.get(id)!;

describe("the Encryption panel's handlers", () => {
    test('the room button opens the panel of the room it was clicked in; other buttons are not the panel', async () => {
        // A door without a session acts only on the permission table: a plain account reads it.
        const ws = withPlainServiceAccount(workspace());
        const { call } = panelDoor(ws);
        const opened = await call.button({ actionId: PANEL_BUTTON, user: ws.users.get('olivia'), room: room(ws, 'secret') });
        assert.equal(opened.kind, 'open-bar');
        assert.equal(opened.view!.id, panelViewId('secret'));
        assert.deepEqual(await call.button({ actionId: 'another-apps-button', user: ws.users.get('olivia'), room: room(ws, 'secret') }), { kind: 'success' });
    });

    test('the switch acts on the room its button carries, or else the room it was clicked in, and the panel shows the result', async () => {
        // A door without a session acts only on the permission table: a plain account reads it.
        const ws = withPlainServiceAccount(workspace());
        const { call } = panelDoor(ws);
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
        const { call } = panelDoor(ws);
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
        const { call, pushed } = panelDoor(ws);
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
        const { call, errors } = panelDoor(ws, true);
        assert.deepEqual(await call.button({ actionId: PANEL_BUTTON, user: ws.users.get('olivia'), room: room(ws, 'secret') }), { kind: 'error' });
        assert.deepEqual(await call.block({ actionId: SWITCH_ON, value: 'secret', user: ws.users.get('olivia') }), { kind: 'error' });
        assert.deepEqual(errors, ['Encrypt Group: the Encryption panel failed bridge down', 'Encrypt Group: the Encryption panel failed bridge down']);
    });
});
