import type { ILogger, IRoomRead, IServerSettingRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { AppSettings } from './AppSettings';
import type { AuditNotice, PostedNotice } from './AuditNotice';
import { type AllowedRoles, type Authority, isAllowedRoles } from './authority/Authority';
import type { TableUnavailable } from './authority/PermissionTable';
import { Deadline, TOGGLE_BUDGET_MS } from './Deadline';
import { describeError } from './describeError';
import type { FlagWriter } from './flag/FlagWriter';
import type { ChangeLog } from './history/ChangeLog';
import type { Door } from './history/EncryptionHistory';
import type { WritePlan, WritePlanner } from './flag/writeWays';
import { canAccess, roomIdsOf, type UserRoomIdsReader } from './Membership';
import { isRefusal, Refusal } from './Refusal';
import type { Credential } from './rest/Credential';
import { displayName, encryptedFlag, isArchived, isFederated } from './RoomFacts';
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
    /** The caller's own REST credential, when the call carried one (API endpoint calls do). */
    credential?: Credential;
    /** Which of the app's doors the request came through, for the history. */
    door: Door;
}

export interface SetEncryptedResult {
    room: IRoom;
    encrypted: boolean;
    /** False when the group already had this value (Rocket.Chat answers 200 and posts nothing). */
    changed: boolean;
    /** The server's own view of the group, when the server did the write and answered with it. */
    group?: Record<string, unknown>;
}

export interface EncryptionStatus {
    room: IRoom;
    encrypted: boolean;
    /** What a switch by this caller would be refused with now; undefined when it would go ahead. */
    refusal?: Refusal;
}

export interface ServiceDeps {
    rooms: Pick<IRoomRead, 'getById' | 'getByName' | 'getMembers' | 'getOwners' | 'getModerators' | 'getLeaders'>;
    users: UserRoomIdsReader;
    serverSettings: Pick<IServerSettingRead, 'getValueById'>;
    settings: Pick<AppSettings, 'allowTurningOff'>;
    authority: Pick<Authority, 'allowedRoles'>;
    plan: WritePlanner;
    notice: Pick<AuditNotice, 'post' | 'retract'>;
    changes: ChangeLog;
    queue: RoomQueue;
    logger: Pick<ILogger, 'debug' | 'warn' | 'error'>;
    /** How long a toggle may take (tests shorten it). */
    budgetMs?: number;
}

/**
 * Every rule of `groups.setEncrypted`, once, in Rocket.Chat's order; the endpoint and the slash
 * command only translate to and from it. Who may do what comes from Rocket.Chat's permission table
 * (see Authority); how the flag is written, from the write plan.
 */
export class EncryptionService {
    constructor(private readonly deps: ServiceDeps) {}

    public async setEncrypted(request: SetEncryptedRequest): Promise<SetEncryptedResult | Refusal> {
        const { caller, encrypted } = request;
        if (typeof encrypted !== 'boolean') {
            return Refusal.encryptedRequired();
        }
        const deadline = Deadline.after(this.deps.budgetMs ?? TOGGLE_BUDGET_MS);
        const found = await this.findGroup(caller, request.target);
        if (isRefusal(found)) {
            return found;
        }
        return this.deps.queue.run(
            found.id,
            deadline,
            async (waited) => {
                // Another toggle ran meanwhile: the room may have changed, and so may the caller's membership.
                const room = waited ? await this.findGroup(caller, { roomId: found.id }) : found;
                return isRefusal(room) ? room : this.setEncryptedInQueue(room, request, encrypted, deadline);
            },
            () => Refusal.timedOut(),
        );
    }

    /** The group a caller names, under Rocket.Chat's access rule (see findGroup): for the app's other views. */
    public async accessibleGroup(caller: IUser, target: GroupTarget): Promise<IRoom | Refusal> {
        return this.findGroup(caller, target);
    }

