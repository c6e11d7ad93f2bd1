// Messages: the gate every posted message goes through, and the system messages the server saves
// itself. Written from apps/meteor/app/lib/server/methods/sendMessage.ts (`executeSendMessage`),
// apps/meteor/app/authorization/server/functions/canSendMessage.ts and
// apps/meteor/server/models/Messages `saveSystemMessage`.
import { canAccessRoom, hasPermission } from './authorization';
import type { ServerContext } from './context';
import { MeteorError } from './errors';
import type { NewMessage, RawMessage, RawRoom, RawUser } from '../storage/Storage';

/**
 * `executeSendMessage(uid, message)`: the sender must be able to post in the room
 * (`canSendMessageAsync`), and in an encrypted room — with `E2E_Enable` on and
 * `E2E_Allow_Unencrypted_Messages` off — only `t: 'e2e'` messages are accepted. The apps message
 * bridge and `chat.sendMessage` both come through here. (Thread replies, message size and
 * timestamps are checked here too in Rocket.Chat; nothing this stand-in serves sends them.)
 */
export function executeSendMessage(server: ServerContext, uid: string, message: NewMessage): RawMessage {
    const { storage } = server;
    const user = storage.users.get(uid);
    if (!user?.username) {
        throw new MeteorError('error-invalid-user', 'Invalid user');
    }
    try {
        const room = canSendMessage(server, message.rid, user);
        if (room.encrypted && storage.settings.get('E2E_Enable') === true && storage.settings.get('E2E_Allow_Unencrypted_Messages') !== true) {
            if (message.t !== 'e2e') {
                throw new MeteorError('error-not-allowed', 'Not allowed to send un-encrypted messages in an encrypted room', { method: 'sendMessage' });
            }
        }
    } catch (error) {
        // The sender is also told, privately, in their client (`notify.ephemeralMessage`).
        const key = error instanceof MeteorError ? (error.error ?? error.reason) : String(error);
        storage.addNotice({ userId: uid, rid: message.rid, msg: TRANSLATED[key] ?? key, ts: new Date() });
        throw error;
    }
    const saved = storage.insertMessage(message);
    // `afterSaveMessage` → `Rooms.incMsgCountAndSetLastMessageById`: the room's last activity (`lm`;
    // the count is kept by insertMessage, for system messages too).
    storage.updateRoom(saved.rid, (room) => {
        room.lm = saved.ts;
    });
    return saved;
}

/** The English text of the error keys above, as the client shows the ephemeral message (packages/i18n, en). */
const TRANSLATED: Record<string, string> = {
    'error-not-allowed': 'Not allowed',
    'error-invalid-room': 'Invalid room',
    You_have_been_muted: 'You have been muted and cannot speak in this room',
};

/**
 * `canSendMessageAsync` → `validateRoomMessagePermissionsAsync`
 * (apps/meteor/app/authorization/server/functions/canSendMessage.ts): the room exists, the sender
 * may access it (apps' own users skip that check), it is not read-only for them (unless they were
 * unmuted in it), and they are not muted in it. These are plain errors in Rocket.Chat: no code, the
 * key as the message — a muted sender's `chat.sendMessage` answers 400 `{success:false,
 * error:'You_have_been_muted'}`, and an app posting as them is refused the same way.
 */
export function canSendMessage(server: ServerContext, rid: string, user: RawUser): RawRoom {
    const { storage } = server;
    const room = storage.rooms.get(rid);
    if (!room) {
        throw new MeteorError(undefined, 'error-invalid-room');
    }
    if (user.type !== 'app' && !canAccessRoom(storage, room, user)) {
        throw new MeteorError(undefined, 'error-not-allowed');
    }
    const listed = (list: unknown) => Array.isArray(list) && list.includes(user.username);
    if (room.ro === true && !hasPermission(storage, user._id, 'post-readonly', rid) && !listed(room.unmuted)) {
        throw new MeteorError(undefined, "You can't send messages because the room is readonly.");
    }
    if (listed(room.muted)) {
        throw new MeteorError(undefined, 'You_have_been_muted');
    }
    return room;
}

/**
 * `Message.saveSystemMessage(type, rid, msg, user, extra)`: stored directly, with no send gate
 * (system messages are the server's own), then announced to apps as `IPostSystemMessageSent`.
 * `msg` is what the message is about: the acting user's name for most types.
 */
export function saveSystemMessage(
    server: ServerContext,
    type: string,
    rid: string,
    user: RawUser,
    msg: string = user.username,
    extra: Record<string, unknown> = {},
): RawMessage {
    const message = server.storage.insertMessage({ ...extra, rid, t: type, msg, u: { _id: user._id, username: user.username }, groupable: false });
    server.events.systemMessageSent(message);
    return message;
}
