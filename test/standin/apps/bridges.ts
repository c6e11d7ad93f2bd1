// The host side of the Apps-Engine: every bridge the engine asks a server for, over the stand-in's
// storage and core functions. The engine's own abstract classes are subclassed, so their permission
// checks run as on a server; a method this stand-in does not implement throws a loud error naming
// itself instead of quietly returning nothing.
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';

import { type Fault } from '../../support/faults';
import type { Peers } from '../cluster/Peers';
import { Collection, document } from '../storage/Database';
import type { ServerContext } from '../core/context';
import { executeSendMessage } from '../core/messages';
import { createUser } from '../core/users';
import { fromAppMessage, fromAppRoom, toAppMessage, toAppRole, toAppRoom, toAppUser } from './converters';
import type { JobScheduler } from './scheduler';
import { type RawAppJob, type RawAppRecord, type RawAssociation, type RawRoom, type Storage, newId } from '../storage/Storage';

const require = createRequire(__filename);

/** What the host knows besides the database: registered commands and APIs, counters, faults. */
export interface HostState {
    server: ServerContext;
    commands: Map<string, { appId: string; command: any }>;
    apis: Map<string, Array<{ path: string; authRequired?: boolean; methods: Array<string> }>>;
    bridgeCalls: Map<string, number>;
    /** The faults switched on (`POST /standin/faults`), in the database: every instance of a cluster has them. */
    faults: Collection<true>;
    /** The other instances of a cluster, told of what this one does to an app; none on a single instance. */
    peers?: Peers;
    /** The apps' job runner (agenda's part in Rocket.Chat), over the storage's jobs. */
    scheduler: JobScheduler;
    /** Rocket.Chat's own REST API, for the app's `http` accessor (`Site_Url` points at the stand-in). */
    fetch(url: string, init: RequestInit): Promise<Response>;
    log(line: string): void;
}

/** A module of the Apps-Engine release that hosts this server generation. */
export function engineModule(state: HostState, path: string): any {
    return require(`${state.server.profile.generation.enginePackage}/${path}`);
}

type Methods = Record<string, (...args: Array<any>) => unknown>;

function fail(state: HostState, fault: Fault): void {
    if (state.faults.has(fault)) {
        throw new Error(`stand-in fault injected: ${fault}`);
    }
}

/** A `-hang` fault: the call never answers, and so never gets to write anything. */
async function hang(state: HostState, fault: Fault): Promise<void> {
    if (state.faults.has(fault)) {
        await new Promise<never>(() => undefined);
    }
}

/** An instance of the engine's abstract `Base` with `methods`, counting calls and loud about the rest. */
function implement(state: HostState, name: string, Base: any, methods: Methods): any {
    const Impl = class extends (Base ?? class {}) {};
    Object.assign(Impl.prototype, methods);
    const instance = new Impl();
    return new Proxy(instance, {
        get(target, property, receiver) {
            if (typeof property === 'symbol' || property === 'then' || property === 'toJSON' || property === 'constructor') {
                return Reflect.get(target, property, receiver);
            }
            if (!(property in target)) {
                return () => {
                    throw new Error(`stand-in: ${name}.${property} is not implemented`);
                };
            }
            const value = Reflect.get(target, property, receiver);
            if (typeof value === 'function' && Object.prototype.hasOwnProperty.call(methods, property)) {
                state.bridgeCalls.set(`${name}.${property}`, (state.bridgeCalls.get(`${name}.${property}`) ?? 0) + 1);
            }
            return value;
        },
    });
}

interface KeyPair {
    publicKey: string;
    privateKey: string;
}

/**
 * The workspace's key pair, which the engine signs installed apps with (RS512) and checks their
 * signature by when it loads them: made once and kept in the database (Rocket.Chat's
 * `FederationKeys` model), so that every instance of a cluster accepts what another installed.
 */
function signingKeys(storage: Storage): KeyPair {
    let known = keysOf.get(storage);
    if (!known) {
        const keys = new Collection<KeyPair>(storage.database, 'federation_keys');
        known = storage.database.atomically(() => {
            const stored = keys.get('keys');
            if (stored) {
                return stored;
            }
            const made = generateKeyPairSync('rsa', {
                modulusLength: 2048,
                publicKeyEncoding: { type: 'spki', format: 'pem' },
                privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
            });
            keys.set('keys', made);
            return made;
        });
        keysOf.set(storage, known);
    }
    return known;
}

/** The key pair once read or made, per database: it never changes after. */
const keysOf = new WeakMap<Storage, KeyPair>();