    /** What `/encrypt status` and `groups.getEncrypted` show; the same access rule and checks as a toggle. */
    public async status(caller: IUser, target: GroupTarget, credential?: Credential): Promise<EncryptionStatus | Refusal> {
        const room = await this.findGroup(caller, target);
        if (isRefusal(room)) {
            return room;
        }
        const current = encryptedFlag(room);
        const encrypted = current === true;
        if (isArchived(room)) {
            return { room, encrypted, refusal: Refusal.roomArchived(displayName(room)) };
        }
        const plan = await this.deps.plan(room, caller, credential);
        // A status never relies on the server checking later: it reads the table whenever it can.
        const allowed = await this.deps.authority.allowedRoles(false, plan.tableCredential?.credential);
        if (!isAllowedRoles(allowed)) {
            return { room, encrypted, refusal: this.tableRefusal(allowed, plan) };
        }
        const refusal = await this.refusalFor(room, caller, allowed, current, !encrypted, plan);
        return { room, encrypted, refusal };
    }

    /** The rules that depend on the room's current state; run in the room's queue. */
    private async setEncryptedInQueue(
        room: IRoom,
        request: SetEncryptedRequest,
        encrypted: boolean,
        deadline: Deadline,
    ): Promise<SetEncryptedResult | Refusal> {
        const { caller } = request;
        if (isArchived(room)) {
            return Refusal.roomArchived(displayName(room));
        }
        const plan = await this.deps.plan(room, caller, request.credential);
        plan.ways[0]?.prepare?.();
        const allowed = await this.deps.authority.allowedRoles(plan.serverChecksCaller, plan.tableCredential?.credential);
        if (!isAllowedRoles(allowed)) {
            return this.tableRefusal(allowed, plan);
        }
        const current = encryptedFlag(room);
        const roles = new RoomRoles(this.deps.rooms, room.id, caller);
        if (!(await roles.holdsAny(allowed.editRoom))) {
            return Refusal.editNotAllowed(names(allowed.editRoom));
        }
        // Strict, as Rocket.Chat: a group that never had the flag counts as a change even for `false`.
        if (current === encrypted) {
            // Where the server checks the caller, it is asked too: its table may refuse `edit-room`
            // even for a value that would not change, and its answer carries its own group.
            return plan.serverChecksCaller ? this.unchangedByServer(room, request, encrypted, plan, deadline) : { room, encrypted, changed: false };
        }
        const refusal = await this.toggleRefusal(room, roles, allowed, current, encrypted, plan.serverChecksCaller);
        if (refusal) {
            return refusal;
        }
        if (plan.ways.length === 0) {
            return Refusal.writeUnsupported();
        }
        const changed = Boolean(current) !== encrypted;
        const written = await this.write(room, encrypted, caller, plan.ways, changed ? request.door : undefined, deadline);
        if (isRefusal(written)) {
            if (written.reason.startsWith('service-account-')) {
                this.deps.logger.warn(`Encrypt Group: ${written.error}`);
            }
            return written;
        }
        return { room: written.room, encrypted, changed, group: written.group };
    }

    /** A same-value request sent to the server's route with the caller's session: its 200 or its refusal. */
    private async unchangedByServer(
        room: IRoom,
        request: SetEncryptedRequest,
        encrypted: boolean,
        plan: WritePlan,
        deadline: Deadline,
    ): Promise<SetEncryptedResult | Refusal> {
        const written = await this.write(room, encrypted, request.caller, plan.ways, undefined, deadline);
        return isRefusal(written) ? written : { room: written.room, encrypted, changed: false, group: written.group };
    }

