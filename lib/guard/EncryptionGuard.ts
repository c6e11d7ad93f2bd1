import type { ILogger, IModify, IRoomRead, IServerSettingRead, IUserRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { AppSettings } from '../AppSettings';
import { Deadline, TOGGLE_BUDGET_MS } from '../Deadline';
import { describeError } from '../describeError';
import { RestApiWriter } from '../flag/RestApiWriter';
import type { AppWrites } from '../history/AppWrites';
import type { ChangeLog } from '../history/ChangeLog';
import { translate } from '../i18n/translate';
import { isRefusal } from '../Refusal';
import type { ServerRest } from '../rest/ServerRest';
import { displayName, encryptedFlag, isArchived, isFederated, unmapped } from '../RoomFacts';
import type { RoomQueue } from '../RoomQueue';

export interface GuardDeps {
    rooms: Pick<IRoomRead, 'getById'>;
    users: Pick<IUserRead, 'getById'>;
    serverSettings: Pick<IServerSettingRead, 'getValueById'>;
    settings: Pick<AppSettings, 'allowTurningOff' | 'serviceAccount'>;
    rest: Pick<ServerRest, 'post' | 'baseUrl'>;
    modify: Pick<IModify, 'getCreator' | 'getNotifier'>;
    queue: RoomQueue;
    writes: AppWrites;
    changes: ChangeLog;
    /** Rooms with a guard run waiting (per app instance): a burst of switch-offs makes one more run, not one per event. */
    waiting: Set<string>;
    logger: Pick<ILogger, 'info' | 'warn' | 'error'>;
}

/** The encryption notices Rocket.Chat's `saveRoomEncrypted` posts, by the message type it gives them. */
export function encryptionChange(message: IMessage): boolean | undefined {
    const type = (message as { type?: unknown }).type ?? unmapped(message as never).t;
    return type === 'room_e2e_enabled' ? true : type === 'room_e2e_disabled' ? false : undefined;
}

/**
 * Encryption that stays on. When "Allow turning encryption off" is unset, a group that anyone
 * switches off — room menu, core REST, another app — is switched back on through the service
 * account, from the server's own `room_e2e_disabled` notice (IPostSystemMessageSent, Rocket.Chat
 * 7.4+). The person who switched it off is told why, in their language; Rocket.Chat's own
 * `room_e2e_enabled` is the notice in the room. Every change it sees goes into the history: the
 * app's own writes are recognised (AppWrites) and recorded once, by the app, with their door.
 */
export class EncryptionGuard {
    constructor(private readonly deps: GuardDeps) {}

    public async onSystemMessage(message: IMessage): Promise<void> {
        const encrypted = encryptionChange(message);
        const room = message.room;
        // Only private groups are the app's concern (direct messages toggle encryption too).
        if (encrypted === undefined || !room || room.type !== RoomType.PRIVATE_GROUP || this.deps.writes.consume(room.id, encrypted)) {
            return;
        }
        // At most one switch-back waits per room: a burst of switch-offs is one more run, not one each.
        const switchBack = !encrypted && !(await this.deps.settings.allowTurningOff()) && !this.deps.waiting.has(room.id);
        if (switchBack) {
            this.deps.waiting.add(room.id);
        }
        const deadline = Deadline.after(TOGGLE_BUDGET_MS);
        await this.deps.queue
            .run(
                room.id,
                deadline,
                async () => {
                    await this.deps.changes.record(room.id, encrypted, message.sender, 'core');
                    if (switchBack) {
                        this.deps.waiting.delete(room.id);
                        await this.switchBackOn(room.id, message.sender, deadline);
                    }
                },
                () => {
                    if (switchBack) {
                        this.deps.waiting.delete(room.id);
                    }
                    this.deps.logger.warn(`Encrypt Group: a change of group ${room.id} was not handled in time`);
                },
            )
            .catch((error) => this.deps.logger.error(`Encrypt Group: handling an encryption change failed: ${describeError(error)}`));
    }

    private async switchBackOn(roomId: string, switchedOffBy: IUser, deadline: Deadline): Promise<void> {
        const room = await this.deps.rooms.getById(roomId);
        const decline = (why: string) => this.deps.logger.info(`Encrypt Group: the guard leaves ${room ? `#${displayName(room)}` : roomId} as it is: ${why}`);
        if (!room || room.type !== RoomType.PRIVATE_GROUP) {
            return decline('it is not a private group');
        }
        if (encryptedFlag(room) === true) {
            return;
        }
        if (isFederated(room)) {
            return decline('federated groups cannot be encrypted');
        }
        if (isArchived(room)) {
            return decline('it is archived');
        }
        if ((await this.deps.serverSettings.getValueById('E2E_Enable')) !== true) {
            return decline('end-to-end encryption is switched off for the workspace');
        }
        const serviceAccount = await this.deps.settings.serviceAccount();
        if (!serviceAccount) {
            return this.deps.logger.warn(
                `Encrypt Group: #${displayName(room)} was switched off, and the guard cannot switch it back on: no service account is set`,
            );
        }
        this.deps.writes.mark(room.id, true);
        const outcome = await RestApiWriter.asServiceAccount(this.deps.rest, serviceAccount).write(room, true, undefined, deadline);
        if (isRefusal(outcome)) {
            this.deps.writes.consume(room.id, true);
            return this.deps.logger.warn(`Encrypt Group: the guard could not switch #${displayName(room)} back on: ${outcome.error}`);
        }
        const account = serviceAccount.kind === 'session' ? await this.deps.users.getById(serviceAccount.userId) : undefined;
        await this.deps.changes.record(room.id, true, account ?? ({ id: 'encrypt-group-guard', username: 'encrypt-group' } as IUser), 'guard');
        this.deps.logger.info(
            `Encrypt Group: #${displayName(room)} was switched off by @${switchedOffBy.username} and switched back on: encryption may not be turned off`,
        );
        await this.tell(switchedOffBy, room);
    }

    /** A private message, in their language, to whoever switched it off. */
    private async tell(user: IUser, room: NonNullable<Awaited<ReturnType<GuardDeps['rooms']['getById']>>>): Promise<void> {
        try {
            const text = translate(user, 'reply_guard_switched_back', { group: displayName(room) });
            const message = this.deps.modify.getCreator().startMessage().setRoom(room).setText(text).setGroupable(false).getMessage();
            await this.deps.modify.getNotifier().notifyUser(user, message);
        } catch (error) {
            this.deps.logger.error(`Encrypt Group: the guard could not tell @${user.username}: ${describeError(error)}`);
        }
    }
}
