import type { IServerSettingRead, IUserRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { AppSettings } from '../AppSettings';
import type { AuditNotice } from '../AuditNotice';
import type { Deadline } from '../Deadline';
import { describeError } from '../describeError';
import type { RoomModifierWriter } from '../flag/RoomModifierWriter';
import { RestApiWriter } from '../flag/RestApiWriter';
import type { ChangeLog } from '../history/ChangeLog';
import { isRefusal } from '../Refusal';
import type { ServerRest } from '../rest/ServerRest';
import { encryptedFlag, isArchived, isFederated } from '../RoomFacts';

export interface SwitchBackDeps {
    serverSettings: Pick<IServerSettingRead, 'getValueById'>;
    settings: Pick<AppSettings, 'serviceAccount'>;
    rest: Pick<ServerRest, 'post' | 'baseUrl'>;
    users: Pick<IUserRead, 'getById'>;
    changes: ChangeLog;
    /**
     * Before 7.4 the app's room modifier writes the flag, and the app posts Rocket.Chat's notice as
     * its own bot: the reconcile's way where no service account is set.
     */
    modifier?: {
        writer: Pick<RoomModifierWriter, 'write'>;
        notice: Pick<AuditNotice, 'post' | 'retract'>;
        appUser: IUser;
        /** Whether this server keeps what the modifier writes (before 7.4; see RoomModifierWriter.honoured). */
        honoured: (room: IRoom) => Promise<boolean>;
    };
}

/** Why a group found switched off stays so. `no-service-account` and `failed` are the app's problem; the rest are the group's or workspace's state. */
export type LeftOff = 'not-a-group' | 'federated' | 'archived' | 'e2e-off' | 'no-service-account' | 'failed';

export const LEFT_OFF_WHY: Record<LeftOff, string> = {
    'not-a-group': 'it is not a private group',
    federated: 'federated groups cannot be encrypted',
    archived: 'it is archived',
    'e2e-off': 'end-to-end encryption is switched off for the workspace',
    'no-service-account': 'no service account is set',
    failed: 'the write failed',
};

/** Who the notice and the history name when the service account's user cannot be read. */
const FALLBACK_IDENTITY = { id: 'encrypt-group-guard', username: 'encrypt-group' } as IUser;

/**
 * Switches a group that must stay encrypted back on, for the guard and the reconcile alike: through
 * Rocket.Chat's own route as the service account (`rooms.saveRoomSettings`), so the room gets the
 * server's notice, signed by that account; or, before 7.4 and without one, through the room modifier
 * with the app's notice. The change is recorded under `key` before it is written (the server's
 * event for it may reach any app instance, which must find it recorded) and taken back if it did
 * not land. Whether it switched, or why the group is left off (with the server's words in `detail`).
 */
export async function switchBackOn(
    deps: SwitchBackDeps,
    room: IRoom | undefined,
    door: 'guard' | 'reconcile',
    key: string,
    deadline: Deadline,
    foundAt?: string,
): Promise<{ switched: true; by: IUser } | { switched: false; why: LeftOff; detail?: string } | { switched: false; already: true }> {
    if (!room || room.type !== RoomType.PRIVATE_GROUP) {
        return { switched: false, why: 'not-a-group' };
    }
    if (encryptedFlag(room) === true) {
        return { switched: false, already: true };
    }
    if (isFederated(room)) {
        return { switched: false, why: 'federated' };
    }
    if (isArchived(room)) {
        return { switched: false, why: 'archived' };
    }
    const [e2e, serviceAccount] = await Promise.all([deps.serverSettings.getValueById('E2E_Enable'), deps.settings.serviceAccount()]);
    if (e2e !== true) {
        return { switched: false, why: 'e2e-off' };
    }
    if (!serviceAccount) {
        return deps.modifier && (await deps.modifier.honoured(room))
            ? withModifier(deps, deps.modifier, room, door, key, foundAt)
            : { switched: false, why: 'no-service-account' };
    }
    const account = serviceAccount.kind === 'session' ? await deps.users.getById(serviceAccount.userId) : undefined;
    const by = account ?? FALLBACK_IDENTITY;
    const recorded = await deps.changes.record(room.id, { encrypted: true, by, door, key, foundAt });
    const outcome = await RestApiWriter.asServiceAccount(deps.rest, serviceAccount)
        .write(room, true, undefined, deadline)
        .catch((error) => ({ failed: describeError(error) }));
    if (isRefusal(outcome) || 'failed' in outcome) {
        await deps.changes.withdraw(room.id, recorded);
        return { switched: false, why: 'failed', detail: isRefusal(outcome) ? outcome.error : outcome.failed };
    }
    return { switched: true, by };
}

/** Before 7.4 without a service account: the notice first (the send gate refuses it in an encrypted group), then the flag. */
async function withModifier(
    deps: SwitchBackDeps,
    modifier: NonNullable<SwitchBackDeps['modifier']>,
    room: IRoom,
    door: 'guard' | 'reconcile',
    key: string,
    foundAt: string | undefined,
): Promise<{ switched: true; by: IUser } | { switched: false; why: LeftOff; detail?: string }> {
    const by = modifier.appUser;
    let notice: Awaited<ReturnType<AuditNotice['post']>> | undefined;
    try {
        notice = await modifier.notice.post(room, by, true);
        await modifier.writer.write(room, true, by);
    } catch (error) {
        if (notice) {
            await modifier.notice.retract(notice).catch(() => undefined);
        }
        return { switched: false, why: 'failed', detail: describeError(error) };
    }
    await deps.changes.record(room.id, { encrypted: true, by, door, key, foundAt });
    return { switched: true, by };
}
