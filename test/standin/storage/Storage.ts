// The stand-in's database: Rocket.Chat's collections in Rocket.Chat's own field names.
// Storage only: the rules that read and change it live in ../core, the app bridges in ../apps.
import { randomBytes } from 'node:crypto';

import { Collection, Database } from './Database';

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
    /** Set while one instance runs it: agenda's lock, which no other instance takes until it goes or outlives its lifetime. */
    lockedAt?: Date;
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
    private readonly records: Collection<RawAppRecord>;
    private readonly statements;

    constructor(private readonly database: Database) {
        this.records = new Collection(database, 'app_records', [(record) => record.appId]);
        database.sql.exec(
            `CREATE TABLE IF NOT EXISTS app_record_associations (record TEXT NOT NULL, association TEXT NOT NULL);
             CREATE INDEX IF NOT EXISTS app_record_associations_by_key ON app_record_associations (association);
             CREATE INDEX IF NOT EXISTS app_record_associations_by_record ON app_record_associations (record);`,
        );
        this.statements = {
            associate: database.sql.prepare('INSERT INTO app_record_associations (record, association) VALUES (?, ?)'),
            dissociate: database.sql.prepare<[string]>('DELETE FROM app_record_associations WHERE record = ?'),
            holding: database.sql.prepare<[string], string>('SELECT record FROM app_record_associations WHERE association = ? ORDER BY rowid').pluck(),
            holders: database.sql.prepare<[string], number>('SELECT count(*) FROM app_record_associations WHERE association = ?').pluck(),
        };
    }

    public get size(): number {
        return this.records.size;
    }

    public insert(record: RawAppRecord): void {
        this.database.atomically(() => {
            this.records.set(record._id, record);
            for (const association of record.associations ?? []) {
                this.statements.associate.run(record._id, associationKey(record.appId, association));
            }
        });
    }

    public byRecordId(id: string): RawAppRecord | undefined {
        return this.records.get(id);
    }

    /** Mongo's `{appId, associations: {$all: wanted}}`: every named association held, so an empty list matches nothing. */
    public holdingAll(appId: string, wanted: Array<RawAssociation>): Array<RawAppRecord> {
        if (wanted.length === 0) {
            return [];
        }
        const keys = wanted.map((association) => associationKey(appId, association));
        const counted = keys.map((key) => ({ key, holders: this.statements.holders.get(key) ?? 0 }));
        const smallest = counted.reduce((a, b) => (b.holders < a.holders ? b : a));
        return this.statements.holding
            .all(smallest.key)
            .map((id) => this.records.get(id))
            .filter((record): record is RawAppRecord => {
                const held = new Set(record?.associations?.map((association) => associationKey(appId, association)));
                return Boolean(record) && keys.every((key) => held.has(key));
            });
    }

    /** `{appId, associations: wanted}`: the same associations in the same order. */
    public withList(appId: string, wanted: Array<RawAssociation>): RawAppRecord | undefined {
        return this.holdingAll(appId, wanted).find(
            (record) =>
                record.associations?.length === wanted.length &&
                wanted.every((association, index) => associationKey(appId, record.associations![index]) === associationKey(appId, association)),
        );
    }

    /** The app's records that `match`. */
    public ofApp(appId: string, match: (record: RawAppRecord) => boolean = () => true): Array<RawAppRecord> {
        return this.records.where(0, appId).filter(match);
    }

    /** `$set: {data}` on one record: the rest of it (its associations) stays. */
    public setData(id: string, data: Record<string, unknown>): void {
        this.records.update(id, (record) => {
            record.data = data;
        });
    }

    public remove(record: RawAppRecord): void {
        this.database.atomically(() => {
            this.records.delete(record._id);
            this.statements.dissociate.run(record._id);
        });
    }
}

function associationKey(appId: string, association: RawAssociation): string {
    return `${appId}\u0000${association.model}\u0000${association.id}`;
}

