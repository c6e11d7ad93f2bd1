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
                const sent = executeSendMessage(server, user._id, {
                    rid: message.rid,
                    msg: typeof message.msg === 'string' ? message.msg : '',
                    u: { _id: user._id, username: user.username, name: user.name },
                    ...(typeof message.t === 'string' && { t: message.t }),
                    ...(typeof message.tmid === 'string' && { tmid: message.tmid }),
                });
                return success({ message: structuredClone(sent) });
            },
        },
    );
}
