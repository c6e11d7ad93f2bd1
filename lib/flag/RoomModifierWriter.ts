import type { IModify } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { Refusal } from '../Refusal';
import { unmapped } from '../RoomFacts';
import type { FlagWriter } from './FlagWriter';
import type { WriteWayMemory } from './WriteWayMemory';

/**
 * Writes the flag through the app's room modifier. `IRoomBuilder` has no setter for `encrypted`,
 * so the flag rides in `_unmappedProperties_`, which servers before 7.4 merge back into the room.
 * Servers from 7.4 on drop that field and answer success anyway: the service's read-back catches it.
 */
export class RoomModifierWriter implements FlagWriter {
    public readonly name = 'room modifier';
    public readonly serverPostsNotice = false;

    constructor(
        private readonly modify: Pick<IModify, 'getUpdater'>,
        private readonly memory: WriteWayMemory,
    ) {}

    public async write(room: IRoom, encrypted: boolean, caller: IUser): Promise<Refusal | undefined> {
        const updater = this.modify.getUpdater();
        const builder = await updater.room(room.id, caller);
        const current = builder.getRoom();
        builder.setData({ ...current, _unmappedProperties_: { ...unmapped(current), encrypted } } as IRoom);
        // setData() deletes the id, and finish() refuses a room without one.
        builder.getRoom().id = room.id;
        await updater.finish(builder);
        return undefined;
    }

    public ignored(): void {
        this.memory.roomModifierIgnored = true;
    }
}
