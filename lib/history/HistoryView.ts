import type { IModify } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { EncryptionService, GroupTarget } from '../EncryptionService';
import { RoomModifierWriter } from '../flag/RoomModifierWriter';
import { modifierHonoured } from '../flag/writeWays';
import type { WriteWayMemory } from '../flag/WriteWayMemory';
import { isRefusal, type Refusal } from '../Refusal';
import type { Gap, WatchRecord } from '../reconcile/WatchRecord';
import type { EncryptionHistory, HistoryEntry } from './EncryptionHistory';

export interface HistoryAnswer {
    room: IRoom;
    /** Oldest first. */
    entries: Array<HistoryEntry>;
    /** From when the entries are complete for this group (recording began, or older ones were pruned); undefined before the app first ran its watch. */
    since?: string;
    /** Periods since then in which the app was not running at some point: changes then show only if the reconcile found them (door `unseen`). */
    gaps: Array<Gap>;
    /**
     * `every-door`: the server tells the app of every change (Rocket.Chat 7.4+), so the room menu
     * and the core REST route are in it too; `app-doors`: only changes made through the app.
     */
    sees: 'every-door' | 'app-doors';
}

/**
 * A group's encryption history, for whoever may see the group's encryption state — the same
 * access rule as `groups.getEncrypted`, so a group someone is not in does not exist for them here.
 */
export async function historyOf(
    deps: {
        service: Pick<EncryptionService, 'accessibleGroup'>;
        history: Pick<EncryptionHistory, 'of'>;
        watch: Pick<WatchRecord, 'state'>;
        modify: Pick<IModify, 'getUpdater'>;
        memory: WriteWayMemory;
    },
    caller: IUser,
    target: GroupTarget,
): Promise<HistoryAnswer | Refusal> {
    const room = await deps.service.accessibleGroup(caller, target);
    if (isRefusal(room)) {
        return room;
    }
    const [{ entries, prunedBefore }, watch, honoured] = await Promise.all([
        deps.history.of(room.id),
        deps.watch.state(),
        modifierHonoured(new RoomModifierWriter(deps.modify), deps.memory, room, caller),
    ]);
    const since = watch.since === undefined || (prunedBefore !== undefined && prunedBefore > watch.since) ? prunedBefore : watch.since;
    const gaps = watch.gaps.filter((gap) => since === undefined || gap.to >= since);
    // Servers whose room updates keep what apps write (before 7.4) have no event for other changes.
    return { room, entries, since, gaps, sees: honoured ? 'app-doors' : 'every-door' };
}
