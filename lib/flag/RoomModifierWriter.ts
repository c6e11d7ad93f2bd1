import type { IModify } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { Refusal } from '../Refusal';
import { unmapped } from '../RoomFacts';
import type { FlagWriter, Written } from './FlagWriter';

/**
 * Writes the flag through the app's room modifier. `IRoomBuilder` has no setter for `encrypted`,
 * so the flag rides in `_unmappedProperties_`, which servers before 7.4 merge back into the room.
 */
export class RoomModifierWriter implements FlagWriter {
    public readonly name = 'room modifier';
    public readonly serverPostsNotice = false;
    public readonly serverChecksCaller = false;

    constructor(private readonly modify: Pick<IModify, 'getUpdater'>) {}

    /**
     * Whether this server stores what the app puts in `_unmappedProperties_`. From Apps-Engine 1.49
     * (Rocket.Chat 7.4, PR #35120) the runtime's room builder tracks changes (`getChanges`) and
     * sends only those, and the server keeps known fields only: `encrypted` is dropped. The
     * builder's kind is a property of the runtime, so one look answers for as long as the app runs.
     */
    public async honoured(room: IRoom, caller: IUser): Promise<boolean> {
        const builder = await this.modify.getUpdater().room(room.id, caller);
        return typeof (builder as { getChanges?: unknown }).getChanges !== 'function';
    }

    public async write(room: IRoom, encrypted: boolean, caller: IUser): Promise<Written | Refusal> {
        const updater = this.modify.getUpdater();
        const builder = await updater.room(room.id, caller);
        const current = builder.getRoom();
        builder.setData({ ...current, _unmappedProperties_: { ...unmapped(current), encrypted } } as IRoom);
        // setData() deletes the id, and finish() refuses a room without one.
        builder.getRoom().id = room.id;
        await updater.finish(builder);
        return { written: true };
    }
}
