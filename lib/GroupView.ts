import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';

import { type RoomWithUnmapped, unmapped } from './RoomFacts';

/**
 * The `group` object of `groups.setEncrypted`'s 200 answer, in Rocket.Chat's field names, rebuilt
 * from the Apps-Engine room. A field the server did not hand over is left out, never made up.
 */
export function groupView(room: IRoom): Record<string, unknown> {
    const extra = unmapped(room);
    const { teamId, isTeamMain } = room as RoomWithUnmapped;
    const view: Record<string, unknown> = {
        _id: room.id,
        fname: room.displayName,
        description: room.description ?? extra.description,
        broadcast: extra.broadcast,
        encrypted: extra.encrypted,
        teamMain: isTeamMain ?? extra.teamMain,
        name: room.slugifiedName,
        t: room.type,
        msgs: room.messageCount,
        usersCount: extra.usersCount,
        u: room.creator ? { _id: room.creator.id, username: room.creator.username } : undefined,
        ts: isoDate(room.createdAt),
        ro: room.isReadOnly,
        teamId: teamId ?? extra.teamId,
        _updatedAt: isoDate(room.updatedAt),
        default: room.isDefault,
        sysMes: room.displaySystemMessages,
        // As stored, `null` included (a whole-room update from the Deno runtime writes one).
        federated: (room as RoomWithUnmapped).isFederated !== undefined ? (room as RoomWithUnmapped).isFederated : extra.federated,
    };
    return Object.fromEntries(Object.entries(view).filter(([, value]) => value !== undefined));
}

/**
 * A date as Rocket.Chat's REST answers write it. Read through `getTime()` where the value has one:
 * a Date from outside the vm2 sandbox (Rocket.Chat up to 6.10) is no `Date` inside it, and
 * `new Date(thatDate)` goes through its text, which has no milliseconds.
 */
function isoDate(value: unknown): string | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    const time = typeof (value as Date).getTime === 'function' ? (value as Date).getTime() : new Date(value as string | number).getTime();
    return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
