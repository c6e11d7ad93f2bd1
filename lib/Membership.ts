import type { IRoomRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';

/** `getUserRoomIds` is in Apps-Engine 1.58+ but not 1.42/1.46; the zip is built against 1.42. */
export interface UserRoomIdsReader {
    getUserRoomIds?(userId: string): Promise<Array<string>>;
}

/**
 * The rooms the user is subscribed to, where the server can say (Apps-Engine 1.58+); undefined
 * otherwise. Started early, it runs beside the room lookup.
 */
export function roomIdsOf(users: UserRoomIdsReader, userId: string): Promise<Array<string> | undefined> {
    if (typeof users.getUserRoomIds !== 'function') {
        return Promise.resolve(undefined);
    }
    // The Deno runtime offers every accessor name; an older server cannot answer this one.
    return users.getUserRoomIds(userId).then(
        (ids) => (Array.isArray(ids) ? ids : undefined),
        () => undefined,
    );
}

/**
 * Whether the user has a subscription to the room. The caller's room list is cheap and does not
 * grow with the room; the member list does, so it is only the fallback for servers without the former.
 */
export async function isMember(
    users: UserRoomIdsReader,
    rooms: Pick<IRoomRead, 'getMembers'>,
    userId: string,
    roomId: string,
    roomIds: Promise<Array<string> | undefined> = roomIdsOf(users, userId),
): Promise<boolean> {
    const ids = await roomIds;
    if (ids) {
        return ids.includes(roomId);
    }
    const members = await rooms.getMembers(roomId);
    return members.some((member) => member.id === userId);
}

/**
 * Rocket.Chat's `canAccessRoom` for a private group: a subscription, or — for a discussion — access
 * to the room it was started in (apps/meteor/server/services/authorization/canAccessRoom.ts).
 */
export async function canAccess(
    users: UserRoomIdsReader,
    rooms: Pick<IRoomRead, 'getMembers' | 'getById'>,
    userId: string,
    room: IRoom,
    roomIds: Promise<Array<string> | undefined> = roomIdsOf(users, userId),
    depth = 0,
): Promise<boolean> {
    if (await isMember(users, rooms, userId, room.id, roomIds)) {
        return true;
    }
    const parentId = room.parentRoom?.id;
    const parent = parentId && depth < 3 ? await rooms.getById(parentId) : undefined;
    return parent ? canAccess(users, rooms, userId, parent, roomIds, depth + 1) : false;
}
