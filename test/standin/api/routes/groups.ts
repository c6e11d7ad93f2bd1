// Private groups (apps/meteor/app/api/server/v1/groups.ts): every route finds its group with
// `findPrivateGroupByIdOrName`, so a group the caller is not in does not exist for them.
import { success, unauthorized } from '../answers';
import type { ApiRouter, AuthedCall } from '../ApiRouter';
import { hasPermission, requirePermission } from '../../core/authorization';
import type { ServerContext } from '../../core/context';
import { MeteorError } from '../../core/errors';
import { mongoSort, paginationItems, parseSort } from '../../core/pagination';
import { createRoom, findPrivateGroup, removeUserFromRoom, saveRoomEncrypted, subscribe, unarchiveRoom } from '../../core/rooms';
import { userParam } from './users';

export function groupsRoutes(api: ApiRouter, server: ServerContext): void {
    const { storage } = server;
    const roomOut = (room: object) => structuredClone(room);

    api.addRoute('groups.create', { authRequired: true }, { post: (call) => success({ group: roomOut(createRoomFrom(server, call, 'p')) }) });

    api.addRoute(
        'groups.invite',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                const room = findPrivateGroup(storage, bodyParams, user._id);
                if (!hasPermission(storage, user._id, 'add-user-to-any-p-room') && !hasPermission(storage, user._id, 'add-user-to-joined-room', room._id)) {
                    throw new MeteorError('error-not-allowed', 'Not allowed');
                }
                subscribe(storage, room, userParam(server, bodyParams)._id);
                return success({ group: roomOut(room) });
            },
        },
    );

    const setRoomRole = (permission: string, role: string) => ({
        post: ({ user, bodyParams }: AuthedCall) => {
            const room = findPrivateGroup(storage, bodyParams, user._id);
            requirePermission(storage, user._id, permission, room._id);
            const subscription = storage.updateSubscription(room._id, userParam(server, bodyParams)._id, (found) => {
                found.roles = [...new Set([...found.roles, role])];
            });
            if (!subscription) {
                throw new MeteorError('error-user-not-in-room', 'User is not in this room');
            }
            return success();
        },
    });
    api.addRoute('groups.addOwner', { authRequired: true }, setRoomRole('set-owner', 'owner'));
    api.addRoute('groups.addModerator', { authRequired: true }, setRoomRole('set-moderator', 'moderator'));
    api.addRoute('groups.addLeader', { authRequired: true }, setRoomRole('set-leader', 'leader'));

    api.addRoute(
        'groups.archive',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                const room = findPrivateGroup(storage, bodyParams, user._id);
                requirePermission(storage, user._id, 'archive-room', room._id);
                storage.updateRoom(room._id, (found) => {
                    found.archived = true;
                });
                return success();
            },
        },
    );

    // Answers `API.v1.success()` alone, as it always has (unlike `channels.kick`, which returns the channel).
    api.addRoute(
        'groups.kick',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                const room = findPrivateGroup(storage, bodyParams, user._id);
                removeUserFromRoom(server, user, room, userParam(server, bodyParams));
                return success();
            },
        },
    );

    api.addRoute(
        'groups.unarchive',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                unarchiveRoom(server, user, findPrivateGroup(storage, bodyParams, user._id, false));
                return success();
            },
        },
    );

    // `GET groups.listAll`: `view-room-administration` or `API.v1.unauthorized()` (403), then
    // `getPaginationItems`, `parseJsonQuery` (sort), and `Rooms.findPaginated({t: 'p'}, {sort: sort || {name: 1}})`:
    // every private group of the workspace as stored, discussions and teams' main groups included,
    // `encrypted`, `archived` and `federated` with them (Rocket.Chat adds each room's `lastMessage`).
    api.addRoute(
        'groups.listAll',
        { authRequired: true },
        {
            get: ({ user, queryParams }) => {
                if (!hasPermission(storage, user._id, 'view-room-administration')) {
                    return unauthorized();
                }
                const { offset, count } = paginationItems(queryParams);
                const groups = [...storage.rooms.values()].filter((room) => room.t === 'p');
                groups.sort(mongoSort(parseSort(queryParams.sort) ?? { name: 1 }));
                const page = groups.slice(offset, count === 0 ? undefined : offset + count).map(roomOut);
                return success({ groups: page, offset, count: page.length, total: groups.length });
            },
        },
    );

    api.addRoute(
        'groups.info',
        { authRequired: true },
        { get: ({ user, queryParams }) => success({ group: roomOut(findPrivateGroup(storage, queryParams, user._id, false)) }) },
    );

    api.addRoute(
        'groups.messages',
        { authRequired: true },
        {
            get: ({ user, queryParams }) => {
                const room = findPrivateGroup(storage, queryParams, user._id, false);
                const messages = storage.messagesOf(room._id).reverse();
                return success({ messages, count: messages.length, offset: 0, total: messages.length });
            },
        },
    );

    api.addRoute(
        'groups.setEncrypted',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                if (typeof bodyParams.encrypted !== 'boolean') {
                    throw new MeteorError(undefined, 'The bodyParam "encrypted" is required');
                }
                const room = findPrivateGroup(storage, bodyParams, user._id);
                return success({ group: roomOut(saveRoomEncrypted(server, user, room, bodyParams.encrypted)) });
            },
        },
    );
}

/** `groups.create` / `channels.create` / `teams.create`: the caller becomes the owner. */
export function createRoomFrom(server: ServerContext, { user, bodyParams }: AuthedCall, type: 'c' | 'p') {
    const { storage } = server;
    requirePermission(storage, user._id, type === 'p' ? 'create-p' : 'create-c');
    if (typeof bodyParams.name !== 'string' || !bodyParams.name) {
        throw new MeteorError('error-the-field-is-required', 'The field name is required');
    }
    const members = (Array.isArray(bodyParams.members) ? bodyParams.members : []).map((username: unknown) => {
        const member = typeof username === 'string' ? storage.userByUsername(username) : undefined;
        if (!member) {
            throw new MeteorError('error-invalid-user', 'Invalid user');
        }
        return member._id;
    });
    return createRoom(storage, type, bodyParams.name, user, members);
}