export function newId(): string {
    const alphabet = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
    return [...randomBytes(17)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/**
 * Rocket.Chat's collections, each a table of one database (see Database.ts): this process's own,
 * in memory, or the file the instances of a cluster share.
 */
export class Storage {
    public readonly database: Database;
    public readonly users: Collection<RawUser>;
    public readonly rooms: Collection<RawRoom>;
    /** `rocketchat_message`, by `_id`, indexed on the room. */
    public readonly messages: Collection<RawMessage>;
    /** Login tokens: token → user id. */
    public readonly tokens: Collection<string>;
    public readonly permissions: Collection<RawPermission>;
    /** Deleted permissions (`rocketchat__trash`, as Rocket.Chat's models move a deleted document there). */
    public readonly permissionsTrash: Collection<{ _id: string; _deletedAt: Date }>;
    public readonly roles: Collection<RawRole>;
    /** OAuth access tokens: token → holder (`Authorization: Bearer <token>`). */
    public readonly oauthAccessTokens: Collection<OAuthAccessToken>;
    public readonly settings: Collection<unknown>;
    /** Apps' persistent records (`rocketchat_apps_persistence`), kept across app updates and restarts. */
    public readonly appRecords: AppRecords;
    /** Apps' scheduled jobs (`rocketchat_apps_scheduler`), by `_id`, indexed on the job's name. */
    public readonly appJobs: Collection<RawAppJob>;
    /** Subscriptions indexed both ways, as Rocket.Chat's collection is: lookups never scan a room. */
    private readonly subscriptions: Collection<RawSubscription>;
    private readonly notices: Collection<Notice>;
    private readonly uiInteractions: Collection<PushedInteraction>;

    /** `path`: the database file the instances of a cluster share; none: this process's own, in memory. */
    constructor(path?: string) {
        const database = new Database(path);
        this.database = database;
        this.users = new Collection(database, 'users', [(user) => user.username]);
        this.rooms = new Collection(database, 'rooms', [(room) => room.name]);
        this.messages = new Collection(database, 'messages', [(message) => message.rid]);
        this.tokens = new Collection(database, 'tokens');
        this.permissions = new Collection(database, 'permissions');
        this.permissionsTrash = new Collection(database, 'permissions_trash');
        this.roles = new Collection(database, 'roles', [(role) => role.name]);
        this.oauthAccessTokens = new Collection(database, 'oauth_access_tokens');
        this.settings = new Collection(database, 'settings');
        this.appRecords = new AppRecords(database);
        this.appJobs = new Collection(database, 'app_jobs', [(job) => job.name]);
        this.subscriptions = new Collection(database, 'subscriptions', [(subscription) => subscription.rid, (subscription) => subscription.u._id]);
        this.notices = new Collection(database, 'notices', [(notice) => notice.userId]);
        this.uiInteractions = new Collection(database, 'ui_interactions', [(pushed) => pushed.userId]);
    }

    public userByUsername(username: string): RawUser | undefined {
        return this.users.where(0, username)[0];
    }

    /** `Roles.findOneByIdOrName`: by `_id` first, then by name. */
    public roleByIdOrName(idOrName: string): RawRole | undefined {
        return this.roles.get(idOrName) ?? this.roles.where(0, idOrName)[0];
    }

    public roomByName(name: string): RawRoom | undefined {
        return this.rooms.where(0, name)[0];
    }

    /** Edits one room in one atomic write (`Rooms.updateOne`); the room after, if there is one. */
    public updateRoom(rid: string, change: (room: RawRoom) => void): RawRoom | undefined {
        return this.rooms.update(rid, change);
    }

    public insertSubscription(room: RawRoom, user: RawUser, roles: Array<string>): RawSubscription {
        const subscription = { _id: newId(), rid: room._id, u: { _id: user._id, username: user.username }, roles };
        this.subscriptions.set(subscriptionKey(room._id, user._id), subscription);
        return subscription;
    }

    /** Edits one subscription in one atomic write; the subscription after, if there is one. */
    public updateSubscription(rid: string, userId: string, change: (subscription: RawSubscription) => void): RawSubscription | undefined {
        return this.subscriptions.update(subscriptionKey(rid, userId), change);
    }

    public removeSubscription(rid: string, userId: string): boolean {
        return this.subscriptions.delete(subscriptionKey(rid, userId));
    }

    public subscription(rid: string, userId: string): RawSubscription | undefined {
        return this.subscriptions.get(subscriptionKey(rid, userId));
    }

    public subscriptionsOf(rid: string): Array<RawSubscription> {
        return this.subscriptions.where(0, rid);
    }

    public roomIdsOf(userId: string): Array<string> {
        return this.subscriptions.where(1, userId).map((subscription) => subscription.rid);
    }

    public insertMessage(message: NewMessage): RawMessage {
        const stored = { ...message, _id: newId(), ts: message.ts ?? new Date() } as RawMessage;
        this.database.atomically(() => {
            this.messages.set(stored._id, stored);
            this.rooms.update(stored.rid, (room) => {
                room.msgs += 1;
            });
        });
        return stored;
    }

    /** A room's messages, oldest first. */
    public messagesOf(rid: string): Array<RawMessage> {
        return this.messages.where(0, rid);
    }

    public addNotice(notice: Notice): void {
        this.notices.set(newId(), notice);
    }

    /** The private messages a user was shown, oldest first. */
    public noticesOf(userId: string): Array<Notice> {
        return this.notices.where(0, userId);
    }

    public addUiInteraction(pushed: PushedInteraction): void {
        this.uiInteractions.set(newId(), pushed);
    }

    /** The UI-kit interactions pushed to a user, oldest first. */
    public uiInteractionsOf(userId: string): Array<PushedInteraction> {
        return this.uiInteractions.where(0, userId);
    }
}

function subscriptionKey(rid: string, userId: string): string {
    return `${rid}\u0000${userId}`;
}
