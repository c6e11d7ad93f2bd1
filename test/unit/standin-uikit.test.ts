// The stand-in's `POST /api/apps/ui.interaction/:appId` (test/standin/api/routes/uikit.ts) against
// Rocket.Chat's apps/meteor/ee/server/apps/communication/uikit.ts: what each interaction type hands
// the app. The route runs here over HTTP with a host that records the action instead of an engine.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';

import express from 'express';

import { authentication, readBody } from '../standin/api/middleware';
import { uiInteractionRouter } from '../standin/api/routes/uikit';
import type { AppHost } from '../standin/apps/AppHost';
import { seedPermissions } from '../standin/core/authorization';
import type { ServerContext } from '../standin/core/context';
import { seedSettings } from '../standin/core/settings';
import { createUser, issueToken } from '../standin/core/users';
import { serverProfile } from '../standin/generations';
import { Storage } from '../standin/storage/Storage';

describe('stand-in ui.interaction: the action each type hands the app', () => {
    const received: Array<Record<string, unknown>> = [];
    let url = '';
    let headers: Record<string, string> = {};
    let close: () => void = () => undefined;
    before(async () => {
        const profile = serverProfile('8.0.0');
        const storage = new Storage();
        seedSettings(storage, profile);
        seedPermissions(storage);
        const server: ServerContext = { storage, profile, events: { systemMessageSent: () => undefined } };
        const user = createUser(storage, { username: 'ui-user' });
        headers = { 'content-type': 'application/json', 'x-user-id': user._id, 'x-auth-token': issueToken(storage, user._id) };
        const host = {
            uiInteraction: async (action: Record<string, unknown>) => {
                received.push(action);
                return { success: true };
            },
        } as unknown as AppHost;
        const app = express();
        app.use(readBody, authentication(storage));
        app.use('/api/apps/ui.interaction', uiInteractionRouter(server, host));
        const http = app.listen(0, '127.0.0.1');
        await new Promise((resolve) => http.once('listening', resolve));
        url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/apps/ui.interaction/the-app`;
        close = () => http.close();
    });
    after(() => close());

    const interact = async (body: Record<string, unknown>) => {
        const answer = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
        assert.equal(answer.status, 200, await answer.text());
        return received.at(-1)!;
    };

    // `case 'viewClosed'`: `{type, appId, user, payload: {view, isCleared}}` — the body's actionId is not passed on.
    test('viewClosed: no actionId, even when the client sent one', async () => {
        const action = await interact({ type: 'viewClosed', actionId: 'sent-anyway', payload: { view: { id: 'v1' }, isCleared: true } });
        assert.ok(!('actionId' in action), JSON.stringify(action));
        assert.deepEqual(action.payload, { view: { id: 'v1' }, isCleared: true });
        assert.equal(action.appId, 'the-app');
    });

    test('viewSubmit and blockAction keep theirs', async () => {
        assert.equal((await interact({ type: 'viewSubmit', actionId: 'submit', payload: { view: {} } })).actionId, 'submit');
        assert.equal((await interact({ type: 'blockAction', actionId: 'click', payload: {}, container: {} })).actionId, 'click');
    });
});
