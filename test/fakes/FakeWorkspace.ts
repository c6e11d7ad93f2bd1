// A hand-written stand-in for the accessors the app uses, over a small in-memory workspace. It
// uses the Apps-Engine's own RoomBuilder/MessageBuilder and mimics the one server behaviour that
// matters here: whether a room update from the app keeps `_unmappedProperties_` (before 7.4) or
// drops it (7.4+). The end-to-end suite runs the real runtime; these fakes keep unit tests fast.
import type { IHttp, IHttpRequest, IHttpResponse, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { MessageBuilder } from '@rocket.chat/apps-engine/server/accessors/MessageBuilder';
import { RoomBuilder } from '@rocket.chat/apps-engine/server/accessors/RoomBuilder';

import { SETTINGS } from '../../lib/AppSettings';
import { type AppInstanceState, newInstanceState } from '../../lib/compositionRoot';
import type { Fault } from '../support/faults';

type RoomRole = 'owner' | 'moderator' | 'leader';
type Unmapped = Record<string, unknown>;

export interface RoomInit {
    id: string;
    name?: string;
    type?: 'p' | 'c' | 'd';
    encrypted?: boolean;
    archived?: boolean;
    federated?: boolean;
    teamMain?: boolean;
    members?: Array<string>;
    owners?: Array<string>;
    moderators?: Array<string>;
    leaders?: Array<string>;
}

export interface Notice {
    roomId: string;
    type: string;
    userId: string;
    by: 'app' | 'server';
}

export class FakeWorkspace {
    public readonly rooms = new Map<string, IRoom & { _unmappedProperties_: Unmapped }>();
    public readonly users = new Map<string, IUser>();
    public readonly serverSettings: Record<string, unknown> = { E2E_Enable: true, Site_Url: 'https://rc.test/' };
    public readonly appSettings: Record<string, unknown> = Object.fromEntries(SETTINGS.map((s) => [s.id, s.packageValue]));
    /** 'ignored' is Rocket.Chat 7.4+: the update succeeds and `encrypted` is dropped. */
    public roomModifier: 'applied' | 'ignored' = 'applied';
    /** Servers before Apps-Engine 1.62 have no `getUserRoomIds`. */
    public hasUserRoomIds = true;
    /** REST auth tokens the fake server accepts, token → user id (sessions and personal access tokens). */
    public readonly restTokens = new Map<string, string>();
    /** OAuth access tokens it accepts as `Authorization: Bearer`, token → user id. */
    public readonly bearerTokens = new Map<string, string>();
    /** When set, the fake server refuses REST writes with this body. */
    public restRefusal?: { error: string; errorType?: string; details?: Record<string, unknown> };
    /** An answer the fake server gives instead, by route (`permissions.listAll`, `groups.setEncrypted`, …). */
    public readonly restAnswers: Record<string, { statusCode: number; body: Record<string, unknown> }> = {};
    /** Rocket.Chat's permission table: permission → role ids (defaults from Rocket.Chat). */
    public readonly permissions: Record<string, Array<string>> = {
        'edit-room': ['admin', 'owner', 'moderator'],
        'toggle-room-e2e-encryption': ['owner', 'admin'],
    };
    /** When each permission last changed (for `permissions.listAll?updatedSince=`). */
    private readonly permissionsChangedAt: Record<string, number> = { 'edit-room': 1, 'toggle-room-e2e-encryption': 1 };
    /** Custom roles (Enterprise): name → random id. */
    public readonly customRoles = new Map<string, string>();
    public readonly faults = new Set<Fault>();
    /** What the real app keeps across calls on its instance. */
    public readonly instance: AppInstanceState = newInstanceState('encrypt-group-app');
    /** What the app asked the scheduler for, in order. */
    public readonly scheduled: Array<Record<string, unknown>> = [];
    /** The app's persistence: records with their associations, as Rocket.Chat's apps persistence keeps them. */
    public readonly records: Array<{ data: object; associations: Array<{ model: string; id: string }> }> = [];
    /** When set, room updates wait for it before they are applied (a slow write). */
    public roomUpdateGate?: Promise<void>;

    public readonly notices: Array<Notice> = [];
    public readonly ephemeral: Array<{ userId: string; roomId: string; text: string }> = [];
    public readonly httpCalls: Array<{ url: string; request: IHttpRequest }> = [];
    public readonly logLines: Array<string> = [];
    public readonly calls: Record<string, number> = {};

    private readonly members = new Map<string, Set<string>>();
    /** The app's messages by id, for the deleter. */
    private readonly appMessages = new Map<string, Notice>();
    private readonly roles = new Map<string, Record<RoomRole, Set<string>>>();

    public addUser(id: string, options: { roles?: Array<string>; language?: string } = {}): IUser {
        const user = {
            id,
            username: id,
            name: id,
            roles: options.roles ?? ['user'],
            settings: options.language ? { preferences: { language: options.language } } : undefined,
        } as unknown as IUser;
        this.users.set(id, user);
        return user;
    }

    public addRoom(init: RoomInit): IRoom {
        const name = init.name ?? init.id;
        const creator = this.users.get(init.owners?.[0] ?? '') ?? ({ id: 'creator', username: 'creator' } as IUser);
        const unmapped: Unmapped = { usersCount: init.members?.length ?? 0, broadcast: false };
        for (const key of ['encrypted', 'archived', 'federated', 'teamMain'] as const) {
            if (init[key] !== undefined) {
                unmapped[key] = init[key];
            }
        }
        const room = {
            id: init.id,
            slugifiedName: name,
            displayName: name,
            type: (init.type ?? 'p') as RoomType,
            creator,
            usernames: [],
            messageCount: 0,
            isReadOnly: false,
            createdAt: new Date('2026-01-01T00:00:00Z'),
            updatedAt: new Date('2026-01-02T00:00:00Z'),
            description: '',
            _unmappedProperties_: unmapped,
        };
        this.rooms.set(room.id, room);
        this.members.set(room.id, new Set(init.members ?? []));
        this.roles.set(room.id, {
            owner: new Set(init.owners ?? []),
            moderator: new Set(init.moderators ?? []),
            leader: new Set(init.leaders ?? []),
        });
        return room;
    }

    /** Sets a room's flag as if it had been stored before the test. */
    public setEncryptedFlag(roomId: string, value: boolean): void {
        this.rooms.get(roomId)!._unmappedProperties_.encrypted = value;
    }

    public encryptedOf(roomId: string): unknown {
        return this.rooms.get(roomId)?._unmappedProperties_.encrypted;
    }

    /** What `groups.kick` does: the user is no longer in the room, nor holds its roles. */
    public removeMember(roomId: string, userId: string): void {
        this.members.get(roomId)?.delete(userId);
        for (const holders of Object.values(this.roles.get(roomId) ?? {})) {
            holders.delete(userId);
        }
    }

    /** What an admin does in Administration → Permissions (`permissions.update`). */
    public setPermission(permission: string, roles: Array<string>): void {
        this.permissions[permission] = roles;
        this.permissionsChangedAt[permission] = Date.now();
    }

    public read(): IRead {
        const roomById = async (id: string) => {
            this.count('room.getById');
            this.fail('room-read');
            const room = this.rooms.get(id);
            return room && structuredClone(room);
        };
        const usersWithRole = (role: RoomRole) => async (roomId: string) => {
            this.count(`room.get${role}s`);
            return [...(this.roles.get(roomId)?.[role] ?? [])].map((id) => this.users.get(id)).filter(Boolean);
        };
        const userReader: Record<string, unknown> = {
            getById: async (id: string) => this.users.get(id),
            getAppUser: async () => this.users.get('app-bot'),
        };
        if (this.hasUserRoomIds) {
            userReader.getUserRoomIds = async (userId: string) => {
                this.count('user.getUserRoomIds');
                return [...this.members].filter(([, ids]) => ids.has(userId)).map(([roomId]) => roomId);
            };
        }
        return {
            getPersistenceReader: () => ({
                readByAssociations: async (associations: Array<{ model: string; id: string }>) => {
                    this.count('persistence.read');
                    return this.matching(associations).map((record) => structuredClone(record.data));
                },
            }),
            getRoleReader: () => ({
                getOneByIdOrName: async (idOrName: string) => {
                    this.count('role.getOneByIdOrName');
                    const id = this.customRoles.get(idOrName) ?? ([...this.customRoles.values()].includes(idOrName) ? idOrName : undefined);
                    return id
                        ? { id, name: [...this.customRoles].find(([, value]) => value === id)![0], protected: false, scope: 'Users', description: '' }
                        : null;
                },
            }),
            getRoomReader: () => ({
                getById: roomById,
                getByName: async (name: string) => {
                    this.count('room.getByName');
                    const room = [...this.rooms.values()].find((candidate) => candidate.slugifiedName === name);
                    return room && structuredClone(room);
                },
                getMembers: async (roomId: string) => {
                    this.count('room.getMembers');
                    return [...(this.members.get(roomId) ?? [])].map((id) => this.users.get(id) ?? ({ id } as IUser));
                },
                getOwners: usersWithRole('owner'),
                getModerators: usersWithRole('moderator'),
                getLeaders: usersWithRole('leader'),
            }),
            getUserReader: () => userReader,
            getEnvironmentReader: () => ({
                getSettings: () => ({ getValueById: async (id: string) => (this.count('setting.app'), this.appSettings[id]) }),
                getServerSettings: () => ({ getValueById: async (id: string) => (this.count('setting.server'), this.serverSettings[id]) }),
            }),
        } as unknown as IRead;
    }

    public modify(): IModify {
        return {
            getUpdater: () => ({
                room: async (roomId: string) => {
                    this.count('room.update.start');
                    this.fail('room-read');
                    const builder = new RoomBuilder(structuredClone(this.rooms.get(roomId)));
                    // Apps-Engine 1.49+ (Rocket.Chat 7.4+): the runtime's builder tracks changes.
                    return this.roomModifier === 'ignored' ? Object.assign(builder, { getChanges: () => ({}) }) : builder;
                },
                finish: async (builder: RoomBuilder) => {
                    this.count('room.update');
                    this.fail('room-update');
                    await this.hangIf('room-update-hang');
                    await this.roomUpdateGate;
                    this.updateRoom(builder.getRoom() as IRoom & { _unmappedProperties_?: Unmapped });
                },
            }),
            getCreator: () => ({
                startMessage: (data?: IMessage) => new MessageBuilder(data),
                finish: async (builder: MessageBuilder) => {
                    this.count('message.create');
                    this.fail('message-create');
                    const message = builder.getMessage() as IMessage & { _unmappedProperties_?: Unmapped };
                    const type = message._unmappedProperties_?.t;
                    // Rocket.Chat's send gate (`executeSendMessage`): only encrypted messages in an
                    // encrypted group while unencrypted ones are not allowed (the default since 7.0).
                    const encryptedRoom = this.rooms.get(message.room.id)?._unmappedProperties_.encrypted === true;
                    if (
                        encryptedRoom &&
                        this.serverSettings.E2E_Enable === true &&
                        this.serverSettings.E2E_Allow_Unencrypted_Messages !== true &&
                        type !== 'e2e'
                    ) {
                        throw new Error('Not allowed to send un-encrypted messages in an encrypted room [error-not-allowed]');
                    }
                    const id = `message-${this.appMessages.size + 1}`;
                    if (typeof type === 'string') {
                        const notice: Notice = { roomId: message.room.id, type, userId: message.sender.id, by: 'app' };
                        this.notices.push(notice);
                        this.appMessages.set(id, notice);
                    }
                    return id;
                },
            }),
            getDeleter: () => ({
                deleteMessage: async (message: IMessage) => {
                    this.count('message.delete');
                    const index = this.notices.indexOf(this.appMessages.get(message.id ?? '')!);
                    if (index === -1) {
                        throw new Error(`no message ${message.id}`);
                    }
                    this.notices.splice(index, 1);
                },
            }),
            getScheduler: () => ({
                scheduleOnce: async (job: { id: string; when: unknown; data?: object }) => void this.scheduled.push({ ...job }),
                scheduleRecurring: async (job: { id: string; interval: unknown }) => void this.scheduled.push({ ...job }),
            }),
            getNotifier: () => ({
                notifyUser: async (user: IUser, message: IMessage) => {
                    this.count('notify.user');
                    this.ephemeral.push({ userId: user.id, roomId: message.room.id, text: message.text ?? '' });
                },
            }),
        } as unknown as IModify;
    }

    public persistence(): IPersistence {
        return {
            createWithAssociations: async (data: object, associations: Array<{ model: string; id: string }>) => {
                this.count('persistence.create');
                this.records.push({ data: structuredClone(data), associations: structuredClone(associations) });
                return `record-${this.records.length}`;
            },
            updateByAssociations: async (associations: Array<{ model: string; id: string }>, data: object, upsert?: boolean) => {
                this.count('persistence.update');
                const found = this.matching(associations);
                if (found.length === 0 && upsert) {
                    this.records.push({ data: structuredClone(data), associations: structuredClone(associations) });
                }
                for (const record of found) {
                    record.data = structuredClone(data);
                }
                return 'record';
            },
            removeByAssociations: async (associations: Array<{ model: string; id: string }>) => {
                this.count('persistence.remove');
                const found = this.matching(associations);
                for (const record of found) {
                    this.records.splice(this.records.indexOf(record), 1);
                }
                return found.map((record) => record.data);
            },
        } as unknown as IPersistence;
    }

    /** Records holding every one of these associations. */
    private matching(associations: Array<{ model: string; id: string }>) {
        return this.records.filter((record) =>
            associations.every((wanted) => record.associations.some((held) => held.model === wanted.model && held.id === wanted.id)),
        );
    }

    public http(): IHttp {
        const call =
            (method: 'get' | 'post') =>
            async (url: string, request: IHttpRequest = {}) => {
                this.count(`http.${method}`);
                this.httpCalls.push({ url, request: { ...request, method } as IHttpRequest });
                this.fail('http');
                await this.hangIf('http-hang');
                return this.serveRest(method, url, request);
            };
        return { get: call('get'), post: call('post') } as unknown as IHttp;
    }

    public logger(): ILogger {
        const log =
            (level: string) =>
            (...items: Array<unknown>) =>
                this.logLines.push(`${level}: ${items.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(' ')}`);
        return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), log: log('log') } as unknown as ILogger;
    }

    public lastReply(userId: string): string | undefined {
        return this.ephemeral.filter((entry) => entry.userId === userId).pop()?.text;
    }

    private updateRoom(update: IRoom & { _unmappedProperties_?: Unmapped }): void {
        const stored = this.rooms.get(update.id);
        if (!stored) {
            throw new Error(`no room ${update.id}`);
        }
        const { _unmappedProperties_: unmapped, ...known } = structuredClone(update);
        Object.assign(stored, known);
        if (this.roomModifier === 'applied' && unmapped) {
            stored._unmappedProperties_ = unmapped;
        }
    }

    /**
     * The server routes the app calls, with Rocket.Chat's checks: who is logged in (session headers
     * in any casing, or an OAuth bearer token), the permission table, membership, archived, E2E.
     */
    private serveRest(method: 'get' | 'post', url: string, request: IHttpRequest): IHttpResponse {
        const reply = (statusCode: number, data: Record<string, unknown>): IHttpResponse =>
            ({ url, method, statusCode, data, content: JSON.stringify(data) }) as IHttpResponse;
        const header = (name: string) => Object.entries(request.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
        const bearer = /^Bearer (.+)$/.exec(header('authorization') ?? '')?.[1];
        const sessionUser = this.restTokens.get(header('x-auth-token') ?? '');
        const userId = bearer ? this.bearerTokens.get(bearer) : sessionUser === header('x-user-id') ? sessionUser : undefined;
        const user = userId ? this.users.get(userId) : undefined;
        if (!user) {
            return reply(401, { success: false, error: 'You must be logged in to do this.', status: 'error', message: 'You must be logged in to do this.' });
        }
        const route = `${method.toUpperCase()} ${url.replace(/^.*\/api\/v1\//, '').replace(/\?.*$/, '')}`;
        const forced = this.restAnswers[route.split(' ')[1]];
        if (forced) {
            return reply(forced.statusCode, forced.body);
        }
        const refusal = (error: string, errorType: string, details?: Record<string, unknown>) =>
            reply(400, { success: false, error: `${error} [${errorType}]`, errorType, ...(details && { details }) });
        const data = (request.data ?? {}) as Record<string, unknown>;
        switch (route) {
            case 'GET me':
                return reply(200, { _id: user.id, username: user.username, roles: user.roles, success: true });
            case 'GET permissions.listAll': {
                const since = request.params?.updatedSince ? Date.parse(request.params.updatedSince) : undefined;
                const update = Object.entries(this.permissions)
                    .filter(([id]) => since === undefined || this.permissionsChangedAt[id] > since)
                    .map(([_id, roles]) => ({ _id, roles, _updatedAt: new Date(this.permissionsChangedAt[_id]).toISOString() }));
                return reply(200, { update, remove: [], success: true });
            }
            case 'POST groups.setEncrypted':
            case 'POST rooms.saveRoomSettings': {
                if (this.restRefusal) {
                    return reply(400, { success: false, ...this.restRefusal });
                }
                const byCore = route === 'POST groups.setEncrypted';
                const room = this.rooms.get(String(byCore ? data.roomId : data.rid));
                if (!room || (byCore && (room.type !== 'p' || !this.members.get(room.id)?.has(user.id)))) {
                    return byCore
                        ? refusal('The required "roomId" or "roomName" param provided does not match any group', 'error-room-not-found')
                        : refusal('Invalid room', 'error-invalid-room', { method: 'saveRoomSettings' });
                }
                if (byCore && room._unmappedProperties_.archived === true) {
                    return refusal(`The private group, ${room.slugifiedName}, is archived`, 'error-room-archived');
                }
                if (!this.holds(user, room.id, 'edit-room')) {
                    return refusal('Editing room is not allowed', 'error-action-not-allowed', { method: 'saveRoomSettings', action: 'Editing_room' });
                }
                const encrypted = data.encrypted === true;
                if (room._unmappedProperties_.encrypted !== data.encrypted) {
                    const details = { method: 'saveRoomSettings', action: 'Change_Room_Encrypted' };
                    if (this.serverSettings.E2E_Enable !== true || room._unmappedProperties_.federated === true) {
                        return refusal('Only groups or direct channels can enable encryption', 'error-action-not-allowed', details);
                    }
                    if (!this.holds(user, room.id, 'toggle-room-e2e-encryption')) {
                        return refusal('You do not have permission to toggle E2E encryption', 'error-action-not-allowed', details);
                    }
                }
                if (Boolean(room._unmappedProperties_.encrypted) !== encrypted) {
                    this.notices.push({ roomId: room.id, type: encrypted ? 'room_e2e_enabled' : 'room_e2e_disabled', userId: user.id, by: 'server' });
                }
                room._unmappedProperties_.encrypted = encrypted;
                return byCore
                    ? reply(200, { group: { _id: room.id, name: room.slugifiedName, t: room.type, encrypted }, success: true })
                    : reply(200, { rid: room.id, success: true });
            }
            default:
                return reply(404, { success: false, error: `Not found: ${route}` });
        }
    }

    /** Rocket.Chat's `hasPermission` in a room: a global role of the user, or a role on their subscription. */
    private holds(user: IUser, roomId: string, permission: string): boolean {
        const roomRoles = Object.entries(this.roles.get(roomId) ?? {})
            .filter(([, holders]) => holders.has(user.id))
            .map(([role]) => role);
        return [...(user.roles ?? []), ...roomRoles].some((role) => (this.permissions[permission] ?? []).includes(role));
    }

    private count(name: string): void {
        this.calls[name] = (this.calls[name] ?? 0) + 1;
    }

    /** A call that never answers, as a hung bridge call would. */
    private async hangIf(fault: Fault): Promise<void> {
        if (this.faults.has(fault)) {
            await new Promise(() => undefined);
        }
    }

    private fail(fault: Fault): void {
        if (this.faults.has(fault)) {
            throw new Error(`injected fault: ${fault}`);
        }
    }
}
