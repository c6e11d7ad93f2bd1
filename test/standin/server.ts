// The stand-in's HTTP face: Rocket.Chat's REST paths and shapes for the routes the app, its tests,
// `rc-apps deploy` and the README's curl lines use, on 127.0.0.1 only. App endpoints are served by
// the real Apps-Engine behind Rocket.Chat's auth rule.
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { type Fault, type HostState, type ServerProfile } from './bridges';
import { AppHost } from './engine';
import { Model, type RawRoom, type RawUser, RestError, newId } from './model';

export interface StandinOptions {
    /** Rocket.Chat version to behave as; below 7.4 selects the pre-7.4 engine and room update. */
    version?: string;
    port?: number;
    log?: (line: string) => void;
}

export interface Standin {
    url: string;
    version: string;
    profile: ServerProfile;
    model: Model;
    state: HostState;
    host: AppHost;
    close(): Promise<void>;
}

export const DEFAULT_VERSION = '8.0.0';

export function profileOf(version: string): ServerProfile {
    const [major, minor] = version.split('.').map((part) => Number.parseInt(part, 10));
    return major < 7 || (major === 7 && minor < 4) ? 'pre-7.4' : 'current';
}

interface Call {
    method: string;
    path: string;
    query: Record<string, string>;
    headers: Record<string, string>;
    body: unknown;
    raw: Buffer;
    user?: RawUser;
}

type Handler = (call: Call) => Promise<[number, unknown]> | [number, unknown];

/** Rocket.Chat's 401 for a route that needs a login: its own shape, not the `success:false` one. */
class NotLoggedIn extends RestError {
    constructor() {
        super(undefined, 'You must be logged in to do this.', 401);
    }

    public override body(): Record<string, unknown> {
        return { status: 'error', message: this.message };
    }
}
const MAX_BODY = 8 * 1024 * 1024;

export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
    const version = options.version ?? DEFAULT_VERSION;
    const profile = profileOf(version);
    const log = options.log ?? (() => undefined);
    const model = new Model();
    let baseUrl = '';
    const state: HostState = {
        model,
        profile,
        commands: new Map(),
        apis: new Map(),
        bridgeCalls: new Map(),
        faults: new Set(),
        fetch: (url, init) => fetch(url, init),
        log,
    };
    const host = new AppHost(state);
    await host.load();

    const routes = coreRoutes(model, host, state, () => baseUrl, version);
    const server = createServer((request, response) => {
        void handle(request, response, model, host, state, routes, log);
    });
    await new Promise<void>((resolve) => server.listen(options.port ?? 3000, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    model.settings.set('Site_Url', baseUrl);
    log(`Rocket.Chat stand-in ${version} (${profile} Apps-Engine) on ${baseUrl}`);

    return {
        url: baseUrl,
        version,
        profile,
        model,
        state,
        host,
        close: async () => {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
            await host.stop();
        },
    };
}

async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    model: Model,
    host: AppHost,
    state: HostState,
    routes: Record<string, Handler>,
    log: (line: string) => void,
): Promise<void> {
    const send = (status: number, content: unknown, headers: Record<string, string> = {}) => {
        const text = typeof content === 'string' ? content : JSON.stringify(content);
        response.writeHead(status, { 'content-type': typeof content === 'string' ? 'text/plain' : 'application/json', ...headers });
        response.end(text);
    };
    try {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const raw = await readBody(request);
        const headers = Object.fromEntries(Object.entries(request.headers).map(([key, value]) => [key, String(value)]));
        const call: Call = {
            method: request.method ?? 'GET',
            path: url.pathname,
            query: Object.fromEntries(url.searchParams),
            headers,
            raw,
            body: parseBody(headers['content-type'], raw),
            user: model.authenticate(headers['x-user-id'], headers['x-auth-token']),
        };
        const app = /^\/api\/apps\/public\/([^/]+)\/(.+)$/.exec(call.path);
        if (app) {
            const [status, content, extra] = await appRoute(host, state, call, app[1], app[2]);
            return send(status, content, extra);
        }
        const key = `${call.method} ${call.path.replace(/^\/api\/apps\/(?!public)[^/]+/, '/api/apps/:id').replace(/^\/api\/v1\/settings\/[^/]+$/, '/api/v1/settings/:id')}`;
        const route = routes[key];
        if (!route) {
            return send(404, { success: false, error: `Not found: ${call.method} ${call.path}` });
        }
        const [status, content] = await route(call);
        send(status, content);
    } catch (error) {
        if (error instanceof RestError) {
            return send(error.status, error.body());
        }
        if (error instanceof SyntaxError) {
            return send(400, { success: false, error: 'The request body is not valid JSON' });
        }
        log(`stand-in error: ${error instanceof Error ? error.stack : String(error)}`);
        send(500, { success: false, error: 'Internal server error' });
    }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Array<Buffer> = [];
        let size = 0;
        request.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY) {
                reject(new RestError(undefined, 'Request entity too large', 413));
                request.destroy();
                return;
            }
            chunks.push(chunk);
        });
        request.on('end', () => resolve(Buffer.concat(chunks)));
        request.on('error', reject);
    });
}

