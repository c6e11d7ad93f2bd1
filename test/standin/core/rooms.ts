// Rooms and subscriptions, and the room rules the routes and bridges share: creating a room or a
// discussion, the private-group lookup of the groups.* routes, removing a member, unarchiving, and
// `saveRoomSettings` for `encrypted`.
import { canAccessRoom, hasPermission } from './authorization';
import type { ServerContext } from './context';
import { MeteorError } from './errors';
import { canSendMessage, saveSystemMessage } from './messages';
import { mongoSort } from './pagination';
import { newId, type RawRoom, type RawSubscription, type RawUser, type Storage } from '../storage/Storage';

export function createRoom(storage: Storage, type: RawRoom['t'], name: string | undefined, owner: RawUser, memberIds: Array<string>): RawRoom {
    if (name && storage.roomByName(name)) {
        throw new MeteorError('error-duplicate-channel-name', `A channel with name '${name}' exists`);
    }
    return insertRoom(storage, type, name, owner, memberIds);
}

/**
 * The one way a room is stored: the room with Rocket.Chat's default fields, the owner subscribed
 * with the `owner` role (not in a DM) and each member without roles, `usersCount` counting them.
 * Callers have checked the name; `extra` is merged into the room (`ts`, `lm`, flags).
 */
function insertRoom(
    storage: Storage,
    type: RawRoom['t'],
    name: string | undefined,
    owner: RawUser,
    memberIds: Iterable<string>,
    extra: Partial<RawRoom> = {},
): RawRoom {
    const now = new Date();
    const ids = [...new Set([owner._id, ...memberIds])];
    const users = ids.map((userId) => {
        const user = storage.users.get(userId);
        if (!user) {
            throw new MeteorError('error-invalid-user', 'Invalid user');
        }
        return user;
    });
    const room: RawRoom = {
        _id: newId(),
        t: type,
        ...(name && { name, fname: name }),
        u: { _id: owner._id, username: owner.username },
        ts: now,
        _updatedAt: now,
        msgs: 0,
        usersCount: ids.length,
        ro: false,
        default: false,
        description: '',
        broadcast: false,
        ...extra,
        ...(type === 'd' && { usernames: users.map((user) => user.username) }),
    };
    storage.database.atomically(() => {
        storage.rooms.set(room._id, room);
        for (const user of users) {
            storage.insertSubscription(room, user, type !== 'd' && user._id === owner._id ? ['owner'] : []);
        }
    });
    return room;
}

/** Which seeded groups get a flag: every n-th one (n = 1: all of them; absent or 0: none). */
export interface SeedEvery {
    encrypted?: number;
    archived?: number;
    federated?: number;
    discussion?: number;
    teamMain?: number;
}

export interface GroupSeed {
    count: number;
    prefix: string;
    owner: RawUser;
    memberIds: Array<string>;
    every?: SeedEvery;
}

/**
 * Private groups straight into storage, for benchmarks and tests (the stand-in's own
 * `groups.seed`): `<prefix>-<n>` (n from 1), each with the owner (owner role) and the members
 * subscribed, `ts` a minute apart going back from now, `lm` on every other group. The flags of
 * `every` are stored as Rocket.Chat stores them: `encrypted`, `archived`, `federated: true`; a
 * discussion has a random `name`, the title as `fname` and `prid` = the first seeded group (which
 * is never a discussion); a team's main group `teamMain: true` and a `teamId`. Names are checked
 * against the stored ones once, so thousands go in at once.
 */
export function seedGroups(storage: Storage, seed: GroupSeed): Array<RawRoom> {
    return storage.database.atomically(() => seedAll(storage, seed));
}