    /**
     * Rocket.Chat's group lookup (`findPrivateGroupByIdOrName`): "not provided" only when neither
     * key is there, or both are and both are empty; otherwise `roomId` wins when its key is
     * present. A room that is missing, not a private group, or not accessible to the caller gets
     * one answer, so nobody learns that a group they are not in exists. Admins get no bypass.
     */
    private async findGroup(caller: IUser, target: GroupTarget): Promise<IRoom | Refusal> {
        const has = (key: keyof GroupTarget) => Object.prototype.hasOwnProperty.call(target, key);
        const byId = has('roomId');
        if ((!byId && !has('roomName')) || (byId && !target.roomId && has('roomName') && !target.roomName)) {
            return Refusal.roomParamNotProvided();
        }
        const key = byId ? target.roomId : target.roomName;
        if (typeof key !== 'string' || !key) {
            return Refusal.roomNotFound();
        }
        // The caller's rooms are asked for beside the lookup: one round trip instead of two.
        const roomIds = roomIdsOf(this.deps.users, caller.id);
        const room = byId ? await this.deps.rooms.getById(key) : await this.deps.rooms.getByName(key);
        if (!room || room.type !== RoomType.PRIVATE_GROUP || !(await canAccess(this.deps.users, this.deps.rooms, caller.id, room, roomIds))) {
            return Refusal.roomNotFound();
        }
        return room;
    }

    /** Everything a switch to `encrypted` would be refused for, in Rocket.Chat's order (for the status). */
    private async refusalFor(
        room: IRoom,
        caller: IUser,
        allowed: AllowedRoles,
        current: unknown,
        encrypted: boolean,
        plan: WritePlan,
    ): Promise<Refusal | undefined> {
        const roles = new RoomRoles(this.deps.rooms, room.id, caller);
        if (!(await roles.holdsAny(allowed.editRoom))) {
            return Refusal.editNotAllowed(names(allowed.editRoom));
        }
        return (await this.toggleRefusal(room, roles, allowed, current, encrypted)) ?? (plan.ways.length === 0 ? Refusal.writeUnsupported() : undefined);
    }

    /**
     * The checks Rocket.Chat makes only when the value would change, in its order (E2E available,
     * then the toggle permission), plus the app's "allow off". Where the server checks the caller
     * again (`serverChecks`), it answers "E2E off" itself in the same words, so the setting is read
     * only when the app refuses on its own and must know which refusal comes first.
     */
    private async toggleRefusal(
        room: IRoom,
        roles: RoomRoles,
        allowed: AllowedRoles,
        current: unknown,
        encrypted: boolean,
        serverChecks = false,
    ): Promise<Refusal | undefined> {
        const unavailable = async () =>
            (await this.deps.serverSettings.getValueById('E2E_Enable')) !== true
                ? Refusal.e2eUnavailable('workspace')
                : isFederated(room)
                  ? Refusal.e2eUnavailable('federated')
                  : undefined;
        const first = serverChecks ? undefined : await unavailable();
        if (first) {
            return first;
        }
        if (!(await roles.holdsAny(allowed.toggle))) {
            return (serverChecks ? await unavailable() : undefined) ?? Refusal.toggleNotAllowed(names(allowed.toggle));
        }
        if (current === true && !encrypted && !(await this.deps.settings.allowTurningOff())) {
            return Refusal.turningOffDisabled();
        }
        return undefined;
    }

    /** The table could not be read where the app alone decides: nobody is let through on a guess. */
    private tableRefusal(unavailable: TableUnavailable, plan: WritePlan): Refusal {
        if (unavailable.noReader) {
            // With no way to write either (7.4+ without a service account), that is what the admin
            // must fix first; the service account it asks for reads the table too.
            return plan.ways.length === 0 ? Refusal.writeUnsupported() : Refusal.noPermissionReader();
        }
        const answer = unavailable.answer;
        const owner = plan.tableCredential?.owner;
        if (unavailable.unreachable === 'no-site-url' || unavailable.unreachable === 'unsafe-site-url') {
            return Refusal.siteUrlUnusable();
        }
        if (answer && owner === 'caller' && [401, 403, 429].includes(answer.statusCode)) {
            return Refusal.passedOn(answer.statusCode, answer.body);
        }
        const ofServiceAccount = answer && owner === 'service-account' ? Refusal.fromServiceAccountAnswer(answer.statusCode) : undefined;
        if (ofServiceAccount) {
            this.deps.logger.warn(`Encrypt Group: ${ofServiceAccount.error}`);
            return ofServiceAccount;
        }
        this.deps.logger.warn(
            `Encrypt Group: Rocket.Chat's permission table could not be read${answer ? ` (HTTP ${answer.statusCode})` : ''}; the change was refused`,
        );
        return Refusal.permissionsUnavailable();
    }