/** Like Rocket.Chat's body parsers: JSON and urlencoded bodies parsed, anything else as `{}`. */
function parseBody(contentType: string | undefined, raw: Buffer): unknown {
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (raw.length === 0) {
        return {};
    }
    if (type === 'application/json') {
        return JSON.parse(raw.toString('utf8'));
    }
    if (type === 'application/x-www-form-urlencoded') {
        return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
    }
    return {};
}

/** `/api/apps/public/:appId/:path`: Rocket.Chat authenticates before the app sees the call. */
async function appRoute(host: AppHost, state: HostState, call: Call, appId: string, path: string): Promise<[number, unknown, Record<string, string>?]> {
    const endpoint = state.apis.get(appId)?.find((candidate) => candidate.path === path);
    if (!endpoint) {
        return [404, { success: false, error: 'Not found' }];
    }
    if (endpoint.authRequired && !call.user) {
        return [401, 'Unauthorized'];
    }
    try {
        const response = await host.executeApi(appId, path, {
            method: call.method,
            headers: call.headers,
            query: call.query,
            content: call.body,
            user: call.user,
        });
        return [response.status, response.content ?? '', response.headers];
    } catch (error) {
        // Rocket.Chat's apps router: `res.status(500).send(reason.message)`.
        return [500, error instanceof Error ? error.message : String(error)];
    }
}

function requireUser(call: Call): RawUser {
    if (!call.user) {
        throw new NotLoggedIn();
    }
    return call.user;
}

function body(call: Call): Record<string, any> {
    return call.body && typeof call.body === 'object' && !Array.isArray(call.body) ? (call.body as Record<string, any>) : {};
}

