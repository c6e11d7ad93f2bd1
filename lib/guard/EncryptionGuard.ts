import type { ILogger, IModify, IRoomRead, IServerSettingRead, IUserRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { AppSettings } from '../AppSettings';
import { Deadline, TOGGLE_BUDGET_MS } from '../Deadline';
import { describeError } from '../describeError';
import type { ChangeLog } from '../history/ChangeLog';
import type { Door, EncryptionHistory } from '../history/EncryptionHistory';
import { translate } from '../i18n/translate';
import type { ServerRest } from '../rest/ServerRest';
import { displayName, unmapped } from '../RoomFacts';
import type { RoomQueue } from '../RoomQueue';
import { LEFT_OFF_WHY, switchBackOn } from './SwitchBack';

export interface GuardDeps {
    rooms: Pick<IRoomRead, 'getById'>;
    users: Pick<IUserRead, 'getById'>;
    serverSettings: Pick<IServerSettingRead, 'getValueById'>;
    settings: Pick<AppSettings, 'allowTurningOff' | 'serviceAccount'>;
    rest: Pick<ServerRest, 'post' | 'baseUrl'>;
    modify: Pick<IModify, 'getCreator' | 'getNotifier'>;
    queue: RoomQueue;
    history: Pick<EncryptionHistory, 'of'>;
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

/** The doors through which the app itself writes (a change recorded through one of them is not Rocket.Chat's own). */
const APP_DOORS: ReadonlyArray<Door> = ['endpoint', 'command', 'panel', 'guard', 'bulk', 'reconcile'];

/** How long before the server's notice of it the app's record of its own write may be. */
export const OWN_WRITE_MS = 15_000;

/**
 * Encryption that stays on. When "Allow turning encryption off" is unset, a group that anyone
 * switches off — room menu, core REST, another app — is switched back on through the service
 * account, from the server's own `room_e2e_disabled` notice (IPostSystemMessageSent, Rocket.Chat
 * 7.4+). The person who switched it off is told why, in their language; Rocket.Chat's own
 * `room_e2e_enabled` is the notice in the room. Every change it sees goes into the history once,
 * keyed by the server's message, at the notice's time. The app's own writes are not recorded again:
 * whichever instance makes one records it before it writes, so whichever instance gets the event
 * finds it — nothing rests on one instance's memory. An event the app never got (its runtime
 * stalled, the app disabled) is the reconcile's to find.
 */
export class EncryptionGuard {
    constructor(private readonly deps: GuardDeps) {}

    public async onSystemMessage(message: IMessage): Promise<void> {
        const encrypted = encryptionChange(message);
        const room = message.room;
        // Only private groups are the app's concern (direct messages toggle encryption too).
        if (encrypted === undefined || !room || room.type !== RoomType.PRIVATE_GROUP) {
            return;
        }
        const at = noticeTime(message);
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
                    if (switchBack) {
                        this.deps.waiting.delete(room.id);
                    }
                    if (await this.recordedAsOwn(room.id, encrypted, at)) {
                        return;
                    }
                    await this.deps.changes.record(room.id, { encrypted, by: message.sender, door: 'core', key: `core:${message.id}`, at });
                    if (switchBack) {
                        await this.switchBack(room.id, message, deadline);
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

    /**
     * Whether the change the server noticed at `at` is the app's own, made through any instance:
     * the app records its write before writing, and Rocket.Chat's own changes are recorded at their
     * notice's time, so the newest entry before that moment is the change itself — the app's, with
     * this value, a moment before — or something else. Changes to the same group made in the same
     * instant through two instances are told apart only by the clocks of their hosts.
     */
    private async recordedAsOwn(roomId: string, encrypted: boolean, at: Date): Promise<boolean> {
        const { entries } = await this.deps.history.of(roomId);
        const upTo = entries.filter((entry) => Date.parse(entry.at) < at.getTime());
        const newest = upTo[upTo.length - 1];
        return (
            newest !== undefined && newest.encrypted === encrypted && APP_DOORS.includes(newest.door) && Date.parse(newest.at) >= at.getTime() - OWN_WRITE_MS
        );
    }

    private async switchBack(roomId: string, message: IMessage, deadline: Deadline): Promise<void> {
        const room = (await this.deps.rooms.getById(roomId)) ?? undefined;
        const name = room ? `#${displayName(room)}` : roomId;
        const outcome = await switchBackOn(this.deps, room, 'guard', `guard:${message.id}`, deadline);
        if (outcome.switched) {
            this.deps.logger.info(
                `Encrypt Group: ${name} was switched off by @${message.sender.username} and switched back on: encryption may not be turned off`,
            );
            await this.tell(message.sender, room!);
        } else if ('why' in outcome) {
            const text = `Encrypt Group: the guard leaves ${name} switched off: ${LEFT_OFF_WHY[outcome.why]}${outcome.detail ? ` (${outcome.detail})` : ''}`;
            if (outcome.why === 'no-service-account' || outcome.why === 'failed') {
                this.deps.logger.warn(text);
            } else {
                this.deps.logger.info(text);
            }
        }
    }

    /** A private message, in their language, to whoever switched it off. */
    private async tell(user: IUser, room: IRoom): Promise<void> {
        try {
            const text = translate(user, 'reply_guard_switched_back', { group: displayName(room) });
            const message = this.deps.modify.getCreator().startMessage().setRoom(room).setText(text).setGroupable(false).getMessage();
            await this.deps.modify.getNotifier().notifyUser(user, message);
        } catch (error) {
            this.deps.logger.error(`Encrypt Group: the guard could not tell @${user.username}: ${describeError(error)}`);
        }
    }
}

/** When the server saved the notice (`createdAt`: a Date, or its text from some runtimes); now, if it does not say. */
function noticeTime(message: IMessage): Date {
    const at = new Date((message.createdAt as Date | string | undefined) ?? Date.now());
    return Number.isNaN(at.getTime()) ? new Date() : at;
}
