import type { IRoomRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';

import { type UserRoomIdsReader, roomIdsOf } from '../Membership';
import type { GroupEntry } from './rankGroups';

/** How long a caller's list of groups is reused while they type (a group joined meanwhile shows up after this). */
const TTL_MS = 30_000;
/** How many callers' lists are kept; the oldest is dropped first. */
const MAX_CALLERS = 200;
/** Rooms looked up at once: a caller in hundreds of rooms is not hundreds of calls in flight. */
const BATCH = 25;

/**
 * The private groups each caller is in, for the picker. The server gives apps the caller's room ids
 * (`getUserRoomIds`, Apps-Engine 1.58+) but no names, so the first keystroke looks each room up
 * and the next ones, for a short while, reuse the list. Lives on the app instance.
 */
export class GroupDirectory {
    private readonly lists = new Map<string, { expires: number; groups: Promise<Array<GroupEntry> | undefined> }>();

    /** The caller's private groups; undefined where the server cannot say which rooms they are in. */
    public groupsOf(users: UserRoomIdsReader, rooms: Pick<IRoomRead, 'getById'>, userId: string, now = Date.now()): Promise<Array<GroupEntry> | undefined> {
        const cached = this.lists.get(userId);
        if (cached && cached.expires > now) {
            return cached.groups;
        }
        const groups = load(users, rooms, userId);
        this.lists.delete(userId);
        this.lists.set(userId, { expires: now + TTL_MS, groups });
        if (this.lists.size > MAX_CALLERS) {
            this.lists.delete(this.lists.keys().next().value as string);
        }
        // A failed look-up is not kept: the next keystroke tries again.
        groups.catch(() => this.lists.delete(userId));
        return groups;
    }
}

async function load(users: UserRoomIdsReader, rooms: Pick<IRoomRead, 'getById'>, userId: string): Promise<Array<GroupEntry> | undefined> {
    const ids = await roomIdsOf(users, userId);
    if (!ids) {
        return undefined;
    }
    const groups: Array<GroupEntry> = [];
    for (let start = 0; start < ids.length; start += BATCH) {
        const found = await Promise.all(ids.slice(start, start + BATCH).map((id) => rooms.getById(id)));
        for (const room of found) {
            if (room && room.type === RoomType.PRIVATE_GROUP && room.slugifiedName) {
                groups.push({ id: room.id, name: room.slugifiedName, displayName: room.displayName });
            }
        }
    }
    return groups;
}
