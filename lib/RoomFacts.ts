import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';

/**
 * Room fields the Apps-Engine `IRoom` does not declare. Rocket.Chat's room converter hands every
 * field it does not map to the app in `_unmappedProperties_`; newer servers map a few of them
 * (`teamId`, `teamMain`, `federated`) to declared fields, so both places are read.
 */
export type RoomWithUnmapped = IRoom & {
    _unmappedProperties_?: Record<string, unknown>;
    teamId?: string;
    isTeamMain?: boolean;
    isFederated?: boolean;
};

export function unmapped(room: IRoom): Record<string, unknown> {
    return (room as RoomWithUnmapped)._unmappedProperties_ ?? {};
}

/** The raw value, not a boolean: Rocket.Chat treats a room that never had the flag as a change. */
export function encryptedFlag(room: IRoom): unknown {
    return unmapped(room).encrypted;
}

export function isArchived(room: IRoom): boolean {
    return unmapped(room).archived === true;
}

export function isFederated(room: IRoom): boolean {
    return (room as RoomWithUnmapped).isFederated === true || unmapped(room).federated === true;
}

/**
 * The name Rocket.Chat shows for a group: a discussion's random `name` means nothing to people, so
 * its title (`fname`) is used, as Rocket.Chat's own refusals do (`room.prid ? room.fname : room.name`).
 */
export function displayName(room: IRoom): string {
    return room.parentRoom && room.displayName ? room.displayName : room.slugifiedName;
}
