// `POST /api/apps/ui.interaction/:appId` (apps/meteor/ee/server/apps/communication/uikit.ts): where
// a client sends what a person did with an app's UI — an action button, a block action, a view
// submitted or closed. It is its own Express router in Rocket.Chat, outside the REST API class:
// first its own rate limiter (see UiKitRateLimiter), then the login — its 401 is always the
// Restivus-style body —, an unknown type is `400 {error:'Unknown action'}`, a failure is
// `500 {error}`, and the app's answer is sent as the body as it came.
import { type Request, type Response, Router } from 'express';

import { routeCall, send } from '../ApiRouter';
import { UiKitRateLimiter } from '../rateLimiter';
import type { AppHost } from '../../apps/AppHost';
import { toAppMessage, toAppRoom, toAppUser } from '../../apps/converters';
import type { ServerContext } from '../../core/context';

const NOT_LOGGED_IN = { status: 'error', message: 'You must be logged in to do this.' };

export function uiInteractionRouter(server: ServerContext, host: AppHost): Router {
    const { storage } = server;
    const room = (rid: unknown) => (typeof rid === 'string' ? toAppRoom(storage, storage.rooms.get(rid)) : undefined);
    const message = (mid: unknown) => {
        const found = typeof mid === 'string' && mid ? storage.messages.get(mid) : undefined;
        return found && toAppMessage(storage, found, server.profile.messageTypeMapped);
    };
    // Built at start-up, as `Meteor.startup` builds it: later changes to the numbers do not reach it.
    const limiter = new UiKitRateLimiter(storage);
    const router = Router();
    router.post('/:appId', async (request: Request, response: Response) => {
        const rate = limiter.check(request.socket.remoteAddress ?? '');
        if (rate) {
            response.set(rate.headers);
            if (rate.refused) {
                return send(response, rate.refused);
            }
        }
        const call = routeCall(request);
        if (!call.user) {
            return send(response, { statusCode: 401, body: NOT_LOGGED_IN });
        }
        const { appId } = call.urlParams;
        const body = call.bodyParams;
        const user = toAppUser(call.user);
        let action: Record<string, unknown>;
        try {
            // The fields each type passes on, as the route picks them from the body.
            switch (body.type) {
                case 'blockAction':
                    action = {
                        type: body.type,
                        container: body.container,
                        appId,
                        actionId: body.actionId,
                        message: message(body.mid),
                        triggerId: body.triggerId,
                        payload: body.payload,
                        user,
                        visitor: body.visitor,
                        room: room(body.rid),
                    };
                    break;
                case 'viewClosed':
                    // No `actionId`: the route passes on the type, the view and whether it was cleared, even
                    // when the client sent one (from the 6.x UiKit rework on; the route's first form did).
                    action = { type: body.type, appId, user, payload: { view: body.payload.view, isCleared: body.payload.isCleared } };
                    break;
                case 'viewSubmit':
                    action = { type: body.type, appId, actionId: body.actionId, triggerId: body.triggerId, payload: body.payload, user };
                    break;
                case 'actionButton':
                    action = {
                        type: body.type,
                        appId,
                        actionId: body.actionId,
                        triggerId: body.triggerId,
                        user,
                        room: room(body.rid),
                        message: message(body.mid),
                        payload: { context: body.payload.context },
                    };
                    break;
                default:
                    return send(response, { statusCode: 400, body: { error: 'Unknown action' } });
            }
            const result = await host.uiInteraction(action);
            // Express's `res.send(undefined)`: a 200 with no body.
            send(response, { statusCode: 200, body: result === undefined ? '' : (result as Record<string, unknown>) });
        } catch (error) {
            send(response, { statusCode: 500, body: { error: error instanceof Error ? error.message : error } });
        }
    });
    return router;
}
