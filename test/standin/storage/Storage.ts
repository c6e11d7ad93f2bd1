// The stand-in's database: Rocket.Chat's collections in Rocket.Chat's own field names, in memory.
// Storage only: the rules that read and change it live in ../core, the app bridges in ../apps.
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
    prid?: string;
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

/** A message as it is handed to the database, before it has an id and a time. */
export interface NewMessage {
    rid: string;
    msg: string;
    t?: string;
    u: { _id: string; username: string; name?: string };
    groupable?: boolean;
    tmid?: string;
    ts?: Date;
    [key: string]: unknown;
}

export type RawMessage = NewMessage & { _id: string; ts: Date };

/** A private (ephemeral) message to one user, which the web client shows and nothing stores. */
export interface Notice {
    userId: string;
    rid: string;
    msg: string;
    ts: Date;
}

/**
 * A UI-kit interaction an app pushed to a user (`notify.uiInteraction`, which Rocket.Chat streams
 * to the user's clients): kept so tests can read what a client would have been shown.
 */
export interface PushedInteraction {
    userId: string;
    appId: string;
    interaction: Record<string, unknown>;
    ts: Date;
}

/** A row of Rocket.Chat's `rocketchat_permissions` collection. */
export interface RawPermission {
    _id: string;
    roles: Array<string>;
    _updatedAt: Date;
}

/**
 * A row of `rocketchat_roles`: built-in roles have their name as `_id` and are protected; custom
 * roles (Enterprise) have a random `_id`. Permissions and users refer to roles by `_id`.
 */
export interface RawRole {
    _id: string;
    name: string;
    scope: 'Users' | 'Subscriptions';
    protected: boolean;
    description: string;
    mandatory2fa?: boolean;
}

/** A row of `rocketchat_oauth_access_tokens` (the OAuth2 server's tokens): who it logs in, until when. */
export interface OAuthAccessToken {
    userId: string;
    expires: Date;
}

/** What an app associates a record with: a `RocketChatAssociationRecord` (`{model, id}`). */
export interface RawAssociation {
    model: string;
    id: string;
}

/**
 * A row of `rocketchat_apps_persistence`, what an app's `IPersistence` writes
 * (apps/meteor/app/apps/server/bridges/persistence.ts): the app's data, with the models it is
 * associated with when it named some.
 */
export interface RawAppRecord {
    _id: string;
    appId: string;
    data: Record<string, unknown>;
    associations?: Array<RawAssociation>;
}

/**
 * A row of `rocketchat_apps_scheduler`, the collection Rocket.Chat's agenda keeps an app's jobs in
 * (apps/meteor/app/apps/server/bridges/scheduler.ts): `name` is the processor id the engine made
 * (`<processor>_<appId>`), `data` carries the `appId`; a one-time job is agenda's `normal` type, a
 * recurring one its `single` type (one per name).
 */
export interface RawAppJob {
    _id: string;
    name: string;
    type: 'normal' | 'single';
    data: Record<string, unknown>;
    /** When it runs next; none once a one-time job has failed (agenda keeps it, never to run again). */
    nextRunAt?: Date;
    /** A recurring job's interval, as the app gave it. */
    repeatInterval?: string | number;
    lastRunAt?: Date;
    lastFinishedAt?: Date;
    failedAt?: Date;
    failReason?: string;
    failCount?: number;
}

/**
 * `rocketchat_apps_persistence`, indexed on `associations` as Rocket.Chat's model indexes it
 * (apps/meteor/server/models/raw/AppsPersistence.ts: `{appId: 1, associations: 1}`, a multikey
 * index): a lookup by associations starts from the smallest set of records holding one of them,
 * so reading one group's records costs the same whatever else the app stores.
 */
export class AppRecords {
    private readonly byId = new Map<string, RawAppRecord>();
    private readonly byAssociation = new Map<string, Set<RawAppRecord>>();

    public get size(): number {
        return this.byId.size;
    }

    public insert(record: RawAppRecord): void {
        this.byId.set(record._id, record);
        for (const association of record.associations ?? []) {
            let held = this.byAssociation.get(associationKey(record.appId, association));
            if (!held) {
                held = new Set();
                this.byAssociation.set(associationKey(record.appId, association), held);
            }
            held.add(record);
        }
    }

    public byRecordId(id: string): RawAppRecord | undefined {
        return this.byId.get(id);
    }

