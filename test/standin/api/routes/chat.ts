// Sending messages (apps/meteor/app/api/server/v1/chat.ts): `chat.sendMessage` goes through
// `executeSendMessage`, the same gate as an app's messages, so its rules are visible from outside.
import { success } from '../answers';
import type { ApiRouter } from '../ApiRouter';
import type { ServerContext } from '../../core/context';
import { MeteorError } from '../../core/errors';
import { executeSendMessage } from '../../core/messages';

export function chatRoutes(api: ApiRouter, server: ServerContext): void {
    api.addRoute(
        'chat.sendMessage',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                const message = bodyParams.message;
                if (!message || typeof message !== 'object' || typeof message.rid !== 'string') {
                    throw new MeteorError('error-invalid-params', 'The "message" parameter must be provided.');
                }
                // Since 7.0 only clients' own kinds of message are accepted here; system messages are the server's.
                if (server.profile.refusesSystemMessagesInChat && message.t !== undefined && message.t !== 'e2e') {
                    throw new MeteorError(undefined, "Cannot send system messages using 'chat.sendMessage'");
                }
                const send = () =>
                    executeSendMessage(server, user._id, {
                        rid: message.rid,
                        msg: typeof message.msg === 'string' ? message.msg : '',
                        u: { _id: user._id, username: user.username, name: user.name },
                        ...(typeof message.t === 'string' && { t: message.t }),
                        ...(typeof message.tmid === 'string' && { tmid: message.tmid }),
                    });
                return success({ message: structuredClone(server.profile.refusesSystemMessagesInChat ? send() : messageOnly(send)) });
            },
        },
    );
}

/** Before 7.0 the route caught every error as `API.v1.failure(e.message)`: the message alone, no code or details. */
function messageOnly<T>(run: () => T): T {
    try {
        return run();
    } catch (error) {
        throw error instanceof MeteorError ? new MeteorError(undefined, error.message) : error;
    }
}