function bridgeImplementations(state: HostState): Record<string, Methods> {
    const { server } = state;
    const { storage } = server;
    const roomUsers = (rid: string, role?: string) =>
        storage
            .subscriptionsOf(rid)
            .filter((subscription) => !role || subscription.roles.includes(role))
            .map((subscription) => toAppUser(storage.users.get(subscription.u._id)));
    return {
        AppActivationBridge: {
            appAdded: async () => undefined,
            appUpdated: async () => undefined,
            appRemoved: async () => undefined,
            appStatusChanged: async () => undefined,
            actionsChanged: async () => undefined,
        },
        AppDetailChangesBridge: {
            onAppSettingsChange: () => undefined,
        },
        ApiBridge: {
            // One call per endpoint; the server routes by the endpoint's path and trusts its authRequired.
            registerApi: async ({ endpoint, implementedMethods }: any, appId: string) => {
                const endpoints = (state.apis.get(appId) ?? []).filter((known) => known.path !== endpoint.path);
                endpoints.push({ path: endpoint.path, authRequired: endpoint.authRequired, methods: implementedMethods ?? [] });
                state.apis.set(appId, endpoints);
            },
            unregisterApis: async (appId: string) => {
                state.apis.delete(appId);
            },
        },
        CommandBridge: {
            doesCommandExist: async (command: string) => state.commands.has(command.toLowerCase()),
            registerCommand: async (command: any, appId: string) => {
                state.commands.set(command.command.toLowerCase(), { appId, command });
            },
            modifyCommand: async (command: any, appId: string) => {
                state.commands.set(command.command.toLowerCase(), { appId, command });
            },
            enableCommand: async () => undefined,
            disableCommand: async () => undefined,
            unregisterCommand: async (command: string) => {
                state.commands.delete(command.toLowerCase());
            },
        },
        ServerSettingBridge: {
            getOneById: async (id: string) => {
                if (!storage.settings.has(id)) {
                    throw new Error(`No Server Setting found, or it is unaccessible, by the id of "${id}".`);
                }
                return { id, value: storage.settings.get(id), packageValue: storage.settings.get(id), public: false, required: false };
            },
            getAll: async () => [...storage.settings].map(([id, value]) => ({ id, value, packageValue: value })),
            isReadableById: async (id: string) => storage.settings.has(id),
        },
        UserBridge: {
            getById: async (id: string) => toAppUser(storage.users.get(id)),
            getByUsername: async (username: string) => toAppUser(storage.userByUsername(username)),
            getAppUser: async (appId?: string) => toAppUser([...storage.users.values()].find((user) => user.appId && user.appId === appId)),
            getUserRoomIds: async (userId: string) => storage.roomIdsOf(userId),
            create: async (data: any, appId: string) =>
                createUser(storage, { username: data.username, name: data.name, roles: data.roles, type: data.type, appId })._id,
            remove: async (user: any) => storage.users.delete(user.id),
            deleteUsersCreatedByApp: async (appId: string) => {
                for (const user of storage.users.values()) {
                    if (user.appId === appId) {
                        storage.users.delete(user._id);
                    }
                }
                return true;
            },
        },
        RoomBridge: {
            getById: async (rid: string) => {
                fail(state, 'room-read');
                return toAppRoom(storage, storage.rooms.get(rid));
            },
            getByName: async (name: string) => {
                fail(state, 'room-read');
                return toAppRoom(storage, storage.roomByName(name));
            },
            getMembers: async (rid: string) => roomUsers(rid),
            getOwners: async (rid: string) => roomUsers(rid, 'owner'),
            getModerators: async (rid: string) => roomUsers(rid, 'moderator'),
            getLeaders: async (rid: string) => roomUsers(rid, 'leader'),
            getCreatorById: async (rid: string) => toAppUser(storage.users.get(storage.rooms.get(rid)?.u._id ?? '')),
            update: async (room: any) => {
                fail(state, 'room-update');
                await hang(state, 'room-update-hang');
                if (!room?.id || !storage.rooms.has(room.id)) {
                    throw new Error('A room must exist to update.');
                }
                const changes: Partial<RawRoom> = fromAppRoom(room, server.profile.generation.roomUpdate === 'whole-room');
                delete changes._id;
                storage.updateRoom(room.id, (found) => ({ ...found, ...changes, _updatedAt: new Date() }));
            },
        },
        MessageBridge: {
            // `AppMessageBridge.create`: the converted message goes through `executeSendMessage`,
            // the same gate as `chat.sendMessage` (apps/meteor/app/apps/server/bridges/messages.ts).
            create: async (message: any) => {
                fail(state, 'message-create');
                const converted = fromAppMessage(storage, message);
                return executeSendMessage(server, converted.u._id, converted)._id;
            },
            getById: async (id: string) => {
                const message = storage.messages.get(id);
                return message && toAppMessage(storage, message, server.profile.messageTypeMapped);
            },
            // `deleteMessage` (apps/meteor/app/lib/server/functions/deleteMessage.ts): with the
            // default settings (no deleted-status trace) the message is removed.
            delete: async (message: any) => {
                if (typeof message?.id !== 'string' || !storage.messages.delete(message.id)) {
                    throw new Error('The message to delete does not exist.');
                }
            },
            notifyUser: async (user: any, message: any) => {
                storage.addNotice({ userId: user.id, rid: message.room?.id, msg: message.text ?? '', ts: new Date() });
            },
            notifyRoom: async (room: any, message: any) => {
                for (const subscription of storage.subscriptionsOf(room.id)) {
                    storage.addNotice({ userId: subscription.u._id, rid: room.id, msg: message.text ?? '', ts: new Date() });
                }
            },
        },
        // `AppUiInteractionBridge.notifyUser` (apps/meteor/app/apps/server/bridges/uiInteraction.ts):
        // `api.broadcast('notify.uiInteraction', user.id, interaction)`, which reaches the user's
        // clients on their stream. Here it is recorded (see /standin/uiInteractions). The engine's
        // `doNotifyUser` checks the app's `ui.interact` permission first.
        UiInteractionBridge: {
            notifyUser: async (user: any, interaction: any, appId: string) => {
                storage.addUiInteraction({ userId: user.id, appId, interaction: document(interaction), ts: new Date() });
            },
        },
        HttpBridge: {
            call: async (info: any) => {
                fail(state, 'http');
                await hang(state, 'http-hang');
                return httpCall(state, info);
            },
        },
        // `AppRoleBridge` (apps/meteor/app/apps/server/bridges/roles.ts): `Roles.findOneByIdOrName`
        // and the custom (unprotected) roles, in the roles converter's shape. The engine's `doX`
        // wrappers check the app's `role.read` permission first.
        RoleBridge: {
            getOneByIdOrName: async (idOrName: string) => toAppRole(storage.roleByIdOrName(idOrName)) ?? null,
            getCustomRoles: async () => [...storage.roles.values()].filter((role) => !role.protected).map((role) => toAppRole(role)),
        },
        PersistenceBridge: persistenceBridge(state),
        SchedulerBridge: schedulerBridge(state),
        InternalFederationBridge: {
            getPrivateKey: async () => signingKeys(storage).privateKey,
            getPublicKey: async () => signingKeys(storage).publicKey,
        },
        InternalBridge: {
            getUsernamesOfRoomById: async (rid: string) => storage.subscriptionsOf(rid).map((subscription) => subscription.u.username),
        },
        ListenerBridge: {
            messageEvent: async () => undefined,
            roomEvent: async () => undefined,
        },
    };
}

