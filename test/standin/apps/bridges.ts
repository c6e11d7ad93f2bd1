// The host side of the Apps-Engine: every bridge and storage the engine asks a server for, in
// memory over the stand-in's Model. The engine's own abstract classes are subclassed, so their
// permission checks run as on a server; a method this stand-in does not implement throws a loud
// error naming itself instead of quietly returning nothing.
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';

import { fromAppMessage, fromAppRoom, toAppMessage, toAppRoom, toAppUser } from './converters';
import type { Model } from './model';

const require = createRequire(__filename);

/** The two Apps-Engine generations the stand-in can host, by the npm package that ships each. */
export const ENGINES = {
    /** Rocket.Chat 7.4+: Deno runtime, change-tracking RoomBuilder (PR #35120). */
    current: 'apps-engine-1.62',
    /** Rocket.Chat before 7.4: vm2 in-process runtime, whole-room updates. */
    'pre-7.4': '@rocket.chat/apps-engine',
} as const;
export type ServerProfile = keyof typeof ENGINES;

export function engineModule(profile: ServerProfile, path: string): any {
    return require(`${ENGINES[profile]}/${path}`);
}

export type Fault = 'room-read' | 'room-update' | 'message-create' | 'http';

/** What the host knows that is not in the Model: registered commands and APIs, counters, faults. */
export interface HostState {
    model: Model;
    profile: ServerProfile;
    commands: Map<string, { appId: string; command: any }>;
    apis: Map<string, Array<{ path: string; authRequired?: boolean; methods: Array<string> }>>;
    bridgeCalls: Map<string, number>;
    faults: Set<Fault>;
    /** Rocket.Chat's own REST API, for the app's `http` accessor (`Site_Url` points at the stand-in). */
    fetch(url: string, init: RequestInit): Promise<Response>;
    log(line: string): void;
}

type Methods = Record<string, (...args: Array<any>) => unknown>;

function fail(state: HostState, fault: Fault): void {
    if (state.faults.has(fault)) {
        throw new Error(`stand-in fault injected: ${fault}`);
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

/** The server's key pair, which the engine signs installed apps with (RS512). */
const signingKeys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

function bridgeImplementations(state: HostState): Record<string, Methods> {
    const { model } = state;
    const roomUsers = (rid: string, role?: string) =>
        model
            .subscriptionsOf(rid)
            .filter((subscription) => !role || subscription.roles.includes(role))
            .map((subscription) => toAppUser(model.users.get(subscription.u._id)));
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
                if (!model.settings.has(id)) {
                    throw new Error(`No Server Setting found, or it is unaccessible, by the id of "${id}".`);
                }
                return { id, value: model.settings.get(id), packageValue: model.settings.get(id), public: false, required: false };
            },
            getAll: async () => [...model.settings].map(([id, value]) => ({ id, value, packageValue: value })),
            isReadableById: async (id: string) => model.settings.has(id),
        },
        UserBridge: {
            getById: async (id: string) => toAppUser(model.users.get(id)),
            getByUsername: async (username: string) => toAppUser(model.userByUsername(username)),
            getAppUser: async (appId?: string) => toAppUser([...model.users.values()].find((user) => user.appId && user.appId === appId)),
            getUserRoomIds: async (userId: string) => model.roomIdsOf(userId),
            create: async (data: any, appId: string) =>
                model.createUser({ username: data.username, name: data.name, roles: data.roles, type: data.type, appId })._id,
            remove: async (user: any) => model.users.delete(user.id),
            deleteUsersCreatedByApp: async (appId: string) => {
                for (const user of model.users.values()) {
                    if (user.appId === appId) {
                        model.users.delete(user._id);
                    }
                }
                return true;
            },
        },
        RoomBridge: {
            getById: async (rid: string) => {
                fail(state, 'room-read');
                return toAppRoom(model, model.rooms.get(rid));
            },
            getByName: async (name: string) => {
                fail(state, 'room-read');
                return toAppRoom(
                    model,
                    [...model.rooms.values()].find((room) => room.name === name),
                );
            },
            getMembers: async (rid: string) => roomUsers(rid),
            getOwners: async (rid: string) => roomUsers(rid, 'owner'),
            getModerators: async (rid: string) => roomUsers(rid, 'moderator'),
            getLeaders: async (rid: string) => roomUsers(rid, 'leader'),
            getCreatorById: async (rid: string) => toAppUser(model.users.get(model.rooms.get(rid)?.u._id ?? '')),
            // Rocket.Chat's bridge: `convertAppRoom(room, true)` from 7.4 on (known fields only),
            // the whole room with its unmapped properties before.
            update: async (room: any) => {
                fail(state, 'room-update');
                const stored = room?.id && model.rooms.get(room.id);
                if (!stored) {
                    throw new Error('A room must exist to update.');
                }
                const { _id, ...changes } = fromAppRoom(room, state.profile === 'pre-7.4');
                void _id;
                Object.assign(stored, changes, { _updatedAt: new Date() });
            },
        },
        MessageBridge: {
            create: async (message: any) => {
                fail(state, 'message-create');
                return model.insertMessage(fromAppMessage(model, message))._id;
            },
            getById: async (id: string) => {
                const message = model.messages.find((candidate) => candidate._id === id);
                return message && toAppMessage(model, message);
            },
            notifyUser: async (user: any, message: any) => {
                model.ephemeral.push({ userId: user.id, rid: message.room?.id, msg: message.text ?? '', ts: new Date() });
            },
            notifyRoom: async (room: any, message: any) => {
                for (const subscription of model.subscriptionsOf(room.id)) {
                    model.ephemeral.push({ userId: subscription.u._id, rid: room.id, msg: message.text ?? '', ts: new Date() });
                }
            },
        },
        HttpBridge: {
            call: async (info: any) => {
                fail(state, 'http');
                return httpCall(state, info);
            },
        },
        PersistenceBridge: {
            purge: async () => undefined,
        },
        SchedulerBridge: {
            registerProcessors: async () => undefined,
            cancelAllJobs: async () => undefined,
        },
        InternalFederationBridge: {
            getPrivateKey: async () => signingKeys.privateKey,
            getPublicKey: async () => signingKeys.publicKey,
        },
        InternalBridge: {
            getUsernamesOfRoomById: async (rid: string) => model.subscriptionsOf(rid).map((subscription) => subscription.u.username),
        },
        ListenerBridge: {
            messageEvent: async () => undefined,
            roomEvent: async () => undefined,
        },
    };
}