function seedAll(storage: Storage, seed: GroupSeed): Array<RawRoom> {
    const names = new Set<string>();
    for (const room of storage.rooms.values()) {
        if (room.name) {
            names.add(room.name);
        }
    }
    const nth = (key: keyof SeedEvery, i: number) => {
        const n = seed.every?.[key];
        return typeof n === 'number' && n > 0 && (i + 1) % n === 0;
    };
    const now = Date.now();
    const rooms: Array<RawRoom> = [];
    for (let i = 0; i < seed.count; i++) {
        const title = `${seed.prefix}-${i + 1}`;
        const discussion = i > 0 && nth('discussion', i);
        const name = discussion ? newId() : title;
        if (names.has(name)) {
            throw new MeteorError('error-duplicate-channel-name', `A channel with name '${name}' exists`);
        }
        names.add(name);
        const ts = new Date(now - i * 60_000);
        const room = insertRoom(storage, 'p', name, seed.owner, seed.memberIds, {
            ts,
            _updatedAt: ts,
            ...(i % 2 === 0 && { lm: new Date(ts.getTime() + 30_000) }),
            ...(nth('encrypted', i) && { encrypted: true }),
            ...(nth('archived', i) && { archived: true }),
            ...(nth('federated', i) && { federated: true }),
            ...(discussion && { fname: title, prid: rooms[0]._id, topic: rooms[0].name }),
            ...(!discussion && nth('teamMain', i) && { teamMain: true, teamId: newId() }),
        });
        rooms.push(room);
    }
    return rooms;
}

export function subscribe(storage: Storage, room: RawRoom, userId: string, roles: Array<string> = []): RawSubscription {
    const existing = storage.subscription(room._id, userId);
    if (existing) {
        return existing;
    }
    const user = storage.users.get(userId);
    if (!user) {
        throw new MeteorError('error-invalid-user', 'Invalid user');
    }
    return storage.database.atomically(() => {
        storage.updateRoom(room._id, (found) => {
            found.usersCount += 1;
        });
        return storage.insertSubscription(room, user, roles);
    });
}

export function unsubscribe(storage: Storage, room: RawRoom, userId: string): void {
    storage.database.atomically(() => {
        if (storage.removeSubscription(room._id, userId)) {
            storage.updateRoom(room._id, (found) => {
                found.usersCount -= 1;
            });
        }
    });
}

/**
 * `findPrivateGroupByIdOrName` (apps/meteor/app/api/server/v1/groups.ts, as in 8.x): "not
 * provided" only when neither key is present, or both are and both are empty; otherwise the key
 * that is present is looked up as given (`roomId` wins), so an empty, null or non-string value is
 * simply no group. Then type and access (`canAccessRoom`: one answer for all, so nobody learns a
 * group exists; a discussion is open to whoever can access its parent), then archived — named by
 * `fname` for discussions, whose `name` is a random id.
 */
export function findPrivateGroup(storage: Storage, params: Record<string, unknown>, userId: string, checkArchived = true): RawRoom {
    if ((!('roomId' in params) && !('roomName' in params)) || ('roomId' in params && !params.roomId && 'roomName' in params && !params.roomName)) {
        throw new MeteorError('error-room-param-not-provided', 'The parameter "roomId" or "roomName" is required');
    }
    const byId = 'roomId' in params;
    const key = byId ? params.roomId || '' : params.roomName || '';
    // Mongo matches a string id or name only by an equal string: a number finds nothing.
    const room = typeof key !== 'string' ? undefined : byId ? storage.rooms.get(key) : storage.roomByName(key);
    const user = storage.users.get(userId);
    if (!room || room.t !== 'p' || !user || !canAccessRoom(storage, room, user)) {
        throw new MeteorError('error-room-not-found', 'The required "roomId" or "roomName" param provided does not match any group');
    }
    const roomName = room.prid ? room.fname : room.name;
    if (checkArchived && room.archived) {
        throw new MeteorError('error-room-archived', `The private group, ${roomName}, is archived`);
    }
    return room;
}

/**
 * `removeUserFromRoomMethod(fromId, {rid, username})` (apps/meteor/server/methods/removeUserFromRoom.ts):
 * `remove-user` in the room, the user subscribed, not the room's last owner; then the subscription
 * goes and the room gets its `ru` system message.
 */