/**
 * `AppPersistenceBridge` (apps/meteor/app/apps/server/bridges/persistence.ts) over the
 * `appRecords` collection: `{_id, appId, data, associations}` rows. Lookups by associations are
 * Mongo's `associations: {$all: [...]}` — every named association held, so an empty list matches
 * nothing — while an update by associations matches the array itself (`{appId, associations}`:
 * the same associations in the same order) and inserts it on upsert. `readById` is not scoped to
 * the app, as Rocket.Chat's `findOneById` is not; `update` by id throws there, and so here. The
 * engine's `doX` wrappers check the app's `persistence` permission first.
 */
function persistenceBridge(state: HostState): Methods {
    const records = state.server.storage.appRecords;
    const checkData = (data: unknown) => {
        if (typeof data !== 'object') {
            throw new Error('Attempted to store an invalid data type, it must be an object.');
        }
    };
    const removeAll = (removed: Array<RawAppRecord>) => {
        for (const record of removed) {
            records.remove(record);
        }
        return removed;
    };
    const insert = (appId: string, data: unknown, associations?: Array<RawAssociation>) => {
        const record: RawAppRecord = {
            _id: newId(),
            appId,
            data: document(data as Record<string, unknown>),
            ...(associations && { associations: plainAssociations(associations) }),
        };
        records.insert(record);
        return record._id;
    };
    return {
        purge: async (appId: string) => {
            removeAll(records.ofApp(appId));
        },
        create: async (data: unknown, appId: string) => {
            checkData(data);
            return insert(appId, data);
        },
        createWithAssociations: async (data: unknown, associations: Array<RawAssociation>, appId: string) => {
            checkData(data);
            return insert(appId, data, associations);
        },
        readById: async (id: string) => document(records.byRecordId(id)?.data),
        readByAssociations: async (associations: Array<RawAssociation>, appId: string) =>
            records.holdingAll(appId, plainAssociations(associations)).map((record) => document(record.data)),
        remove: async (id: string, appId: string) => {
            const record = records.byRecordId(id);
            return record?.appId === appId ? removeAll([record])[0].data : undefined;
        },
        removeByAssociations: async (associations: Array<RawAssociation>, appId: string) => {
            const removed = removeAll(records.holdingAll(appId, plainAssociations(associations)));
            return removed.length ? removed.map((record) => record.data) : undefined;
        },
        update: async (_id: string, data: unknown) => {
            checkData(data);
            throw new Error('Not implemented.');
        },
        updateByAssociations: async (associations: Array<RawAssociation>, data: unknown, upsert: boolean, appId: string) => {
            checkData(data);
            const record = records.withList(appId, plainAssociations(associations));
            if (record) {
                records.setData(record._id, document(data as Record<string, unknown>));
                return record._id;
            }
            return upsert ? insert(appId, data, associations) : undefined;
        },
    };
}