    /**
     * Tries each way in turn. A write counts once the server confirms it in its answer, or once a
     * read-back shows the new value. A real change (`door`: through which) is recorded in the
     * history before the answer: where the server posts the notice and fires its event, before the
     * write — the event may reach any app instance, which must find the change recorded as the
     * app's own (see EncryptionGuard) — and taken back if the write did not land; where the app writes
     * the flag itself, once it landed. There the app also posts Rocket.Chat's notice, at the moment
     * the server accepts it (see AuditNotice): before switching on, after switching off; and takes
     * it back if the change did not land.
     */
    private async write(
        room: IRoom,
        encrypted: boolean,
        caller: IUser,
        ways: ReadonlyArray<FlagWriter>,
        door: Door | undefined,
        deadline: Deadline,
    ): Promise<{ room: IRoom; group?: Record<string, unknown> } | Refusal> {
        const changed = door !== undefined;
        let broken = false;
        for (const writer of ways) {
            const ahead = changed && writer.serverPostsNotice;
            const recorded = ahead ? await this.deps.changes.record(room.id, { encrypted, by: caller, door }) : undefined;
            const announced = changed && encrypted && !writer.serverPostsNotice ? await this.postNotice(room, caller, true) : undefined;
            const outcome = await this.attempt(writer, room, encrypted, caller, deadline);
            const landed = async (after: { room: IRoom; group?: Record<string, unknown> }) => {
                if (!ahead && changed) {
                    await this.deps.changes.record(room.id, { encrypted, by: caller, door });
                }
                return after;
            };
            const notLanded = async () => {
                await this.retract(announced);
                if (ahead) {
                    await this.deps.changes.withdraw(room.id, recorded);
                }
            };
            if (outcome === 'broken') {
                broken = true;
            }
            if (isRefusal(outcome)) {
                await notLanded();
                return outcome;
            }
            if (outcome !== 'broken' && outcome.group) {
                return landed({ room, group: outcome.group });
            }
            // A REST request that broke may have reached the server (a timeout after sending): read back.
            const after = outcome === 'broken' && !writer.serverPostsNotice ? undefined : await this.deps.rooms.getById(room.id);
            if (after && encryptedFlag(after) === encrypted) {
                const posted = changed && !encrypted && !writer.serverPostsNotice ? await this.postNotice(after, caller, false) : undefined;
                // The room was read before that notice; the server counted it meanwhile.
                return landed({ room: posted ? ({ ...after, messageCount: (after.messageCount ?? 0) + 1 } as IRoom) : after });
            }
            await notLanded();
            if (after && outcome !== 'broken') {
                this.deps.logger.warn(`Encrypt Group: the write via ${writer.name} was accepted, but the room does not show it`);
            }
        }
        return broken ? Refusal.writeFailed() : Refusal.writeUnsupported();
    }

    /** One way's attempt, bounded by the deadline; `broken` when it failed before reaching the server. */
    private async attempt(writer: FlagWriter, room: IRoom, encrypted: boolean, caller: IUser, deadline: Deadline) {
        try {
            return await deadline.race(writer.write(room, encrypted, caller, deadline), () => Refusal.timedOut());
        } catch (error) {
            this.deps.logger.warn(`Encrypt Group: writing via ${writer.name} failed: ${describeError(error)}`);
            return 'broken' as const;
        }
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
    private async retract(notice: PostedNotice | undefined): Promise<void> {
        if (!notice) {
            return;
        }
        try {
            await this.deps.notice.retract(notice);
        } catch (error) {
            this.deps.logger.error(`Encrypt Group: a room notice for a change that did not happen could not be removed: ${describeError(error)}`);
        }
    }
}

/** The roles as the admin named them, for the app's own sentences. */
function names(roles: ReadonlyArray<{ name: string }>): Array<string> {
    return roles.map((role) => role.name);
}
