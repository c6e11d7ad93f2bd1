import type { IRoomRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';

/** `getUserRoomIds` is in Apps-Engine 1.58+ but not 1.42/1.46; the zip is built against 1.42. */
export interface UserRoomIdsReader {
    getUserRoomIds?(userId: string): Promise<Array<string>>;
}

/**
 * Whether the user has a subscription to the room. The caller's room list is cheap and does not
 * grow with the room; the member list does, so it is only the fallback for servers without the former.
 */
export async function isMember(users: UserRoomIdsReader, rooms: Pick<IRoomRead, 'getMembers'>, userId: string, roomId: string): Promise<boolean> {
    if (typeof users.getUserRoomIds === 'function') {
        try {
            const roomIds = await users.getUserRoomIds(userId);
            if (Array.isArray(roomIds)) {
                return roomIds.includes(roomId);
            }
        } catch {
            // The Deno runtime offers every accessor name; an older server cannot answer this one.
        }
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
    depth = 0,
): Promise<boolean> {
    if (await isMember(users, rooms, userId, room.id)) {
        return true;
    }
    const parentId = room.parentRoom?.id;
    const parent = parentId && depth < 3 ? await rooms.getById(parentId) : undefined;
    return parent ? canAccess(users, rooms, userId, parent, depth + 1) : false;
}