/**
 * The app's associations as the stand-in's own plain array. Under vm2 the app's array is a proxy
 * whose `map` runs inside the sandbox and hands back another proxy: stored, every later lookup
 * would go through the sandbox's traps for every record (15 ms a read at 200 records).
 * `Array.from` is the stand-in's own.
 */
function plainAssociations(associations: ArrayLike<RawAssociation>): Array<RawAssociation> {
    return Array.from(associations, association);
}

/** A `RocketChatAssociationRecord` as a plain `{model, id}`, as it is stored. */
function association(record: RawAssociation): RawAssociation {
    return { model: record.model, id: record.id };
}

/** Agenda's `ObjectId` check on the part of a job id before its first `_`: 24 hex digits. */
const OBJECT_ID = /^[0-9a-f]{24}$/i;

/**
 * `AppSchedulerBridge` (apps/meteor/app/apps/server/bridges/scheduler.ts) over the stand-in's
 * JobScheduler. Processor ids arrive as the engine makes them, `<id>_<appId>`; a job's data
 * carries the `appId`. Scheduling errors are logged and answer nothing, as Rocket.Chat's `catch`
 * does — except a `when` or interval the stand-in cannot read, which is thrown to the app. A
 * one-time startup job is scheduled only when none of its name is stored (`scheduleOnceAfterRegister`).
 * `cancelJob(id)` cancels that job when the id (before `_<appId>`) is an ObjectId, else every job
 * of the processor so named; `cancelAllJobs` every job whose name ends in `_<appId>`.
 */
function schedulerBridge(state: HostState): Methods {
    const { scheduler } = state;
    const withAppId = (data: unknown, appId: string) => ({ ...document((data ?? {}) as Record<string, unknown>), appId });
    const logged = <T>(what: string, run: () => T): T | undefined => {
        try {
            return run();
        } catch (error) {
            if (String((error as Error)?.message).startsWith('stand-in:')) {
                throw error;
            }
            state.log(`scheduler ${what}: ${(error as Error)?.message ?? error}`);
            return undefined;
        }
    };
    const scheduleOnce = async ({ id, when, data }: any, appId: string) =>
        logged('scheduleOnce', () => scheduler.schedule(when, id, withAppId(data, appId))._id);
    const scheduleRecurring = async ({ id, interval, skipImmediate = false, data }: any, appId: string) =>
        logged('scheduleRecurring', () => scheduler.every(interval, id, withAppId(data, appId), skipImmediate)._id);
    return {
        registerProcessors: async (processors: Array<any> = [], appId: string) => {
            const runAfterRegister: Array<Promise<string | undefined>> = [];
            for (const { id, processor, startupSetting } of processors) {
                scheduler.define(id, processor);
                if (startupSetting?.type === 'onetime') {
                    const stored = scheduler.jobs((job: RawAppJob) => job.name === id && job.type === 'normal');
                    if (!stored.length) {
                        runAfterRegister.push(scheduleOnce({ id, when: startupSetting.when, data: startupSetting.data }, appId));
                    }
                } else if (startupSetting?.type === 'recurring') {
                    const { interval, skipImmediate, data } = startupSetting;
                    runAfterRegister.push(scheduleRecurring({ id, interval, skipImmediate, data }, appId));
                } else if (startupSetting) {
                    state.log(`scheduler: unknown startup setting type ${JSON.stringify(startupSetting.type)}`);
                }
            }
            return runAfterRegister.length ? Promise.all(runAfterRegister) : undefined;
        },
        scheduleOnce,
        scheduleRecurring,
        cancelJob: async (jobId: string) => {
            const head = jobId.split('_')[0];
            logged('cancelJob', () => scheduler.cancel((job: RawAppJob) => (OBJECT_ID.test(head) ? job._id === head : job.name === jobId)));
        },
        cancelAllJobs: async (appId: string) => {
            logged('cancelAllJobs', () => scheduler.cancel((job: RawAppJob) => job.name.endsWith(`_${appId}`)));
        },
    };
}

