// Rocket.Chat's app converters (apps/meteor/app/apps/server/converters/*.ts), for the fields this
// stand-in stores. What they do not map reaches the app in `_unmappedProperties_`; what an app
// sends back is mapped back, with `_unmappedProperties_` merged only where the server version did.
import type { NewMessage, RawMessage, RawRole, RawRoom, RawUser, Storage } from '../storage/Storage';

type AppObject = Record<string, any>;

export function toAppUser(user: RawUser | undefined): AppObject | undefined {
    if (!user) {
        return undefined;
    }
    return {
        id: user._id,
        username: user.username,
        name: user.name,
        emails: [],
        type: user.type,
        isEnabled: user.active,
        roles: [...user.roles],
        status: 'online',
        statusConnection: 'online',
        utcOffset: 0,
        createdAt: user.createdAt,
        updatedAt: user._updatedAt,
        lastLoginAt: user._updatedAt,
        ...(user.appId && { appId: user.appId }),
        ...(user.settings && { settings: structuredClone(user.settings) }),
    };
}

/** `convertRoom`: the mapped fields by name, everything else in `_unmappedProperties_`. */
export function toAppRoom(storage: Storage, raw: RawRoom | undefined): AppObject | undefined {
    if (!raw) {
        return undefined;
    }
    const {
        _id,
        fname,
        name,
        t,
        u,
        ts,
        _updatedAt,
        msgs,
        ro,
        default: isDefault,
        sysMes,
        description,
        customFields,
        teamId,
        teamMain,
        federated,
        usernames,
        prid,
        lm,
        ...unmapped
    } = structuredClone(raw);
    return {
        id: _id,
        displayName: fname,
        slugifiedName: name,
        type: t,
        creator: toAppUser(storage.users.get(u._id)),
        createdAt: ts,
        updatedAt: _updatedAt,
        lastModifiedAt: lm,
        messageCount: msgs,
        isReadOnly: !!ro,
        isDefault: !!isDefault,
        displaySystemMessages: sysMes ?? true,
        description,
        customFields,
        teamId,
        isTeamMain: teamMain,
        isFederated: federated,
        usernames: usernames ?? [],
        // A discussion's parent, converted in turn (`parentRoom: prid ? <parent> : undefined`).
        parentRoom: prid ? toAppRoom(storage, storage.rooms.get(prid)) : undefined,
        _unmappedProperties_: unmapped,
    };
}

/**
 * `convertAppRoom(room, isPartial)`: known fields only, by their Rocket.Chat names. Before 7.4 the
 * bridge called it without `isPartial`, which merges `_unmappedProperties_` back into the room.
 */
export function fromAppRoom(room: AppObject, mergeUnmapped: boolean): Partial<RawRoom> {
    const mapped: Record<string, unknown> = {
        ...(room.id && { _id: room.id }),
        ...(room.type !== undefined && { t: room.type }),
        ...(room.createdAt !== undefined && { ts: new Date(room.createdAt) }),
        ...(room.messageCount !== undefined && { msgs: room.messageCount || 0 }),
        ...(room.displayName && { fname: room.displayName }),
        ...(room.type !== 'd' && room.slugifiedName && { name: room.slugifiedName }),
        ...(room.isDefault !== undefined && { default: room.isDefault }),
        ...(room.isReadOnly !== undefined && { ro: room.isReadOnly }),
        ...(room.displaySystemMessages !== undefined && { sysMes: room.displaySystemMessages }),
        ...(room.creator?.id && { u: { _id: room.creator.id, username: room.creator.username } }),
        ...(room.customFields && { customFields: room.customFields }),
        ...(room.isFederated !== undefined && { federated: room.isFederated }),
        ...(room.parentRoom?.id && { prid: room.parentRoom.id }),
    };
    if (mergeUnmapped) {
        Object.assign(mapped, room._unmappedProperties_);
    }
    return mapped as Partial<RawRoom>;
}

/** `AppRolesConverter.convertRole` (apps/meteor/app/apps/server/converters/roles.ts). */
export function toAppRole(role: RawRole | undefined): AppObject | undefined {
    if (!role) {
        return undefined;
    }
    return {
        id: role._id,
        name: role.name,
        description: role.description,
        ...(role.mandatory2fa !== undefined && { mandatory2fa: role.mandatory2fa }),
        protected: role.protected,
        scope: role.scope,
    };
}

/** `convertAppMessage`: text, room, sender, and `_unmappedProperties_` merged (a message's type rides there). */
export function fromAppMessage(storage: Storage, message: AppObject): NewMessage {
    const sender = storage.users.get(message.sender?.id);
    if (!sender) {
        throw new Error('Invalid sender assigned to the message.');
    }
    return {
        rid: message.room?.id,
        msg: message.text ?? '',
        u: { _id: sender._id, username: sender.username, name: sender.name },
        ...(message.groupable !== undefined && { groupable: message.groupable }),
        ...(message.threadId && { tmid: message.threadId }),
        ...message._unmappedProperties_,
    };
}

/**
 * `convertMessage`: room and sender converted in turn, the rest in `_unmappedProperties_`. From 7.4
 * (PR #35177, which brought `IPostSystemMessageSent`) the converter maps `t` to `type` too, so a
 * system message's type is `message.type` there and no longer in `_unmappedProperties_`.
 */
export function toAppMessage(storage: Storage, message: RawMessage, mapsType: boolean): AppObject {
    const { _id, rid, msg, u, ts, groupable, ...unmapped } = structuredClone(message);
    const type = mapsType ? unmapped.t : undefined;
    if (mapsType) {
        delete unmapped.t;
    }
    return {
        id: _id,
        room: toAppRoom(storage, storage.rooms.get(rid)),
        sender: toAppUser(storage.users.get(u._id)),
        text: msg,
        createdAt: ts,
        groupable,
        ...(type !== undefined && { type }),
        _unmappedProperties_: unmapped,
    };
}