function coreRoutes(model: Model, host: AppHost, state: HostState, baseUrl: () => string, version: string): Record<string, Handler> {
    const userArg = (params: Record<string, any>): RawUser => {
        const user =
            typeof params.userId === 'string'
                ? model.users.get(params.userId)
                : typeof params.username === 'string'
                  ? model.userByUsername(params.username)
                  : undefined;
        if (!user) {
            throw new RestError('error-invalid-user', 'Invalid user');
        }
        return user;
    };
    const roomOut = (room: RawRoom) => structuredClone(room);
    const setRoomRole = (call: Call, permission: string, role: string) => {
        const caller = requireUser(call);
        const params = body(call);
        const room = model.findPrivateGroup(params, caller._id);
        model.requirePermission(caller._id, permission, room._id);
        const target = userArg(params);
        const subscription = model.subscription(room._id, target._id);
        if (!subscription) {
            throw new RestError('error-user-not-in-room', 'User is not in this room');
        }
        if (!subscription.roles.includes(role)) {
            subscription.roles.push(role);
        }
        return [200, { success: true }] as [number, unknown];
    };
    const createRoom = (call: Call, type: 'c' | 'p', permission: string) => {
        const caller = requireUser(call);
        model.requirePermission(caller._id, permission);
        const params = body(call);
        if (typeof params.name !== 'string' || !params.name) {
            throw new RestError('error-the-field-is-required', 'The field name is required');
        }
        const members = (Array.isArray(params.members) ? params.members : []).map((username: string) => {
            const member = model.userByUsername(username);
            if (!member) {
                throw new RestError('error-invalid-user', 'Invalid user');
            }
            return member._id;
        });
        return model.createRoom(type, params.name, caller, members);
    };

    return {
        'GET /api/info': () => [200, { version, success: true }],

        'POST /api/v1/login': (call) => {
            const params = body(call);
            const username = params.user ?? params.username;
            const session = typeof username === 'string' && typeof params.password === 'string' ? model.login(username, params.password) : undefined;
            if (!session) {
                return [401, { status: 'error', error: 'Unauthorized', message: 'Unauthorized' }];
            }
            const me = model.users.get(session.userId)!;
            return [200, { status: 'success', data: { ...session, me: publicUser(me) } }];
        },

        'GET /api/v1/me': (call) => [200, { ...publicUser(requireUser(call)), success: true }],

        'POST /api/v1/users.create': (call) => {
            const caller = requireUser(call);
            model.requirePermission(caller._id, 'create-user');
            const params = body(call);
            if (typeof params.username !== 'string' || typeof params.password !== 'string') {
                throw new RestError('error-the-field-is-required', 'username and password are required');
            }
            const user = model.createUser({
                username: params.username,
                name: typeof params.name === 'string' ? params.name : params.username,
                password: params.password,
                roles: Array.isArray(params.roles) ? params.roles : ['user'],
            });
            return [200, { user: publicUser(user), success: true }];
        },

        'POST /api/v1/channels.create': (call) => [200, { channel: roomOut(createRoom(call, 'c', 'create-c')), success: true }],
        'POST /api/v1/groups.create': (call) => [200, { group: roomOut(createRoom(call, 'p', 'create-p')), success: true }],

        // A private team: its main room is a private group with `teamMain` set.
        'POST /api/v1/teams.create': (call) => {
            const params = body(call);
            if (params.type !== 1) {
                throw new RestError(undefined, 'The stand-in only creates private teams (type 1)');
            }
            const room = createRoom(call, 'p', 'create-p');
            Object.assign(room, { teamMain: true, teamId: newId() });
            return [200, { team: { _id: room.teamId, name: room.name, type: 1, roomId: room._id }, success: true }];
        },

        'POST /api/v1/im.create': (call) => {
            const caller = requireUser(call);
            const other = userArg(body(call));
            const existing = [...model.rooms.values()].find(
                (room) => room.t === 'd' && model.subscription(room._id, caller._id) && model.subscription(room._id, other._id),
            );
            return [200, { room: roomOut(existing ?? model.createRoom('d', undefined, caller, [other._id])), success: true }];
        },

        'POST /api/v1/groups.invite': (call) => {
            const caller = requireUser(call);
            const params = body(call);
            const room = model.findPrivateGroup(params, caller._id);
            if (!model.hasPermission(caller._id, 'add-user-to-any-p-room') && !model.hasPermission(caller._id, 'add-user-to-joined-room', room._id)) {
                throw new RestError('error-not-allowed', 'Not allowed');
            }
            model.subscribe(room, userArg(params)._id);
            return [200, { group: roomOut(room), success: true }];
        },

        'POST /api/v1/groups.addOwner': (call) => setRoomRole(call, 'set-owner', 'owner'),
        'POST /api/v1/groups.addModerator': (call) => setRoomRole(call, 'set-moderator', 'moderator'),
        'POST /api/v1/groups.addLeader': (call) => setRoomRole(call, 'set-leader', 'leader'),

        'POST /api/v1/groups.archive': (call) => {
            const caller = requireUser(call);
            const room = model.findPrivateGroup(body(call), caller._id);
            model.requirePermission(caller._id, 'archive-room', room._id);
            room.archived = true;
            return [200, { success: true }];
        },

        'GET /api/v1/groups.info': (call) => {
            const caller = requireUser(call);
            return [200, { group: roomOut(model.findPrivateGroup(call.query, caller._id, false)), success: true }];
        },

        'GET /api/v1/groups.messages': (call) => {
            const caller = requireUser(call);
            const room = model.findPrivateGroup(call.query, caller._id, false);
            const messages = model.messages.filter((message) => message.rid === room._id).reverse();
            return [200, { messages, count: messages.length, offset: 0, total: messages.length, success: true }];
        },

        'POST /api/v1/groups.setEncrypted': (call) => {
            const caller = requireUser(call);
            const params = body(call);
            if (typeof params.encrypted !== 'boolean') {
                throw new RestError(undefined, 'The bodyParam "encrypted" is required');
            }
            const room = model.findPrivateGroup(params, caller._id);
            model.saveRoomEncrypted(caller, room, params.encrypted);
            return [200, { group: roomOut(room), success: true }];
        },

        'POST /api/v1/rooms.saveRoomSettings': (call) => {
            const caller = requireUser(call);
            const params = body(call);
            const room = typeof params.rid === 'string' ? model.rooms.get(params.rid) : undefined;
            if (!room) {
                throw new RestError('error-invalid-room', 'Invalid room');
            }
            if ('encrypted' in params) {
                if (typeof params.encrypted !== 'boolean') {
                    throw new RestError('error-invalid-room-setting', 'Invalid room setting');
                }
                model.saveRoomEncrypted(caller, room, params.encrypted);
            }
            return [200, { rid: room._id, success: true }];
        },

        'POST /api/v1/settings/:id': (call) => {
            const caller = requireUser(call);
            model.requirePermission(caller._id, 'edit-privileged-setting');
            const id = decodeURIComponent(call.path.split('/').pop()!);
            if (!model.settings.has(id) || id === 'Site_Url') {
                throw new RestError('error-setting-not-found', `Setting not found: ${id}`);
            }
            model.settings.set(id, body(call).value);
            return [200, { success: true }];
        },

        'POST /api/v1/commands.run': async (call) => {
            const caller = requireUser(call);
            const params = body(call);
            const command = typeof params.command === 'string' ? state.commands.get(params.command.toLowerCase()) : undefined;
            if (!command) {
                throw new RestError(undefined, 'The command provided does not exist (or is disabled).');
            }
            const room = typeof params.roomId === 'string' ? model.rooms.get(params.roomId) : undefined;
            if (!room || !model.subscription(room._id, caller._id)) {
                throw new RestError('error-invalid-room', 'Invalid room');
            }
            const args = typeof params.params === 'string' ? params.params : '';
            await host.executeCommand(params.command.toLowerCase(), caller, room, args, params.tmid, params.triggerId);
            return [200, { success: true }];
        },

        'POST /api/apps': (call) => installApp(call),
        'POST /api/apps/:id': (call) => installApp(call),
        'GET /api/apps/:id': async (call) => {
            requireUser(call);
            const id = call.path.split('/')[3];
            return host.isInstalled(id)
                ? [200, { app: { id, status: await host.status(id) }, success: true }]
                : [404, { success: false, error: 'No App found by the id of: ' + id }];
        },
        'GET /api/apps/:id/settings': (call) => {
            const caller = requireUser(call);
            model.requirePermission(caller._id, 'manage-apps');
            return [200, { settings: host.appSettings(call.path.split('/')[3]), success: true }];
        },
        'POST /api/apps/:id/settings': async (call) => {
            const caller = requireUser(call);
            model.requirePermission(caller._id, 'manage-apps');
            const id = call.path.split('/')[3];
            const settings = body(call).settings;
            if (!Array.isArray(settings)) {
                throw new RestError(undefined, 'settings must be an array of {id, value}');
            }
            const updated = [];
            for (const setting of settings) {
                if (!(await host.updateAppSetting(id, String(setting?.id), setting?.value))) {
                    throw new RestError(undefined, `No setting ${String(setting?.id)}`);
                }
                updated.push(setting.id);
            }
            return [200, { updated, success: true }];
        },

        // Not Rocket.Chat: what the web client would show, and knobs for tests.
        'GET /standin/notices': (call) => {
            const caller = requireUser(call);
            return [200, { notices: model.ephemeral.filter((notice) => notice.userId === caller._id), success: true }];
        },
        'POST /standin/faults': (call) => {
            const caller = requireUser(call);
            model.requirePermission(caller._id, 'manage-apps');
            const faults = body(call).faults;
            state.faults.clear();
            for (const fault of Array.isArray(faults) ? faults : []) {
                state.faults.add(fault as Fault);
            }
            return [200, { faults: [...state.faults], success: true }];
        },
        // Federation cannot be set up through REST; this marks a group as a federated one would be stored.
        'POST /standin/rooms.federate': (call) => {
            const caller = requireUser(call);
            model.requirePermission(caller._id, 'manage-apps');
            const room = model.rooms.get(String(body(call).roomId));
            if (!room) {
                throw new RestError('error-invalid-room', 'Invalid room');
            }
            room.federated = true;
            return [200, { success: true }];
        },
        'GET /standin/stats': () => [
            200,
            { bridgeCalls: Object.fromEntries(state.bridgeCalls), memory: process.memoryUsage(), siteUrl: baseUrl(), success: true },
        ],
    };

    async function installApp(call: Call): Promise<[number, unknown]> {
        const caller = requireUser(call);
        model.requirePermission(caller._id, 'manage-apps');
        const form = await new Request('http://stand-in/', {
            method: 'POST',
            headers: { 'content-type': call.headers['content-type'] ?? '' },
            body: call.raw,
        }).formData();
        const file = form.get('app');
        if (!file || typeof file === 'string') {
            throw new RestError(undefined, 'No app package in the "app" field');
        }
        const info = await host.install(Buffer.from(await file.arrayBuffer()), caller);
        return [200, { app: { id: info.id, name: info.name, version: info.version, status: await host.status(info.id) }, success: true }];
    }
}

function publicUser(user: RawUser): Record<string, unknown> {
    const { password, ...rest } = user;
    void password;
    return structuredClone(rest);
}
