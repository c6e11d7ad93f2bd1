import type { ILogger, IRoomRead, IServerSettingRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { AppSettings, Credentials } from './AppSettings';
import type { AuditNotice, PostedNotice } from './AuditNotice';
import type { FlagWriter } from './flag/FlagWriter';
import type { WriteWays } from './flag/writeWays';
import { isMember, type UserRoomIdsReader } from './Membership';
import { isRefusal, Refusal } from './Refusal';
import { describeError } from './describeError';
import { encryptedFlag, isArchived, isFederated } from './RoomFacts';
import type { RoomQueue } from './RoomQueue';
import { RoomRoles } from './RoomRoles';

/** How a caller names a group: Rocket.Chat's `roomId` / `roomName`, as received (not yet trusted). */
export interface GroupTarget {
    roomId?: unknown;
    roomName?: unknown;
}

export interface SetEncryptedRequest {
    caller: IUser;
    target: GroupTarget;
    /** As received: anything but a real boolean is refused, as Rocket.Chat does. */
    encrypted: unknown;
    /** The caller's own REST session, when the call carried one (API endpoint calls do). */
    credentials?: Credentials;
}

export interface SetEncryptedResult {
    room: IRoom;
    encrypted: boolean;
    /** False when the group already had this value (Rocket.Chat answers 200 and posts nothing). */
    changed: boolean;
}

export interface EncryptionStatus {
    room: IRoom;
    encrypted: boolean;
    canToggle: boolean;
}

export interface ServiceDeps {
    rooms: Pick<IRoomRead, 'getById' | 'getByName' | 'getMembers' | 'getOwners' | 'getModerators' | 'getLeaders'>;
    users: UserRoomIdsReader;
    serverSettings: Pick<IServerSettingRead, 'getValueById'>;
    settings: AppSettings;
    writeWays: WriteWays;
    notice: Pick<AuditNotice, 'post' | 'retract'>;
    queue: RoomQueue;
    logger: Pick<ILogger, 'debug' | 'warn' | 'error'>;
}

/**
 * Every rule of `groups.setEncrypted`, once, in Rocket.Chat's order; the endpoint and the slash
 * command only translate to and from it.
 */
export class EncryptionService {
    constructor(private readonly deps: ServiceDeps) {}

    public async setEncrypted(request: SetEncryptedRequest): Promise<SetEncryptedResult | Refusal> {
        const { caller, encrypted } = request;
        if (typeof encrypted !== 'boolean') {
            return Refusal.encryptedRequired();
        }
        const found = await this.findGroup(caller, request.target);
        if (isRefusal(found)) {
            return found;
        }
        return this.deps.queue.run(found.id, async (waited) => {
            // Another toggle of this room ran meanwhile: its value, not the one read before, is current.
            const room = waited ? await this.deps.rooms.getById(found.id) : found;
            return room ? this.setEncryptedInQueue(room, request, encrypted) : Refusal.roomNotFound();
        });
    }

    /** What `/encrypt status` and `groups.getEncrypted` show; the same access rule as a toggle. */
    public async status(caller: IUser, target: GroupTarget): Promise<EncryptionStatus | Refusal> {
        const room = await this.findGroup(caller, target);
        if (isRefusal(room)) {
            return room;
        }
        const current = encryptedFlag(room);
        const encrypted = current === true;
        const roles = new RoomRoles(this.deps.rooms, room.id, caller);
        const canToggle =
            !isArchived(room) &&
            (await roles.holdsAny(await this.deps.settings.editRoomRoles())) &&
            !(await this.toggleRefusal(room, roles, current, !encrypted));
        return { room, encrypted, canToggle };
    }

    /** The rules that depend on the room's current state; run in the room's queue. */
    private async setEncryptedInQueue(room: IRoom, request: SetEncryptedRequest, encrypted: boolean): Promise<SetEncryptedResult | Refusal> {
        const { caller } = request;
        if (isArchived(room)) {
            return Refusal.roomArchived(room.slugifiedName);
        }
        const roles = new RoomRoles(this.deps.rooms, room.id, caller);
        if (!(await roles.holdsAny(await this.deps.settings.editRoomRoles()))) {
            return Refusal.editNotAllowed();
        }

        const current = encryptedFlag(room);
        // Strict, as Rocket.Chat: a group that never had the flag counts as a change even for `false`.
        if (current === encrypted) {
            return { room, encrypted, changed: false };
        }
        const refusal = await this.toggleRefusal(room, roles, current, encrypted);
        if (refusal) {
            return refusal;
        }

        const changed = Boolean(current) !== encrypted;
        const written = await this.write(room, encrypted, caller, request.credentials, changed);
        if (isRefusal(written)) {
            return written;
        }
        return { room: written.room, encrypted, changed };
    }

    /**
     * Rocket.Chat's group lookup: `roomId` wins when the key is present, else `roomName`; a room that
     * is missing, not a private group, or not joined by the caller gets one answer, so nobody learns
     * that a group they are not in exists. Admins get no bypass.
     */
    private async findGroup(caller: IUser, target: GroupTarget): Promise<IRoom | Refusal> {
        const { roomId, roomName } = target;
        if (!roomId && !roomName) {
            return Refusal.roomParamNotProvided();
        }
        const byId = Object.prototype.hasOwnProperty.call(target, 'roomId');
        const key = byId ? roomId : roomName;
        if (typeof key !== 'string' || !key) {
            return Refusal.roomNotFound();
        }
        const room = byId ? await this.deps.rooms.getById(key) : await this.deps.rooms.getByName(key);
        if (!room || room.type !== RoomType.PRIVATE_GROUP || !(await isMember(this.deps.users, this.deps.rooms, caller.id, room.id))) {
            return Refusal.roomNotFound();
        }
        return room;
    }

    /** The checks Rocket.Chat makes only when the value would change, plus the app's "allow off". */
    private async toggleRefusal(room: IRoom, roles: RoomRoles, current: unknown, encrypted: boolean): Promise<Refusal | undefined> {
        if ((await this.deps.serverSettings.getValueById('E2E_Enable')) !== true || isFederated(room)) {
            return Refusal.e2eUnavailable();
        }
        if (!(await roles.holdsAny(await this.deps.settings.toggleRoles()))) {
            return Refusal.toggleNotAllowed();
        }
        if (current === true && !encrypted && !(await this.deps.settings.allowTurningOff())) {
            return Refusal.turningOffDisabled();
        }
        return undefined;
    }

    /**
     * Tries each way in turn; only a read-back that shows the new value counts as written. Where the
     * app writes the flag itself, it also posts Rocket.Chat's notice of a real change, at the moment
     * the server accepts it (see AuditNotice): before switching on, after switching off.
     */
    private async write(
        room: IRoom,
        encrypted: boolean,
        caller: IUser,
        credentials: Credentials | undefined,
        changed: boolean,
    ): Promise<{ room: IRoom; writer: FlagWriter } | Refusal> {
        let broken = false;
        for await (const writer of this.deps.writeWays(credentials)) {
            const announced = changed && encrypted && !writer.serverPostsNotice ? await this.postNotice(room, caller, true) : undefined;
            let refusal: Refusal | undefined;
            let failed = false;
            try {
                refusal = await writer.write(room, encrypted, caller);
            } catch (error) {
                failed = broken = true;
                this.deps.logger.warn(`Encrypt Group: writing via ${writer.name} failed: ${describeError(error)}`);
            }
            const after = failed || refusal ? undefined : await this.deps.rooms.getById(room.id);
            if (after && encryptedFlag(after) === encrypted) {
                if (changed && !encrypted && !writer.serverPostsNotice) {
                    await this.postNotice(after, caller, false);
                }
                return { room: after, writer };
            }
            if (announced) {
                await this.retract(announced);
            }
            if (refusal) {
                return refusal;
            }
            if (after) {
                writer.ignored?.();
                this.deps.logger.debug(`Encrypt Group: the server ignored the write via ${writer.name}`);
            }
        }
        return broken ? Refusal.writeFailed() : Refusal.writeUnsupported();
    }

    /** A missing notice must not undo a change or turn it into an error: it is logged. */
    private async postNotice(room: IRoom, caller: IUser, encrypted: boolean): Promise<PostedNotice | undefined> {
        try {
            return await this.deps.notice.post(room, caller, encrypted);
        } catch (error) {
            this.deps.logger.error(`Encrypt Group: the room notice of an encryption change could not be posted: ${describeError(error)}`);
            return undefined;
        }
    }

    /** The change the notice announced did not happen; the room's history must not say it did. */
    private async retract(notice: PostedNotice): Promise<void> {
        try {
            await this.deps.notice.retract(notice);
        } catch (error) {
            this.deps.logger.error(`Encrypt Group: a room notice for a change that did not happen could not be removed: ${describeError(error)}`);
        }
    }
}
