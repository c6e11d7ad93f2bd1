import type { IModify } from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

/**
 * Posts the system message Rocket.Chat itself posts when a group's encryption changes
 * (`room_e2e_enabled` / `room_e2e_disabled`, by the caller, `msg` = the caller's username), so the
 * room's history says who did it. The message type is not in the Apps-Engine `IMessage`; it rides in
 * `_unmappedProperties_`, which the server's message converter merges into the stored message.
 * Only needed when the app wrote the flag itself: a server-side write posts its own.
 */
export class AuditNotice {
    constructor(private readonly modify: Pick<IModify, 'getCreator'>) {}

    public async post(room: IRoom, caller: IUser, encrypted: boolean): Promise<void> {
        const creator = this.modify.getCreator();
        const message = {
            room,
            sender: caller,
            text: caller.username,
            groupable: false,
            _unmappedProperties_: { t: encrypted ? 'room_e2e_enabled' : 'room_e2e_disabled' },
        };
        await creator.finish(creator.startMessage(message as IMessage));
    }
}