/** Rocket.Chat's HTTP bridge waits this long when the app sets no timeout (3 minutes). */
const DEFAULT_HTTP_TIMEOUT_MS = 3 * 60_000;
/** `@rocket.chat/server-fetch` follows at most this many redirects. */
const MAX_REDIRECTS = 5;
/** The content types whose body the bridge parses into `data`. */
const JSON_TYPES = ['application/json', 'text/javascript', 'application/javascript', 'application/x-javascript'];

/**
 * `AppHttpBridge.call` (apps/meteor/app/apps/server/bridges/http.ts), the request as the old
 * `HTTP.call` API took it: `content`, else a `data` object (JSON, as server-fetch sends an object
 * body); `params` in the query — or, for a body-less POST/PUT/DELETE, as a form body; `auth` as
 * Basic; no body at all on GET or HEAD. The answer keeps the URL the app asked for, whatever the
 * redirects; `data` is the parsed body for JSON content types only, else null.
 */
async function httpCall(state: HostState, info: any) {
    const { request = {} } = info;
    const method = String(info.method).toUpperCase();
    const getOrHead = method === 'GET' || method === 'HEAD';
    const url = new URL(info.url);
    const headers: Record<string, string> = { ...request.headers };
    let content: unknown = request.content;
    if (!content && typeof request.data === 'object') {
        content = request.data;
    }
    if (request.auth) {
        if (!String(request.auth).includes(':')) {
            throw new Error('auth option should be of the form "username:password"');
        }
        headers.Authorization = `Basic ${Buffer.from(request.auth, 'ascii').toString('base64')}`;
    }
    if (content || getOrHead) {
        for (const [key, value] of Object.entries(request.params ?? {})) {
            if (value) {
                url.searchParams.append(key, String(value));
            }
        }
    } else if (request.params) {
        content = new URLSearchParams(request.params).toString();
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    if (getOrHead) {
        content = undefined;
    }
    let body: string | undefined;
    if (content !== undefined && content !== null && typeof content === 'object') {
        body = JSON.stringify(content);
        if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
            headers['Content-Type'] = 'application/json';
        }
    } else if (content !== undefined && content !== null) {
        body = String(content);
    }
    const init: RequestInit = { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(request.timeout || DEFAULT_HTTP_TIMEOUT_MS) };
    // Redirects are followed with the very same request, up to server-fetch's limit.
    let target = url.href;
    let response = await state.fetch(target, init);
    for (let redirects = 0; response.status >= 300 && response.status < 400 && response.headers.has('location'); redirects++) {
        if (redirects === MAX_REDIRECTS) {
            throw new Error(`maximum redirect reached at: ${target}`);
        }
        await response.body?.cancel();
        target = new URL(response.headers.get('location')!, target).href;
        response = await state.fetch(target, init);
    }
    const text = await response.text();
    let data: unknown = null;
    if (JSON_TYPES.includes((response.headers.get('content-type') ?? '').split(';')[0])) {
        try {
            data = JSON.parse(text);
        } catch {
            data = null;
        }
    }
    return { url: info.url, method: info.method, statusCode: response.status, headers: Object.fromEntries(response.headers), content: text, data };
}

/** The engine's `AppBridges`, answering `getXBridge()` for every X the engine may ask for. */
export function createBridges(state: HostState): any {
    const bridgeClasses = engineModule(state, 'server/bridges');
    const implementations = bridgeImplementations(state);
    const cache = new Map<string, unknown>();
    const bridges = new (class extends bridgeClasses.AppBridges {})();
    return new Proxy(bridges, {
        get(target, property, receiver) {
            const match = typeof property === 'string' && /^get(\w+Bridge)$/.exec(property);
            if (!match) {
                return Reflect.get(target, property, receiver);
            }
            const name = match[1];
            return () => {
                if (!cache.has(name)) {
                    const Base = bridgeClasses[name];
                    cache.set(name, implement(state, name, Base, implementations[name] ?? {}));
                }
                return cache.get(name);
            };
        },
    });
}
