// The stand-in's data: Rocket.Chat's collections in Rocket.Chat's own field names, its default
// permission table, and the core rules the server applies. Written from Rocket.Chat's source, not
// from the app: the end-to-end suite is only worth something if the two are independent.
import { randomBytes } from 'node:crypto';

export interface RawUser {
    _id: string;
    username: string;
    name: string;
    type: 'user' | 'bot' | 'app';
    active: boolean;
    roles: Array<string>;
    appId?: string;
    password?: string;
    createdAt: Date;
    _updatedAt: Date;
    settings?: { preferences?: { language?: string } };
}

export interface RawRoom {
    _id: string;
    t: 'c' | 'p' | 'd';
    name?: string;
    fname?: string;
    u: { _id: string; username: string };
    ts: Date;
    _updatedAt: Date;
    msgs: number;
    usersCount: number;
    ro: boolean;
    sysMes?: boolean;
    default?: boolean;
    description?: string;
    broadcast?: boolean;
    encrypted?: boolean;
    archived?: boolean;
    federated?: boolean;
    teamMain?: boolean;
    teamId?: string;
    usernames?: Array<string>;
    [key: string]: unknown;
}

export interface RawSubscription {
    _id: string;
    rid: string;
    u: { _id: string; username: string };
    roles: Array<string>;
    autoTranslate?: boolean;
}

export interface RawMessage {
    _id: string;
    rid: string;
    msg: string;
    t?: string;
    u: { _id: string; username: string; name?: string };
    ts: Date;
    groupable?: boolean;
    [key: string]: unknown;
}

export interface Ephemeral {
    userId: string;
    rid: string;
    msg: string;
    ts: Date;
}

/** Rocket.Chat's default roles for the permissions the stand-in's routes check. */
export const DEFAULT_PERMISSIONS: Record<string, Array<string>> = {
    'edit-room': ['admin', 'owner', 'moderator'],
    'toggle-room-e2e-encryption': ['owner', 'admin'],
    'create-p': ['admin', 'user', 'bot', 'app'],
    'create-c': ['admin', 'user', 'bot', 'app'],
    'create-d': ['admin', 'user', 'bot', 'app'],
    'create-user': ['admin'],
    'add-user-to-joined-room': ['admin', 'owner', 'moderator'],
    'add-user-to-any-p-room': ['admin'],
    'set-owner': ['admin', 'owner'],
    'set-moderator': ['admin', 'owner'],
    'set-leader': ['admin', 'owner'],
    'archive-room': ['admin', 'owner'],
    'edit-privileged-setting': ['admin'],
    'manage-apps': ['admin'],
};

/** A refusal in Rocket.Chat's REST shape: `{success:false, error:'<reason> [<code>]', errorType}`. */
export class RestError extends Error {
    constructor(
        public readonly errorType: string | undefined,
        public readonly reason: string,
        public readonly status = 400,
    ) {
        super(errorType ? `${reason} [${errorType}]` : reason);
    }

    public body(): Record<string, unknown> {
        return this.errorType ? { success: false, error: this.message, errorType: this.errorType } : { success: false, error: this.message };
    }
}

