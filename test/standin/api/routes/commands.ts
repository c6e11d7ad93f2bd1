// `POST /api/v1/commands.run` (apps/meteor/app/api/server/v1/commands.ts up to 7.x,
// apps/meteor/server/api/v1/commands.ts from 8.0): runs a slash command as the caller in a room
// they can access, as the web client does when a message starts with `/`. `GET|POST
// /api/v1/commands.preview`: what the web client asks while a command that provides previews is
// typed, and sends when one is chosen.
import Ajv from 'ajv';

import { type Answer, forbidden, success } from '../answers';
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

/** A room the caller cannot access: `API.v1.forbidden()`, bare, in this version's words. */
const refused = (server: ServerContext): Answer => forbidden(server.profile.forbiddenError);

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
                    return refused(server);
                }
                // 8.0 skips an empty `tmid`; earlier versions look even that one up.
                const checkThread = server.profile.schemaValidatedCommands ? Boolean(body.tmid) : typeof body.tmid === 'string';
                if (checkThread && storage.messages.get(body.tmid)?.rid !== body.roomId) {
                    throw new MeteorError(undefined, 'Invalid thread.');
                }
                const params = typeof body.params === 'string' ? body.params : '';
                await host.executeCommand(command, call.user, room, params, body.tmid || undefined, body.triggerId || undefined);
                return success();
            },
        },
    );
}

/**
 * `commands.preview` (apps/meteor/app/api/server/v1/commands.ts), with the field checks and
 * sentences the route has kept through 7.x and 8.x, then the command's own:
 * `getSlashCommandPreviews` / `executeSlashCommandPreview`
 * (apps/meteor/app/lib/server/methods/) throw for a command that provides no previews and for a
 * missing item, and `slashCommands.getPreviews` / `executePreview`
 * (apps/meteor/app/utils/server/slashCommand.ts) drop a preview with no items, keep the first ten,
 * and refuse an item without an id, type and value. A room the caller cannot access is
 * `API.v1.forbidden()`, bare. (The OpenAPI rewrite of these routes on Rocket.Chat's develop branch,
 * PR #39553 of April 2026, answers an empty `preview: {i18nTitle: '', items: []}` and "User does not
 * have access to this room" instead; no release is known to ship it, so no profile does.)
 */
export function commandsPreviewRoutes(api: ApiRouter, server: ServerContext, host: AppHost, state: HostState): void {
    const { storage } = server;
    const registered = (command: string) => {
        const cmd = command.toLowerCase();
        if (!state.commands.has(cmd)) {
            throw new MeteorError(undefined, 'The command provided does not exist (or is disabled).');
        }
        return cmd;
    };
    const previewable = (cmd: string) => {
        if (!state.commands.get(cmd)!.command.providesPreview) {
            throw new MeteorError('error-invalid-command', 'Command Does Not Provide Previews', { method: 'executeSlashCommandPreview' });
        }
        return hasPreviewer(state.commands.get(cmd)!.command, 'previewer', server);
    };
    api.addRoute(
        'commands.preview',
        { authRequired: true },
        {
            get: async ({ user, queryParams: query }: AuthedCall) => {
                const problem =
                    typeof query.command !== 'string'
                        ? 'You must provide a command to get the previews from.'
                        : typeof query.roomId !== 'string'
                          ? "The room's id where the previews are being displayed must be provided and be a string."
                          : undefined;
                if (problem) {
                    throw new MeteorError(undefined, problem);
                }
                const cmd = registered(query.command);
                const room = storage.rooms.get(query.roomId);
                if (!room || !canAccessRoom(storage, room, user)) {
                    return refused(server);
                }
                // No preview at all is answered `API.v1.success({ preview })` with `preview` undefined,
                // which JSON leaves out: `{success: true}`, with no `preview` key.
                if (!previewable(cmd)) {
                    return success();
                }
                const preview = await host.commandPreviews(cmd, user, room, query.params ?? '');
                if (!preview?.items?.length) {
                    return success();
                }
                return success({ preview: { ...preview, items: preview.items.slice(0, 10) } });
            },
            post: async ({ user, bodyParams: body }: AuthedCall) => {
                const problem =
                    typeof body.command !== 'string'
                        ? 'You must provide a command to run the preview item on.'
                        : body.params && typeof body.params !== 'string'
                          ? 'The parameters for the command must be a single string.'
                          : typeof body.roomId !== 'string'
                            ? "The room's id where the preview is being executed in must be provided and be a string."
                            : typeof body.previewItem === 'undefined'
                              ? 'The preview item being executed must be provided.'
                              : !body.previewItem?.id || !body.previewItem?.type || typeof body.previewItem?.value === 'undefined'
                                ? 'The preview item being executed is in the wrong format.'
                                : body.tmid && typeof body.tmid !== 'string'
                                  ? 'The tmid parameter when provided must be a string.'
                                  : body.triggerId && typeof body.triggerId !== 'string'
                                    ? 'The triggerId parameter when provided must be a string.'
                                    : undefined;
                if (problem) {
                    throw new MeteorError(undefined, problem);
                }
                const cmd = registered(body.command);
                const room = storage.rooms.get(body.roomId);
                if (!room || !canAccessRoom(storage, room, user)) {
                    return refused(server);
                }
                if (body.tmid && storage.messages.get(body.tmid)?.rid !== body.roomId) {
                    throw new MeteorError(undefined, 'Invalid thread.');
                }
                previewable(cmd);
                const item = body.previewItem;
                if (hasPreviewer(state.commands.get(cmd)!.command, 'executePreviewItem', server)) {
                    if (!item.value) {
                        throw new MeteorError('error-invalid-preview', 'Preview Item must have an id, type, and value.');
                    }
                    await host.executeCommandPreview(cmd, item, user, room, body.params ?? '', body.tmid || undefined, body.triggerId || undefined);
                }
                return success();
            },
        },
    );
}

/**
 * Whether Rocket.Chat registered the command's previewer (or preview executor). Its bridge keeps
 * them only when the command object it is handed has them (`previewer: !command.previewer ?
 * undefined : …`). Under vm2 (Rocket.Chat up to 6.10) that object is the app's own command, with
 * its methods; the Deno runtime sends the command's fields over msgpack, where methods do not
 * travel, so there the command's `providesPreview` is what is left to go by — an app that says it
 * provides previews is asked for them.
 */
function hasPreviewer(command: any, method: 'previewer' | 'executePreviewItem', server: ServerContext): boolean {
    return server.profile.generation.id === 'vm2' ? typeof command[method] === 'function' : command.providesPreview === true;
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