export function removeUserFromRoom(server: ServerContext, by: RawUser, room: RawRoom, removed: RawUser): void {
    const { storage } = server;
    const method = { method: 'removeUserFromRoom' };
    if (!hasPermission(storage, by._id, 'remove-user', room._id)) {
        throw new MeteorError('error-not-allowed', 'Not allowed', method);
    }
    if (!canAccessRoom(storage, room, by)) {
        throw new MeteorError('error-room-not-found', 'The required "roomId" or "roomName" param provided does not match any group');
    }
    const subscription = storage.subscription(room._id, removed._id);
    if (!subscription) {
        throw new MeteorError('error-user-not-in-room', 'User is not in this room', method);
    }
    if (subscription.roles.includes('owner') && storage.subscriptionsOf(room._id).filter((other) => other.roles.includes('owner')).length === 1) {
        throw new MeteorError('error-you-are-last-owner', 'You are the last owner. Please set new owner before leaving the room.', method);
    }
    unsubscribe(storage, room, removed._id);
    saveSystemMessage(server, 'ru', room._id, by, removed.username);
}

/**
 * `muteUserInRoom(fromId, {rid, username})` (apps/meteor/server/methods/muteUserInRoom.ts): `mute-user`
 * in the room, a room type that allows muting (not a DM), the user subscribed; then the username
 * joins the room's `muted` (a read-only room instead drops it from `unmuted`) and the room gets its
 * `user-muted` system message.
 */
export function muteUserInRoom(server: ServerContext, by: RawUser, rid: string, muted: RawUser): void {
    const { storage } = server;
    const method = { method: 'muteUserInRoom' };
    if (!hasPermission(storage, by._id, 'mute-user', rid)) {
        throw new MeteorError('error-not-allowed', 'Not allowed', method);
    }
    const room = storage.rooms.get(rid);
    if (!room) {
        throw new MeteorError('error-invalid-room', 'Invalid room', method);
    }
    if (room.t === 'd') {
        throw new MeteorError('error-invalid-room-type', `${room.t} is not a valid room type`, { ...method, type: room.t });
    }
    if (!storage.subscription(rid, muted._id)) {
        throw new MeteorError('error-user-not-in-room', 'User is not in this room', method);
    }
    const usernames = (list: unknown) => (Array.isArray(list) ? (list as Array<string>) : []);
    storage.updateRoom(rid, (found) => {
        if (!found.ro) {
            found.muted = [...new Set([...usernames(found.muted), muted.username])];
        }
        found.unmuted = usernames(found.unmuted).filter((username) => username !== muted.username);
        found._updatedAt = new Date();
    });
    saveSystemMessage(server, 'user-muted', rid, by, muted.username);
}

/**
 * The `unarchiveRoom` method (apps/meteor/server/methods/unarchiveRoom.ts): `unarchive-room` in
 * the room, then `archived: false` and the `room-unarchived` system message.
 */
export function unarchiveRoom(server: ServerContext, by: RawUser, room: RawRoom): void {
    if (!hasPermission(server.storage, by._id, 'unarchive-room', room._id)) {
        throw new MeteorError('error-not-authorized', 'Not authorized', { method: 'unarchiveRoom' });
    }
    server.storage.updateRoom(room._id, (found) => {
        found.archived = false;
        found._updatedAt = new Date();
    });
    saveSystemMessage(server, 'room-unarchived', room._id, by, '');
}

export interface NewDiscussion {
    prid: string;
    name: string;
    usernames: Array<string>;
    encrypted?: boolean;
}

/**
 * `createDiscussion` (apps/meteor/app/discussion/server/methods/createDiscussion.ts): discussions
 * on, `start-discussion[-other-user]` in the parent, the creator may post in the parent (its
 * errors re-thrown as `Meteor.Error(message)`), no discussion of a discussion. The discussion is a
 * room of the parent's type with a random `name`, the title as `fname`, `prid` pointing at the
 * parent and the parent's encryption unless told; the creator owns it, the named users (unknown
 * ones skipped) are members, and the parent gets a `discussion-created` message.
 */
