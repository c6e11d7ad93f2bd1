// `POST /api/v1/commands.run` (apps/meteor/app/api/server/v1/commands.ts up to 7.x,
// apps/meteor/server/api/v1/commands.ts from 8.0): runs a slash command as the caller in a room
// they can access, as the web client does when a message starts with `/`.
import Ajv from 'ajv';

import { type Answer, success } from '../answers';
import type { ApiRouter, AuthedCall } from '../ApiRouter';
import type { AppHost } from '../../apps/AppHost';
import type { HostState } from '../../apps/bridges';
import { canAccessRoom } from '../../core/authorization';
import type { ServerContext } from '../../core/context';
import { MeteorError } from '../../core/errors';

/** The 8.0 body schema; Rocket.Chat's ajv reports the first error. */
const validateBody = new Ajv().compile({
    type: 'object',
    properties: {
        command: { type: 'string', minLength: 1 },
        params: { type: ['string', 'null'] },
        roomId: { type: 'string', minLength: 1 },
        tmid: { type: ['string', 'null'] },
        triggerId: { type: ['string', 'null'] },
    },
    required: ['command', 'roomId'],
    additionalProperties: false,
});

/** `API.v1.forbidden()` while the breaking-change flag is off. */
const FORBIDDEN: Answer = { statusCode: 403, body: { success: false, error: 'unauthorized' } };

export function commandsRoutes(api: ApiRouter, server: ServerContext, host: AppHost, state: HostState): void {
    const { storage } = server;
    api.addRoute(
        'commands.run',
        { authRequired: true },
        {
            post: async (call: AuthedCall) => {
                const body = call.bodyParams;
                const invalid = server.profile.schemaValidatedCommands ? schemaProblem(call.body) : fieldProblem(body);
                if (invalid) {
                    return invalid;
                }
                const command = body.command.toLowerCase();
                if (!state.commands.has(command)) {
                    throw new MeteorError(undefined, 'The command provided does not exist (or is disabled).');
                }
                const room = storage.rooms.get(body.roomId);
                if (!room || !canAccessRoom(storage, room, call.user)) {
                    return FORBIDDEN;
                }
                // 8.0 skips an empty `tmid`; earlier versions look even that one up.
                const checkThread = server.profile.schemaValidatedCommands ? Boolean(body.tmid) : typeof body.tmid === 'string';
                if (checkThread && storage.messages.find((message) => message._id === body.tmid)?.rid !== body.roomId) {
                    throw new MeteorError(undefined, 'Invalid thread.');
                }
                const params = typeof body.params === 'string' ? body.params : '';
                await host.executeCommand(command, call.user, room, params, body.tmid || undefined, body.triggerId || undefined);
                return success();
            },
        },
    );
}

function schemaProblem(body: unknown): Answer | undefined {
    if (validateBody(body)) {
        return undefined;
    }
    const error = (validateBody.errors ?? []).map((problem) => problem.message).join('\n ');
    return { statusCode: 400, body: { success: false, errorType: 'invalid-params', error } };
}

/** Up to 7.x: one sentence per field, checked in this order. */
function fieldProblem(body: Record<string, any>): Answer | undefined {
    const problem =
        typeof body.command !== 'string'
            ? 'You must provide a command to run.'
            : body.params && typeof body.params !== 'string'
              ? 'The parameters for the command must be a single string.'
              : typeof body.roomId !== 'string'
                ? "The room's id where to execute this command must be provided and be a string."
                : body.tmid && typeof body.tmid !== 'string'
                  ? 'The tmid parameter when provided must be a string.'
                  : undefined;
    return problem ? { statusCode: 400, body: { success: false, error: problem } } : undefined;
}