    /** Mongo's `{appId, associations: {$all: wanted}}`: every named association held, so an empty list matches nothing. */
    public holdingAll(appId: string, wanted: Array<RawAssociation>): Array<RawAppRecord> {
        if (wanted.length === 0) {
            return [];
        }
        const sets = wanted.map((association) => this.byAssociation.get(associationKey(appId, association)) ?? new Set<RawAppRecord>());
        const smallest = sets.reduce((a, b) => (b.size < a.size ? b : a));
        return [...smallest].filter((record) => sets.every((set) => set.has(record)));
    }

    /** `{appId, associations: wanted}`: the same associations in the same order. */
    public withList(appId: string, wanted: Array<RawAssociation>): RawAppRecord | undefined {
        return this.holdingAll(appId, wanted).find(
            (record) =>
                record.associations?.length === wanted.length &&
                wanted.every((association, index) => associationKey(appId, record.associations![index]) === associationKey(appId, association)),
        );
    }

    public where(match: (record: RawAppRecord) => boolean): Array<RawAppRecord> {
        return [...this.byId.values()].filter(match);
    }

    public remove(record: RawAppRecord): void {
        this.byId.delete(record._id);
        for (const association of record.associations ?? []) {
            const key = associationKey(record.appId, association);
            const held = this.byAssociation.get(key);
            held?.delete(record);
            if (held?.size === 0) {
                this.byAssociation.delete(key);
            }
        }
    }
}

function associationKey(appId: string, association: RawAssociation): string {
    return `${appId}\u0000${association.model}\u0000${association.id}`;
}

export function newId(): string {
    const alphabet = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
    return [...randomBytes(17)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

export class Storage {
    public readonly users = new Map<string, RawUser>();
    public readonly rooms = new Map<string, RawRoom>();
    public readonly messages: Array<RawMessage> = [];
    public readonly notices: Array<Notice> = [];
    public readonly uiInteractions: Array<PushedInteraction> = [];
    /** Login tokens: token → user id. */
    public readonly tokens = new Map<string, string>();
    public readonly permissions = new Map<string, RawPermission>();
    /** Deleted permissions (`rocketchat__trash`, as Rocket.Chat's models move a deleted document there). */
    public readonly permissionsTrash = new Map<string, { _id: string; _deletedAt: Date }>();
    public readonly roles = new Map<string, RawRole>();
    /** OAuth access tokens: token → holder (`Authorization: Bearer <token>`). */
    public readonly oauthAccessTokens = new Map<string, OAuthAccessToken>();
    public readonly settings = new Map<string, unknown>();
    /** Apps' persistent records (`rocketchat_apps_persistence`), kept across app updates and restarts. */
    public readonly appRecords = new AppRecords();
    /** Apps' scheduled jobs (`rocketchat_apps_scheduler`), by `_id`. */
    public readonly appJobs = new Map<string, RawAppJob>();
    /** Subscriptions indexed both ways, as Rocket.Chat's collection is: lookups never scan a room. */
    private readonly subscriptionsByRoom = new Map<string, Map<string, RawSubscription>>();
    private readonly subscriptionsByUser = new Map<string, Map<string, RawSubscription>>();

    public userByUsername(username: string): RawUser | undefined {
        return [...this.users.values()].find((user) => user.username === username);
    }

    /** `Roles.findOneByIdOrName`: by `_id` first, then by name. */
    public roleByIdOrName(idOrName: string): RawRole | undefined {
        return this.roles.get(idOrName) ?? [...this.roles.values()].find((role) => role.name === idOrName);
    }

    public roomByName(name: string): RawRoom | undefined {
        return [...this.rooms.values()].find((room) => room.name === name);
    }

    public insertSubscription(room: RawRoom, user: RawUser, roles: Array<string>): RawSubscription {
        const subscription = { _id: newId(), rid: room._id, u: { _id: user._id, username: user.username }, roles };
        indexed(this.subscriptionsByRoom, room._id).set(user._id, subscription);
        indexed(this.subscriptionsByUser, user._id).set(room._id, subscription);
        return subscription;
    }

    public removeSubscription(rid: string, userId: string): boolean {
        const removed = this.subscriptionsByRoom.get(rid)?.delete(userId) ?? false;
        this.subscriptionsByUser.get(userId)?.delete(rid);
        return removed;
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

    public insertMessage(message: NewMessage): RawMessage {
        const stored = { ...message, _id: newId(), ts: message.ts ?? new Date() } as RawMessage;
        this.messages.push(stored);
        const room = this.rooms.get(stored.rid);
        if (room) {
            room.msgs += 1;
        }
        return stored;
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