export function createDiscussion(server: ServerContext, user: RawUser, data: NewDiscussion): RawRoom {
    const { storage } = server;
    const notAllowed = () => new MeteorError('error-action-not-allowed', 'You are not allowed to create a discussion', { method: 'createDiscussion' });
    if (storage.settings.get('Discussion_enabled') !== true) {
        throw notAllowed();
    }
    if (!hasPermission(storage, user._id, 'start-discussion', data.prid) && !hasPermission(storage, user._id, 'start-discussion-other-user', data.prid)) {
        throw notAllowed();
    }
    let parent: RawRoom;
    try {
        parent = canSendMessage(server, data.prid, user);
    } catch (error) {
        throw new MeteorError((error as Error).message, '');
    }
    if (parent.prid) {
        throw new MeteorError('error-nested-discussion', 'Cannot create nested discussions', { method: 'DiscussionCreation' });
    }
    const members = data.usernames.map((username) => storage.userByUsername(username)?._id).filter((id): id is string => Boolean(id));
    const created = createRoom(storage, parent.t === 'd' ? 'p' : parent.t, newId(), user, members);
    const discussion = storage.updateRoom(created._id, (found) => ({
        ...found,
        fname: data.name,
        prid: parent._id,
        topic: parent.name,
        encrypted: data.encrypted ?? Boolean(parent.encrypted),
    }))!;
    saveSystemMessage(server, 'discussion-created', parent._id, user, data.name, { drid: discussion._id });
    return discussion;
}

/**
 * `saveRoomSettings(userId, rid, {encrypted})` (apps/meteor/server/methods/saveRoomSettings.ts):
 * edit-room, then the encryption validator, then `saveRoomEncrypted` — the write, Rocket.Chat's
 * system message when the boolean changed, and auto-translate cleared on the subscriptions when
 * enabling. The validators' errors carry `details`, which REST failures pass on.
 */
export function saveRoomEncrypted(server: ServerContext, user: RawUser, room: RawRoom, value: boolean): RawRoom {
    const { storage } = server;
    if (!hasPermission(storage, user._id, 'edit-room', room._id)) {
        throw new MeteorError('error-action-not-allowed', 'Editing room is not allowed', { method: 'saveRoomSettings', action: 'Editing_room' });
    }
    if (value !== room.encrypted) {
        const details = { method: 'saveRoomSettings', action: 'Change_Room_Encrypted' };
        const e2eAllowed = storage.settings.get('E2E_Enable') === true && (room.t === 'p' || room.t === 'd') && !room.federated;
        if (!e2eAllowed) {
            throw new MeteorError('error-action-not-allowed', 'Only groups or direct channels can enable encryption', details);
        }
        if (room.t !== 'd' && !hasPermission(storage, user._id, 'toggle-room-e2e-encryption', room._id)) {
            throw new MeteorError('error-action-not-allowed', 'You do not have permission to toggle E2E encryption', details);
        }
    }
    // Whether it changed is decided on the room as stored at the write: on a cluster another instance
    // may have changed it since this request read it. The write and its notice are one transaction
    // here, where Rocket.Chat makes two writes: so the notices of changes made through two instances
    // keep the order of the changes (see docs/instances.md, what the cluster does not model).
    storage.database.atomically(() => {
        let changed = false;
        storage.updateRoom(room._id, (found) => {
            changed = Boolean(found.encrypted) !== value;
            found.encrypted = value === true;
            found._updatedAt = new Date();
        });
        if (changed) {
            saveSystemMessage(server, value ? 'room_e2e_enabled' : 'room_e2e_disabled', room._id, user);
        }
    });
    if (value) {
        for (const subscription of storage.subscriptionsOf(room._id)) {
            if ('autoTranslate' in subscription) {
                storage.updateSubscription(room._id, subscription.u._id, (found) => {
                    delete found.autoTranslate;
                });
            }
        }
    }
    // Read after the system message, which counts in `msgs`: `Rooms.findOneById` as the routes answer it.
    return storage.rooms.get(room._id) ?? room;
}

