import type { IModify } from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

/** A notice that was posted, with what it takes to remove it again. */
export interface PostedNotice {
    message: IMessage;
    caller: IUser;
}

/**
 * Posts the system message Rocket.Chat itself posts when a group's encryption changes
 * (`room_e2e_enabled` / `room_e2e_disabled`, by the caller, `msg` = the caller's username), so the
 * room's history says who did it. The message type is not in the Apps-Engine `IMessage`; it rides in
 * `_unmappedProperties_`, which the server's message converter merges into the stored message.
 * Only needed when the app wrote the flag itself: a server-side write posts its own.
 *
 * An app's message goes through the server's send gate (`executeSendMessage`), which refuses any
 * message but an encrypted one in an encrypted group while `E2E_Allow_Unencrypted_Messages` is off
 * (the default since Rocket.Chat 7.0). So the notice must be posted while the group is not
 * encrypted: before switching on, after switching off; and taken back if the switch did not land.
 */
export class AuditNotice {
    constructor(private readonly modify: Pick<IModify, 'getCreator' | 'getDeleter'>) {}

    public async post(room: IRoom, caller: IUser, encrypted: boolean): Promise<PostedNotice> {
        const creator = this.modify.getCreator();
        const message = {
            room,
            sender: caller,
            text: caller.username,
            groupable: false,
            _unmappedProperties_: { t: encrypted ? 'room_e2e_enabled' : 'room_e2e_disabled' },
        } as IMessage;
        const id = await creator.finish(creator.startMessage(message));
        return { message: { ...message, id }, caller };
    }

    public async retract({ message, caller }: PostedNotice): Promise<void> {
        await this.modify.getDeleter().deleteMessage(message, caller);
    }
}
