// Messages: the gate every posted message goes through, and the system messages the server saves
// itself. Written from apps/meteor/app/lib/server/methods/sendMessage.ts (`executeSendMessage`),
// apps/meteor/app/authorization/server/functions/canSendMessage.ts and
// apps/meteor/server/models/Messages `saveSystemMessage`.
import { hasPermission } from './authorization';
import type { ServerContext } from './context';
import { MeteorError } from './errors';
import type { NewMessage, RawMessage, RawUser } from '../storage/Storage';

/**
 * `executeSendMessage(uid, message)`: the sender must be able to post in the room
 * (`canSendMessageAsync`), and in an encrypted room — with `E2E_Enable` on and
 * `E2E_Allow_Unencrypted_Messages` off — only `t: 'e2e'` messages are accepted. The apps message
 * bridge and `chat.sendMessage` both come through here.
 */
export function executeSendMessage(server: ServerContext, uid: string, message: NewMessage): RawMessage {
    const { storage } = server;
    const user = storage.users.get(uid);
    if (!user?.username) {
        throw new MeteorError('error-invalid-user', 'Invalid user');
    }
    if (message.tmid && !storage.messages.some((candidate) => candidate._id === message.tmid && candidate.rid === message.rid)) {
        throw new MeteorError('error-invalid-thread', 'Invalid thread');
    }
    const room = canSendMessage(server, message.rid, user);
    if (room.encrypted && storage.settings.get('E2E_Enable') === true && storage.settings.get('E2E_Allow_Unencrypted_Messages') !== true) {
        if (message.t !== 'e2e') {
            throw new MeteorError('error-not-allowed', 'Not allowed to send un-encrypted messages in an encrypted room', { method: 'sendMessage' });
        }
    }
    return storage.insertMessage(message);
}

/** `validateRoomMessagePermissionsAsync`: the room exists, the sender may access it, it is not read-only for them. */
function canSendMessage(server: ServerContext, rid: string, user: RawUser) {
    const { storage } = server;
    const room = storage.rooms.get(rid);
    if (!room) {
        throw new MeteorError('error-invalid-room', 'Invalid room');
    }
    // `canAccessRoomAsync`: public channels are open to everyone; other rooms need a subscription.
    if (user.type !== 'app' && room.t !== 'c' && !storage.subscription(rid, user._id)) {
        throw new MeteorError('error-not-allowed', 'Not allowed');
    }
    if (room.ro === true && !hasPermission(storage, user._id, 'post-readonly', rid)) {
        throw new MeteorError('error-not-allowed', "You can't send messages because the room is readonly.");
    }
    return room;
}

/**
 * `Message.saveSystemMessage(type, rid, msg, user)`: stored directly, with no send gate (system
 * messages are the server's own), then announced to apps as `IPostSystemMessageSent`.
 */
export function saveSystemMessage(server: ServerContext, type: string, rid: string, user: RawUser): RawMessage {
    const message = server.storage.insertMessage({ rid, t: type, msg: user.username, u: { _id: user._id, username: user.username }, groupable: false });
    server.events.systemMessageSent(message);
    return message;
}
