import type { IHttp, IHttpResponse, IServerSettingRead } from '@rocket.chat/apps-engine/definition/accessors';

import { describeError } from '../describeError';
import { type Credential, authHeaders } from './Credential';

export interface RestAnswer {
    statusCode: number;
    /** The JSON body, or `{}` when the answer had none (a text 401, an HTML error page). */
    body: Record<string, unknown>;
}

/** Why the server could not be asked at all; nothing was sent with a token. */
export type Unreachable = 'no-site-url' | 'unsafe-site-url' | 'transport' | 'too-late';

export class ServerUnreachable extends Error {
    /** The mark `isUnreachable` looks for. */
    public readonly unreachable = true;

    constructor(
        public readonly why: Unreachable,
        message: string,
    ) {
        super(message);
    }
}

/**
 * Use this, never `instanceof ServerUnreachable`: the vm2 runtime (Rocket.Chat up to 6.10)
 * evaluates a module afresh for every file that requires it, so classes differ between files.
 */
export function isUnreachable(error: unknown): error is ServerUnreachable {
    return typeof error === 'object' && error !== null && (error as { unreachable?: unknown }).unreachable === true;
}

/** How long one call to the server's own API may take; a toggle's deadline leaves room for it. */
export const REST_TIMEOUT_MS = 4000;

/**
 * Calls the server's own REST API at `Site_Url` with a credential. A token is sent only to an
 * `https` Site_Url, or `http` on this machine's loopback (where it never crosses a network), and
 * never appears in a thrown error. What the token cannot be kept from: Rocket.Chat's HTTP bridge
 * follows redirects with the same headers and logs outgoing requests, headers included, at debug
 * level (docs/security.md: "Where a token goes").
 */
export class ServerRest {
    constructor(
        private readonly http: Pick<IHttp, 'get' | 'post'>,
        private readonly serverSettings: Pick<IServerSettingRead, 'getValueById'>,
    ) {}

    public async get(route: string, credential: Credential, query: Record<string, string> = {}): Promise<RestAnswer> {
        return this.call('get', route, credential, { params: query });
    }

    public async post(route: string, credential: Credential, data: Record<string, unknown>): Promise<RestAnswer> {
        return this.call('post', route, credential, { data });
    }

    /** The API's base URL, or why a token must not go there; read once per call of the app. */
    public baseUrl(): Promise<string> {
        this.base ??= this.readBaseUrl();
        return this.base;
    }

    private base?: Promise<string>;

    private async readBaseUrl(): Promise<string> {
        const siteUrl = String((await this.serverSettings.getValueById('Site_Url')) ?? '').replace(/\/+$/, '');
        if (!siteUrl) {
            throw new ServerUnreachable('no-site-url', 'the server setting Site_Url is empty');
        }
        if (!isSafeForTokens(siteUrl)) {
            throw new ServerUnreachable('unsafe-site-url', `Site_Url (${siteUrl}) is neither https nor http on a loopback address; no token is sent there`);
        }
        return siteUrl;
    }

    private async call(method: 'get' | 'post', route: string, credential: Credential, request: { params?: Record<string, string>; data?: unknown }) {
        const url = `${await this.baseUrl()}/api/v1/${route}`;
        let response: IHttpResponse;
        try {
            response = await this.http[method](url, {
                headers: { 'Content-Type': 'application/json', ...authHeaders(credential) },
                ...request,
                timeout: REST_TIMEOUT_MS,
            });
        } catch (error) {
            // A transport error may echo the request it failed on; keep the token out of it.
            throw new ServerUnreachable('transport', `${method.toUpperCase()} ${route}: ${describeError(error).split(credential.token).join('***')}`);
        }
        return { statusCode: response.statusCode, body: bodyOf(response) };
    }
}

/**
 * https anywhere, or http on a loopback host. Parsed by hand: the vm2 sandbox of Apps-Engine 1.42
 * (Rocket.Chat up to 6.10) has no `URL`.
 */
export function isSafeForTokens(siteUrl: string): boolean {
    // A backslash, white space or a control character makes parsers disagree on the host
    // (`http://evil.example\@localhost` is evil.example to a WHATWG client): none is accepted.
    // eslint-disable-next-line no-control-regex -- control characters are what is looked for
    if (/[\\\s\u0000-\u001f\u007f]/.test(siteUrl.trim())) {
        return false;
    }
    const match = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(siteUrl.trim());
    if (!match) {
        return false;
    }
    const [, scheme, hostPart] = match;
    if (scheme.toLowerCase() === 'https') {
        return hostPart.length > 0;
    }
    const host = hostPart.toLowerCase().replace(/^\[|\]$/g, '');
    return scheme.toLowerCase() === 'http' && (host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host));
}

function bodyOf(response: IHttpResponse): Record<string, unknown> {
    if (response.data && typeof response.data === 'object') {
        return response.data;
    }
    try {
        const parsed = JSON.parse(response.content ?? '');
        return parsed && typeof parsed === 'object' ? parsed : {};
    } catch {
        return {};
    }
}