/** The server's HTTP bridge: the request as the app described it, the answer in the engine's shape. */
async function httpCall(state: HostState, info: any) {
    const { method, url, request = {} } = info;
    const target = new URL(url);
    for (const [key, value] of Object.entries(request.params ?? {})) {
        target.searchParams.set(key, String(value));
    }
    const headers = new Headers(request.headers ?? {});
    let body: string | undefined;
    if (request.content !== undefined) {
        body = request.content;
    } else if (request.data !== undefined) {
        body = JSON.stringify(request.data);
        if (!headers.has('content-type')) {
            headers.set('content-type', 'application/json');
        }
    }
    const response = await state.fetch(target.toString(), {
        method: String(method).toUpperCase(),
        headers,
        body,
        signal: AbortSignal.timeout(request.timeout ?? 20_000),
    });
    const content = await response.text();
    let data: unknown;
    try {
        data = JSON.parse(content);
    } catch {
        data = undefined;
    }
    return { url, method, statusCode: response.status, headers: Object.fromEntries(response.headers), content, data };
}

/** The engine's `AppBridges`, answering `getXBridge()` for every X the engine may ask for. */
export function createBridges(state: HostState): any {
    const bridgeClasses = engineModule(state.profile, 'server/bridges');
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

/** In-memory `AppMetadataStorage`, `AppSourceStorage` and `AppLogStorage` for the engine. */
export function createStorages(state: HostState): { metadataStorage: any; sourceStorage: any; logStorage: any } {
    const storage = engineModule(state.profile, 'server/storage');
    const items = new Map<string, any>();
    const sources = new Map<string, Buffer>();
    const logs: Array<any> = [];
    const metadataStorage = new (class extends storage.AppMetadataStorage {
        constructor() {
            super('memory');
        }
        async create(item: any) {
            const stored = { ...item, _id: item._id ?? item.id, createdAt: new Date(), updatedAt: new Date() };
            items.set(item.id, stored);
            return stored;
        }
        async retrieveOne(id: string) {
            return items.get(id) ?? null;
        }
        async retrieveAll() {
            return new Map(items);
        }
        async retrieveAllPrivate() {
            return new Map(items);
        }
        async update(item: any) {
            items.set(item.id, { ...items.get(item.id), ...item, updatedAt: new Date() });
            return items.get(item.id);
        }
        async updatePartialAndReturnDocument(item: any) {
            return this.update(item);
        }
        async updateStatus(id: string, status: string) {
            items.set(id, { ...items.get(id), status });
            return true;
        }
        async updateSetting(id: string, setting: any) {
            const item = items.get(id);
            item.settings = { ...item.settings, [setting.id]: setting };
            return true;
        }
        async updateAppInfo(id: string, info: any) {
            items.set(id, { ...items.get(id), info });
            return true;
        }
        async updateMarketplaceInfo() {
            return true;
        }
        async remove(id: string) {
            items.delete(id);
            return { success: true };
        }
    })();
    const sourceStorage = storage.AppSourceStorage
        ? new (class extends storage.AppSourceStorage {
              async store(item: any, zip: Buffer) {
                  sources.set(item.id, zip);
                  return `memory:${item.id}`;
              }
              async fetch(item: any) {
                  return sources.get(item.id);
              }
              async update(item: any, zip: Buffer) {
                  return this.store(item, zip);
              }
              async remove(item: any) {
                  sources.delete(item.id);
              }
          })()
        : undefined;
    const logStorage = new (class extends storage.AppLogStorage {
        constructor() {
            super('memory');
        }
        async storeEntries(...args: Array<any>) {
            // 1.62 passes one entry; 1.42 passes (appId, AppConsole).
            const entry = args.length === 1 ? args[0] : { appId: args[0], method: args[1].getMethod(), entries: args[1].getEntries() };
            for (const line of entry.entries ?? []) {
                if (line.severity === 'error' || line.severity === 'warning') {
                    state.log(`app ${line.severity}: ${JSON.stringify(line.args)}`);
                }
            }
            logs.push(entry);
            if (logs.length > 500) {
                logs.shift();
            }
            return entry;
        }
        async getEntriesFor(appId: string) {
            return logs.filter((entry) => entry.appId === appId);
        }
        async removeEntriesFor() {
            logs.length = 0;
        }
        async find() {
            return logs;
        }
        async findPaginated() {
            return { logs, total: logs.length };
        }
    })();
    return { metadataStorage, sourceStorage, logStorage };
}
