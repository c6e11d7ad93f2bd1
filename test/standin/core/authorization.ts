// Rocket.Chat's permission table and `hasPermissionAsync`
// (apps/meteor/app/authorization/server/functions/hasPermission.ts): a user holds a permission when
// one of their global roles (`user.roles`), or in a room one of their subscription's roles, is
// among the permission's roles.
import { MeteorError } from './errors';
import { newId, type RawRole, type RawRoom, type RawUser, type Storage } from '../storage/Storage';

/**
 * Rocket.Chat's default roles for the permissions the stand-in's routes check
 * (apps/meteor/app/authorization/server/constant/permissions.ts).
 */
export const DEFAULT_PERMISSIONS: Record<string, Array<string>> = {
    'edit-room': ['admin', 'owner', 'moderator'],
    'toggle-room-e2e-encryption': ['owner', 'admin'],
    'create-p': ['admin', 'user', 'bot', 'app'],
    'create-c': ['admin', 'user', 'bot', 'app'],
    'create-d': ['admin', 'user', 'bot', 'app'],
    'create-user': ['admin'],
    'add-user-to-joined-room': ['admin', 'owner', 'moderator'],
    // Nobody by default: even an admin adds people only to private groups they are in.
    'add-user-to-any-p-room': [],
    'set-owner': ['admin', 'owner'],
    'set-moderator': ['admin', 'owner'],
    'set-leader': ['admin', 'owner'],
    'archive-room': ['admin', 'owner'],
    'unarchive-room': ['admin'],
    'edit-privileged-setting': ['admin'],
    'view-privileged-setting': ['admin'],
    'manage-apps': ['admin'],
    'access-permissions': ['admin'],
    'api-bypass-rate-limit': ['admin', 'bot', 'app'],
    'view-room-administration': ['admin'],
    'view-c-room': ['admin', 'user', 'bot', 'app', 'anonymous'],
    'post-readonly': ['admin', 'owner', 'moderator'],
    'remove-user': ['admin', 'owner', 'moderator'],
    'edit-other-user-info': ['admin'],
    'mute-user': ['admin', 'owner', 'moderator'],
    // apps/meteor/app/discussion/server/permissions.ts
    'start-discussion': ['admin', 'user', 'guest', 'app'],
    'start-discussion-other-user': ['admin', 'user', 'owner', 'app'],
};

/**
 * Rocket.Chat's protected roles (`createOrUpdateProtectedRoleAsync` at start-up,
 * apps/meteor/app/authorization/server/functions/upsertPermissions.ts): `_id` = name; the room
 * roles are scoped to subscriptions.
 */
const BUILT_IN_ROLES: Array<[string, RawRole['scope']]> = [
    ['admin', 'Users'],
    ['moderator', 'Subscriptions'],
    ['leader', 'Subscriptions'],
    ['owner', 'Subscriptions'],
    ['user', 'Users'],
    ['bot', 'Users'],
    ['app', 'Users'],
    ['guest', 'Users'],
    ['anonymous', 'Users'],
    ['livechat-agent', 'Users'],
    ['livechat-manager', 'Users'],
    ['livechat-monitor', 'Users'],
];

export function seedPermissions(storage: Storage): void {
    const now = new Date();
    for (const [_id, roles] of Object.entries(DEFAULT_PERMISSIONS)) {
        storage.permissions.set(_id, { _id, roles: [...roles], _updatedAt: now });
    }
    for (const [name, scope] of BUILT_IN_ROLES) {
        storage.roles.set(name, { _id: name, name, scope, protected: true, description: '' });
    }
}

/**
 * A custom role, as Enterprise's `roles.create` makes one (ee/server/lib/roles/insertRole.ts): a
 * random `_id`, not protected; names are unique.
 */
export function createRole(storage: Storage, name: string, scope: RawRole['scope'], description = ''): RawRole {
    if (storage.roleByIdOrName(name)) {
        throw new MeteorError('error-duplicate-role-names-not-allowed', 'Role name already exists');
    }
    const role: RawRole = { _id: newId(), name, scope, protected: false, description };
    storage.roles.set(role._id, role);
    return role;
}

export function hasPermission(storage: Storage, userId: string, permission: string, rid?: string): boolean {
    const user = storage.users.get(userId);
    if (!user) {
        return false;
    }
    const roles = [...user.roles, ...(rid ? (storage.subscription(rid, userId)?.roles ?? []) : [])];
    return (storage.permissions.get(permission)?.roles ?? []).some((role) => roles.includes(role));
}

/**
 * A route's `permissionsRequired` refused (apps/meteor/app/api/server/ApiClass.ts): a
 * `Meteor.Error(<code>, 'User does not have the permissions required for this action')` that the
 * route wrapper answers `API.v1.forbidden(e.message)` — a 403 with the code only in the text, no
 * `errorType`. The code is `error-unauthorized` before 9.0 and `error-forbidden` from 9.0
 * (`ServerProfile.permissionRefusalCode`), which the router fills in (see ApiRouter.ts).
 */
export class PermissionRefusal extends MeteorError {
    constructor() {
        super(undefined, 'User does not have the permissions required for this action', undefined, 403);
    }
}

export function requirePermission(storage: Storage, userId: string, permission: string, rid?: string): void {
    if (!hasPermission(storage, userId, permission, rid)) {
        throw new PermissionRefusal();
    }
}

/**
 * `canAccessRoom` (apps/meteor/server/services/authorization/canAccessRoom.ts): a public channel is
 * open to whoever holds `view-c-room`, joined or not; any other room needs a subscription; a
 * discussion is also open to whoever can access its parent room.
 */
export function canAccessRoom(storage: Storage, room: RawRoom | undefined, user: RawUser): boolean {
    if (!room) {
        return false;
    }
    if (room.t === 'c' && hasPermission(storage, user._id, 'view-c-room')) {
        return true;
    }
    if (storage.subscription(room._id, user._id)) {
        return true;
    }
    return room.prid !== undefined && canAccessRoom(storage, storage.rooms.get(room.prid), user);
}
