// Channels, direct messages, teams, discussions and room settings (apps/meteor/app/api/server/v1/channels.ts,
// im.ts, teams.ts, rooms.ts).
import { success } from '../answers';
import type { ApiRouter } from '../ApiRouter';
import type { ServerContext } from '../../core/context';
import { MeteorError } from '../../core/errors';
import { paginationItems, parseSort } from '../../core/pagination';
import { createDiscussion, createRoom, findAdminRooms, muteUserInRoom, saveRoomEncrypted } from '../../core/rooms';
import { newId } from '../../storage/Storage';
import { createRoomFrom } from './groups';
import { groupsSeedRoute } from './standin';
import { userParam } from './users';

export function roomsRoutes(api: ApiRouter, server: ServerContext): void {
    const { storage } = server;
    const roomOut = (room: object) => structuredClone(room);

    api.addRoute('channels.create', { authRequired: true }, { post: (call) => success({ channel: roomOut(createRoomFrom(server, call, 'c')) }) });

    // A private team: its main room is a private group with `teamMain` set.
    api.addRoute(
        'teams.create',
        { authRequired: true },
        {
            post: (call) => {
                if (call.bodyParams.type !== 1) {
                    throw new MeteorError(undefined, 'The stand-in only creates private teams (type 1)');
                }
                const created = createRoomFrom(server, call, 'p');
                const room = storage.updateRoom(created._id, (found) => ({ ...found, teamMain: true, teamId: newId() }))!;
                return success({ team: { _id: room.teamId, name: room.name, type: 1, roomId: room._id } });
            },
        },
    );

    api.addRoute(
        'im.create',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                const other = userParam(server, bodyParams);
                const existing = [...storage.rooms.values()].find(
                    (room) => room.t === 'd' && storage.subscription(room._id, user._id) && storage.subscription(room._id, other._id),
                );
                return success({ room: roomOut(existing ?? createRoom(storage, 'd', undefined, user, [other._id])) });
            },
        },
    );

    // `rooms.muteUser {roomId, userId|username}` (apps/meteor/app/api/server/v1/rooms.ts, from 6.8):
    // `muteUserInRoom` as the caller.
    api.addRoute(
        'rooms.muteUser',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                if (typeof bodyParams.roomId !== 'string') {
                    throw new MeteorError('invalid-params', "must have required property 'roomId'");
                }
                muteUserInRoom(server, user, bodyParams.roomId, userParam(server, bodyParams));
                return success();
            },
        },
    );

    // `rooms.createDiscussion` (apps/meteor/app/api/server/v1/rooms.ts): the body checks of the
    // route, then `createDiscussion`; the answer is the new room with `rid` beside `_id`.
    api.addRoute(
        'rooms.createDiscussion',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                const { prid, t_name: name, users, encrypted } = bodyParams;
                const problem = !prid
                    ? 'Body parameter "prid" is required.'
                    : !name
                      ? 'Body parameter "t_name" is required.'
                      : users && !Array.isArray(users)
                        ? 'Body parameter "users" must be an array.'
                        : encrypted !== undefined && typeof encrypted !== 'boolean'
                          ? 'Body parameter "encrypted" must be a boolean when included.'
                          : undefined;
                if (problem) {
                    throw new MeteorError(undefined, problem);
                }
                const discussion = createDiscussion(server, user, {
                    prid: String(prid),
                    name: String(name),
                    usernames: (users ?? []).filter((username: unknown): username is string => typeof username === 'string' && username !== ''),
                    encrypted,
                });
                return success({ discussion: { ...roomOut(discussion), rid: discussion._id } });
            },
        },
    );

    // `GET rooms.adminRooms` (apps/meteor/app/api/server/v1/rooms.ts): `getPaginationItems`, then
    // `parseJsonQuery()` for `sort` (its refusal comes before the permission check), then
    // `findAdminRooms` (see core/rooms.ts). `types` arrives as `types[]=p&types[]=c` or `types=p`.
    api.addRoute(
        'rooms.adminRooms',
        { authRequired: true },
        {
            get: ({ user, queryParams }) => {
                const { offset, count } = paginationItems(queryParams);
                const sort = parseSort(queryParams.sort);
                const types = [queryParams.types, queryParams['types[]']]
                    .filter((value): value is string => typeof value === 'string' && value !== '')
                    .flatMap((value) => value.split(','));
                return success(findAdminRooms(storage, user._id, { filter: queryParams.filter || '', types, offset, count, sort }));
            },
        },
    );

    // The stand-in's own seeding route lives on /api/v1 beside the routes it feeds.
    groupsSeedRoute(api, server);

    // `rooms.saveRoomSettings` → `saveRoomSettings(userId, rid, params)`
    // (apps/meteor/app/channel-settings/server/methods/saveRoomSettings.ts): no check of `archived`
    // anywhere, so an archived group is switched like any other; a federated one is refused by the
    // room type's `allowRoomSettingChange(room, E2E)` (federation allows no E2E), see
    // `saveRoomEncrypted`.
    api.addRoute(
        'rooms.saveRoomSettings',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                const room = typeof bodyParams.rid === 'string' ? storage.rooms.get(bodyParams.rid) : undefined;
                if (!room) {
                    throw new MeteorError('error-invalid-room', 'Invalid room', { method: 'saveRoomSettings' });
                }
                if ('encrypted' in bodyParams) {
                    if (typeof bodyParams.encrypted !== 'boolean') {
                        throw new MeteorError('error-invalid-room-setting', 'Invalid room setting');
                    }
                    saveRoomEncrypted(server, user, room, bodyParams.encrypted);
                }
                return success({ rid: room._id });
            },
        },
    );
}
