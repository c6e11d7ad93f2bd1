// Rooms and subscriptions, and the room rules the routes and bridges share: creating a room, the
// private-group lookup of the groups.* routes, and `saveRoomSettings` for `encrypted`.
import { hasPermission } from './authorization';
import type { ServerContext } from './context';
import { MeteorError } from './errors';
import { saveSystemMessage } from './messages';
import { newId, type RawRoom, type RawSubscription, type RawUser, type Storage } from '../storage/Storage';

export function createRoom(storage: Storage, type: RawRoom['t'], name: string | undefined, owner: RawUser, memberIds: Array<string>): RawRoom {
    if (name && storage.roomByName(name)) {
        throw new MeteorError('error-duplicate-channel-name', `A channel with name '${name}' exists`);
    }
    const now = new Date();
    const room: RawRoom = {
        _id: newId(),
        t: type,
        ...(name && { name, fname: name }),
        u: { _id: owner._id, username: owner.username },
        ts: now,
        _updatedAt: now,
        msgs: 0,
        usersCount: 0,
        ro: false,
        default: false,
        description: '',
        broadcast: false,
    };
    storage.rooms.set(room._id, room);
    for (const userId of new Set([owner._id, ...memberIds])) {
        subscribe(storage, room, userId, type !== 'd' && userId === owner._id ? ['owner'] : []);
    }
    if (type === 'd') {
        room.usernames = [...new Set([owner._id, ...memberIds])].map((id) => storage.users.get(id)!.username);
    }
    return room;
}

export function subscribe(storage: Storage, room: RawRoom, userId: string, roles: Array<string> = []): RawSubscription {
    const existing = storage.subscription(room._id, userId);
    if (existing) {
        return existing;
    }
    const user = storage.users.get(userId);
    if (!user) {
        throw new MeteorError('error-invalid-user', 'Invalid user');
    }
    room.usersCount += 1;
    return storage.insertSubscription(room, user, roles);
}

export function unsubscribe(storage: Storage, room: RawRoom, userId: string): void {
    if (storage.removeSubscription(room._id, userId)) {
        room.usersCount -= 1;
    }
}

/**
 * `findPrivateGroupByIdOrName` (apps/meteor/app/api/server/v1/groups.ts): the parameter rule, then
 * type and subscription (one answer for all three, so nobody learns a group exists), then archived.
 */
export function findPrivateGroup(storage: Storage, params: Record<string, unknown>, userId: string, checkArchived = true): RawRoom {
    const { roomId, roomName } = params;
    if (!roomId && !roomName) {
        throw new MeteorError('error-room-param-not-provided', 'The parameter "roomId" or "roomName" is required');
    }
    const byId = 'roomId' in params;
    const key = byId ? roomId : roomName;
    const room = typeof key !== 'string' ? undefined : byId ? storage.rooms.get(key) : storage.roomByName(key);
    if (!room || room.t !== 'p' || !storage.subscription(room._id, userId)) {
        throw new MeteorError('error-room-not-found', 'The required "roomId" or "roomName" param provided does not match any group');
    }
    if (checkArchived && room.archived) {
        throw new MeteorError('error-room-archived', `The private group, ${room.name}, is archived`);
    }
    return room;
}

/**
 * `saveRoomSettings(userId, rid, {encrypted})` (apps/meteor/server/methods/saveRoomSettings.ts):
 * edit-room, then the encryption validator, then `saveRoomEncrypted` — the write, Rocket.Chat's
 * system message when the boolean changed, and auto-translate cleared on the subscriptions when
 * enabling. The validators' errors carry `details`, which REST failures pass on.
 */
export function saveRoomEncrypted(server: ServerContext, user: RawUser, room: RawRoom, value: boolean): void {
    const { storage } = server;
    if (!hasPermission(storage, user._id, 'edit-room', room._id)) {
        throw new MeteorError('error-action-not-allowed', 'Editing room is not allowed', { method: 'saveRoomSettings', action: 'Editing_room' });
    }
    if (value !== room.encrypted) {
        const details = { method: 'saveRoomSettings', action: 'Change_Room_Encrypted' };
        const e2eAllowed = storage.settings.get('E2E_Enable') === true && (room.t === 'p' || room.t === 'd') && !room.federated;
        if (!e2eAllowed) {
            throw new MeteorError('error-action-not-allowed', 'Only groups or direct channels can enable encryption', details);
        }
        if (room.t !== 'd' && !hasPermission(storage, user._id, 'toggle-room-e2e-encryption', room._id)) {
            throw new MeteorError('error-action-not-allowed', 'You do not have permission to toggle E2E encryption', details);
        }
    }
    const changed = Boolean(room.encrypted) !== value;
    room.encrypted = value === true;
    room._updatedAt = new Date();
    if (changed) {
        saveSystemMessage(server, value ? 'room_e2e_enabled' : 'room_e2e_disabled', room._id, user);
    }
    if (value) {
        for (const subscription of storage.subscriptionsOf(room._id)) {
            delete subscription.autoTranslate;
        }
    }
}