export function newId(): string {
    const alphabet = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
    return [...randomBytes(17)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

export class Model {
    public readonly users = new Map<string, RawUser>();
    public readonly rooms = new Map<string, RawRoom>();
    /** Subscriptions indexed both ways, as Rocket.Chat's collection is: lookups never scan a room. */
    private readonly subscriptionsByRoom = new Map<string, Map<string, RawSubscription>>();
    private readonly subscriptionsByUser = new Map<string, Map<string, RawSubscription>>();
    public readonly messages: Array<RawMessage> = [];
    public readonly ephemeral: Array<Ephemeral> = [];
    public readonly tokens = new Map<string, string>();
    public readonly permissions = structuredClone(DEFAULT_PERMISSIONS);
    public readonly settings = new Map<string, unknown>([
        ['E2E_Enable', false],
        ['E2E_Allow_Unencrypted_Messages', false],
        ['E2E_Enabled_Default_PrivateRooms', false],
        ['E2E_Enabled_Default_DirectRooms', false],
        ['E2E_Enable_Encrypt_Files', true],
        ['Site_Url', 'http://localhost:3000'],
        ['Site_Name', 'Rocket.Chat stand-in'],
    ]);

    public createUser(data: { username: string; name?: string; password?: string; roles?: Array<string>; type?: RawUser['type']; appId?: string }): RawUser {
        if ([...this.users.values()].some((user) => user.username === data.username)) {
            throw new RestError(undefined, `${data.username} is already in use :( [error-field-unavailable]`);
        }
        const now = new Date();
        const user: RawUser = {
            _id: newId(),
            username: data.username,
            name: data.name ?? data.username,
            type: data.type ?? 'user',
            active: true,
            roles: data.roles ?? ['user'],
            password: data.password,
            appId: data.appId,
            createdAt: now,
            _updatedAt: now,
        };
        this.users.set(user._id, user);
        return user;
    }

    public login(username: string, password: string): { userId: string; authToken: string } | undefined {
        const user = this.userByUsername(username);
        if (!user || !user.password || user.password !== password) {
            return undefined;
        }
        const authToken = randomBytes(32).toString('base64url');
        this.tokens.set(authToken, user._id);
        return { userId: user._id, authToken };
    }

    /** `x-user-id` + `x-auth-token`, as Rocket.Chat's REST layer checks them. */
    public authenticate(userId: unknown, token: unknown): RawUser | undefined {
        if (typeof userId !== 'string' || typeof token !== 'string' || this.tokens.get(token) !== userId) {
            return undefined;
        }
        return this.users.get(userId);
    }

    public userByUsername(username: string): RawUser | undefined {
        return [...this.users.values()].find((user) => user.username === username);
    }

    public createRoom(type: RawRoom['t'], name: string | undefined, owner: RawUser, memberIds: Array<string>): RawRoom {
        if (name && [...this.rooms.values()].some((room) => room.name === name)) {
            throw new RestError('error-duplicate-channel-name', `A channel with name '${name}' exists`);
        }
        const now = new Date();
        const room: RawRoom = {
            _id: newId(),
            t: type,
            ...(name && { name, fname: name }),
            u: { _id: owner._id, username: owner.username },
            ts: now,
            _updatedAt: now,
            msgs: 0,
            usersCount: 0,
            ro: false,
            default: false,
            description: '',
            broadcast: false,
        };
        this.rooms.set(room._id, room);
        for (const userId of new Set([owner._id, ...memberIds])) {
            this.subscribe(room, userId, type !== 'd' && userId === owner._id ? ['owner'] : []);
        }
        if (type === 'd') {
            room.usernames = [...new Set([owner._id, ...memberIds])].map((id) => this.users.get(id)!.username);
        }
        return room;
    }

    public subscribe(room: RawRoom, userId: string, roles: Array<string> = []): RawSubscription {
        const existing = this.subscription(room._id, userId);
        if (existing) {
            return existing;
        }
        const user = this.users.get(userId);
        if (!user) {
            throw new RestError('error-invalid-user', 'Invalid user');
        }
        const subscription = { _id: newId(), rid: room._id, u: { _id: user._id, username: user.username }, roles };
        indexed(this.subscriptionsByRoom, room._id).set(userId, subscription);
        indexed(this.subscriptionsByUser, userId).set(room._id, subscription);
        room.usersCount += 1;
        return subscription;
    }

    public subscription(rid: string, userId: string): RawSubscription | undefined {
        return this.subscriptionsByRoom.get(rid)?.get(userId);
    }

    public subscriptionsOf(rid: string): Array<RawSubscription> {
        return [...(this.subscriptionsByRoom.get(rid)?.values() ?? [])];
    }

    public roomIdsOf(userId: string): Array<string> {
        return [...(this.subscriptionsByUser.get(userId)?.keys() ?? [])];
    }

    /** `hasPermissionAsync(userId, permission, rid)`: global roles plus the roles on the subscription. */
    public hasPermission(userId: string, permission: string, rid?: string): boolean {
        const user = this.users.get(userId);
        if (!user) {
            return false;
        }
        const roles = [...user.roles, ...(rid ? (this.subscription(rid, userId)?.roles ?? []) : [])];
        return (this.permissions[permission] ?? []).some((role) => roles.includes(role));
    }

    public requirePermission(userId: string, permission: string, rid?: string): void {
        if (!this.hasPermission(userId, permission, rid)) {
            throw new RestError('error-not-allowed', 'Not allowed', 403);
        }
    }

    public postSystemMessage(type: string, rid: string, user: RawUser): RawMessage {
        return this.insertMessage({ rid, t: type, msg: user.username, u: { _id: user._id, username: user.username }, groupable: false });
    }

    public insertMessage(message: Omit<RawMessage, '_id' | 'ts'> & { ts?: Date }): RawMessage {
        const stored = { ...message, _id: newId(), ts: message.ts ?? new Date() } as RawMessage;
        this.messages.push(stored);
        const room = this.rooms.get(stored.rid);
        if (room) {
            room.msgs += 1;
        }
        return stored;
    }

    /**
     * `saveRoomSettings(userId, rid, {encrypted})` — edit-room, then the encryption validator, then
     * `saveRoomEncrypted`: the write, the system message when the boolean changed, and auto-translate
     * switched off on the subscriptions when enabling.
     */
    public saveRoomEncrypted(user: RawUser, room: RawRoom, value: boolean): void {
        if (!this.hasPermission(user._id, 'edit-room', room._id)) {
            throw new RestError('error-action-not-allowed', 'Editing room is not allowed');
        }
        if (value !== room.encrypted) {
            const e2eAllowed = this.settings.get('E2E_Enable') === true && (room.t === 'p' || room.t === 'd') && !room.federated;
            if (!e2eAllowed) {
                throw new RestError('error-action-not-allowed', 'Only groups or direct channels can enable encryption');
            }
            if (room.t !== 'd' && !this.hasPermission(user._id, 'toggle-room-e2e-encryption', room._id)) {
                throw new RestError('error-action-not-allowed', 'You do not have permission to toggle E2E encryption');
            }
        }
        const changed = Boolean(room.encrypted) !== value;
        room.encrypted = value === true;
        room._updatedAt = new Date();
        if (changed) {
            this.postSystemMessage(value ? 'room_e2e_enabled' : 'room_e2e_disabled', room._id, user);
        }
        if (value) {
            for (const subscription of this.subscriptionsOf(room._id)) {
                delete subscription.autoTranslate;
            }
        }
    }

    /** `findPrivateGroupByIdOrName`: the parameter rule, then type, subscription and archived. */
    public findPrivateGroup(params: Record<string, unknown>, userId: string, checkArchived = true): RawRoom {
        const { roomId, roomName } = params;
        if (!roomId && !roomName) {
            throw new RestError('error-room-param-not-provided', 'The parameter "roomId" or "roomName" is required');
        }
        const key = 'roomId' in params ? roomId : roomName;
        const room =
            typeof key !== 'string'
                ? undefined
                : 'roomId' in params
                  ? this.rooms.get(key)
                  : [...this.rooms.values()].find((candidate) => candidate.name === key);
        if (!room || room.t !== 'p' || !this.subscription(room._id, userId)) {
            throw new RestError('error-room-not-found', 'The required "roomId" or "roomName" param provided does not match any group');
        }
        if (checkArchived && room.archived) {
            throw new RestError('error-room-archived', `The private group, ${room.name}, is archived`);
        }
        return room;
    }
}

function indexed<T>(index: Map<string, Map<string, T>>, key: string): Map<string, T> {
    let entries = index.get(key);
    if (!entries) {
        entries = new Map();
        index.set(key, entries);
    }
    return entries;
}
