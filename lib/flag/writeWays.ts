import type { IModify } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { AppSettings } from '../AppSettings';
import type { Credential, CredentialOwner } from '../rest/Credential';
import type { ServerRest } from '../rest/ServerRest';
import type { FlagWriter } from './FlagWriter';
import { RestApiWriter } from './RestApiWriter';
import { RoomModifierWriter } from './RoomModifierWriter';
import type { WriteWayMemory } from './WriteWayMemory';

/** How one change will be written, and so who applies Rocket.Chat's permission table to it. */
export interface WritePlan {
    /** Best first; a later way is tried only when an earlier one broke before reaching the server. */
    ways: ReadonlyArray<FlagWriter>;
    /** The first way is the server's own route with the caller's session: the server checks the caller. */
    serverChecksCaller: boolean;
    /** Otherwise the app checks, reading the permission table with this credential (if any). */
    tableCredential?: { credential: Credential; owner: CredentialOwner };
}

export type WritePlanner = (room: IRoom, caller: IUser, callerCredential?: Credential) => Promise<WritePlan>;

/**
 * The room modifier wherever the server honours it; else the server's own route, with the
 * caller's session when the call carried one, and with the service account only for work that
 * carries none (slash commands). A call with a session never becomes the service account.
 */
export function writePlanner(
    modify: Pick<IModify, 'getUpdater'>,
    rest: Pick<ServerRest, 'post' | 'baseUrl'>,
    settings: Pick<AppSettings, 'serviceAccount'>,
    memory: WriteWayMemory,
): WritePlanner {
    return async (room, caller, callerCredential) => {
        const modifier = new RoomModifierWriter(modify);
        const ways: Array<FlagWriter> = [];
        if (await modifierHonoured(modifier, memory, room, caller)) {
            ways.push(modifier);
        }
        const serviceAccount = callerCredential ? undefined : await settings.serviceAccount();
        if (callerCredential) {
            ways.push(RestApiWriter.asCaller(rest, callerCredential));
        } else if (serviceAccount) {
            ways.push(RestApiWriter.asServiceAccount(rest, serviceAccount));
        }
        return {
            ways,
            serverChecksCaller: ways[0]?.serverChecksCaller ?? false,
            tableCredential: callerCredential
                ? { credential: callerCredential, owner: 'caller' }
                : serviceAccount && { credential: serviceAccount, owner: 'service-account' },
        };
    };
}

/** Asked once per app instance; a look that failed is not remembered, and the modifier is tried. */
export async function modifierHonoured(modifier: RoomModifierWriter, memory: WriteWayMemory, room: IRoom, caller: IUser): Promise<boolean> {
    if (memory.modifierHonoured === undefined) {
        try {
            memory.modifierHonoured = await modifier.honoured(room, caller);
        } catch {
            return true;
        }
    }
    return memory.modifierHonoured;
}
