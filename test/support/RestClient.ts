// A small client for Rocket.Chat's REST API, the only way the demo and the end-to-end suite talk
// to a server — the stand-in or a real one.
export interface RestAnswer {
    status: number;
    body: any;
}

export class RestClient {
    private constructor(
        public readonly url: string,
        public readonly userId: string,
        public readonly authToken: string,
    ) {}

    public static async login(url: string, user: string, password: string): Promise<RestClient> {
        const answer = await send(`${url}/api/v1/login`, {
            method: 'POST',
            body: JSON.stringify({ user, password }),
            headers: { 'content-type': 'application/json' },
        });
        if (answer.status !== 200 || answer.body?.status !== 'success') {
            throw new Error(`login as ${user} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
        }
        return new RestClient(url, answer.body.data.userId, answer.body.data.authToken);
    }

    /** The same login, talking to another URL of the same workspace (one instance of a cluster, or its balancer). */
    public at(url: string): RestClient {
        return new RestClient(url, this.userId, this.authToken);
    }

    /** Any request under the server root, answered as status + parsed body (never throws on a 4xx). */
    public request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RestAnswer> {
        const init: RequestInit = { method, headers: { ...this.authHeaders(), ...headers } };
        if (body !== undefined) {
            init.body = typeof body === 'string' ? body : JSON.stringify(body);
            (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
        }
        return send(`${this.url}${path}`, init);
    }

    /** `POST /api/v1/<route>` that must succeed. */
    public async post(route: string, body: unknown): Promise<any> {
        return ok(route, await this.request('POST', `/api/v1/${route}`, body));
    }

    /** `GET /api/v1/<route>?<query>` that must succeed. */
    public async get(route: string, query: Record<string, string> = {}): Promise<any> {
        return ok(route, await this.request('GET', `/api/v1/${route}?${new URLSearchParams(query)}`));
    }

    public appCall(appId: string, path: string, method: string, body?: unknown, headers?: Record<string, string>): Promise<RestAnswer> {
        return this.request(method, `/api/apps/public/${appId}/${path}`, body, headers);
    }

    public command(command: string, params: string, roomId: string): Promise<RestAnswer> {
        return this.request('POST', '/api/v1/commands.run', { command, params, roomId });
    }

    /** `POST /api/apps` (multipart `app`), what `rc-apps deploy` sends; updates when installed. */
    public async installApp(zip: Buffer, filename: string): Promise<{ id: string }> {
        const form = new FormData();
        form.append('app', new Blob([zip]), filename);
        const answer = await send(`${this.url}/api/apps`, { method: 'POST', body: form, headers: this.authHeaders() });
        return ok('apps', answer).app;
    }

    /** `GET /api/apps/:id/settings`: each setting's value in force (its default where none was set). */
    public async appSettings(appId: string): Promise<Record<string, unknown>> {
        const { settings } = ok('apps settings', await this.request('GET', `/api/apps/${appId}/settings`));
        return Object.fromEntries(Object.values(settings as Record<string, any>).map((setting) => [setting.id, setting.value ?? setting.packageValue]));
    }

    /** `POST /api/apps/:id/settings` with `{settings: [{id, value}]}`. */
    public async setAppSettings(appId: string, values: Record<string, unknown>): Promise<void> {
        const settings = Object.entries(values).map(([id, value]) => ({ id, value }));
        ok('apps settings', await this.request('POST', `/api/apps/${appId}/settings`, { settings }));
    }

    private authHeaders(): Record<string, string> {
        return { 'x-user-id': this.userId, 'x-auth-token': this.authToken };
    }
}

async function send(url: string, init: RequestInit): Promise<RestAnswer> {
    const response = await fetch(url, init);
    const text = await response.text();
    let body: unknown = text;
    try {
        body = JSON.parse(text);
    } catch {
        // plain-text answers (`Unauthorized`) stay text
    }
    return { status: response.status, body };
}

function ok(what: string, answer: RestAnswer): any {
    if (answer.status !== 200 || answer.body?.success === false) {
        throw new Error(`${what} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
}