/**
 * The fields `rooms.adminRooms` shows (`adminFields`, apps/meteor/lib/rooms/adminFields.ts): no
 * `encrypted`, no `lm`/`lastMessage`, no `_updatedAt`. (`ts` is in the newest list only.)
 */
export const ADMIN_FIELDS = [
    '_id',
    'prid',
    'fname',
    'name',
    't',
    'cl',
    'u',
    'usernames',
    'usersCount',
    'muted',
    'unmuted',
    'ro',
    'reactWhenReadOnly',
    'default',
    'favorite',
    'featured',
    'topic',
    'msgs',
    'archived',
    'teamId',
    'teamMain',
    'announcement',
    'description',
    'broadcast',
    'uids',
    'avatarETag',
    'federated',
    'ts',
] as const;

export interface AdminRoomsQuery {
    filter: string;
    types: Array<string>;
    offset: number;
    count: number;
    sort?: Record<string, 1 | -1>;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `findAdminRooms` (apps/meteor/app/api/server/lib/rooms.ts) over `Rooms.findByNameOrFnameContainingAndTypes`
 * (packages/models/src/models/Rooms.ts). Without `view-room-administration` a plain
 * `Error('error-not-authorized')`, which the REST wrapper answers `400 {success:false, error:'error-not-authorized'}`.
 * `types` may name `discussions` and `teams` beside room types: rooms with `prid` (`teamMain`) are
 * left out unless `discussions` (`teams`) is named, and naming them adds every discussion (team
 * main room) whatever its type. `filter` matches `name` (not in federated rooms), `fname`, or a
 * DM's `usernames`, case-insensitively, as a literal. Sorted `{default: -1, name: 1}` unless the
 * caller's `sort` says otherwise; `count` 0 is no limit; `total` counts every match. These are the
 * semantics since PR #28426 (2023, early 6.x): before it `prid: {$exists: discussion}` made
 * `discussions` show discussions only, and `t: {$in: types}` always applied.
 */
export function findAdminRooms(storage: Storage, userId: string, query: AdminRoomsQuery) {
    if (!hasPermission(storage, userId, 'view-room-administration')) {
        // Rocket.Chat throws a plain Error; the REST wrapper's `failure(e.message)` gives the same body as this.
        throw new MeteorError(undefined, 'error-not-authorized');
    }
    const name = query.filter.trim();
    const discussion = query.types.includes('discussions');
    const teams = query.types.includes('teams');
    const showTypes = query.types.filter((type) => type !== 'discussions' && type !== 'teams');
    const nameRegex = new RegExp(escapeRegExp(name).trim(), 'i');
    const matchesName = (room: RawRoom) =>
        (typeof room.name === 'string' && nameRegex.test(room.name) && room.federated !== true) ||
        (typeof room.fname === 'string' && nameRegex.test(room.fname)) ||
        (room.t === 'd' && (room.usernames ?? []).some((username) => nameRegex.test(username)));
    const matchesType = (room: RawRoom) => showTypes.includes(room.t) || (discussion && room.prid !== undefined) || (teams && room.teamMain !== undefined);
    const matches = [...storage.rooms.values()].filter(
        (room) =>
            (!name || matchesName(room)) &&
            (!(showTypes.length || discussion || teams) || matchesType(room)) &&
            (discussion || room.prid === undefined) &&
            (teams || room.teamMain === undefined),
    );
    matches.sort(mongoSort(query.sort ?? { default: -1, name: 1 }));
    const page = matches.slice(query.offset, query.count === 0 ? undefined : query.offset + query.count);
    const rooms = page.map((room) => {
        const shown: Record<string, unknown> = {};
        for (const field of ADMIN_FIELDS) {
            if (room[field] !== undefined) {
                shown[field] = structuredClone(room[field]);
            }
        }
        return shown;
    });
    return { rooms, count: rooms.length, offset: query.offset, total: matches.length };
}
