import type { IHttp, IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';

import type { Credentials } from '../AppSettings';
import { describeError } from '../describeError';
import { Refusal } from '../Refusal';
import type { FlagWriter } from './FlagWriter';

const TIMEOUT_MS = 10_000;

/**
 * Writes the flag through the server's own REST API, so the server applies its own checks, posts
 * its own system message and notifies clients. Used where the room modifier is ignored (7.4+).
 * The token goes only into the request headers: never into a log line, an error or a reply.
 */
export class RestApiWriter implements FlagWriter {
    public readonly serverPostsNotice = true;

    private constructor(
        public readonly name: string,
        private readonly http: Pick<IHttp, 'post'>,
        private readonly url: string,
        private readonly credentials: Credentials,
        private readonly body: (roomId: string, encrypted: boolean) => Record<string, unknown>,
    ) {}

    /** The caller's own session: the mirror route, with the caller's rights and name on the notice. */
    public static asCaller(http: Pick<IHttp, 'post'>, siteUrl: string, credentials: Credentials): RestApiWriter {
        return new RestApiWriter('REST as caller', http, `${siteUrl}/api/v1/groups.setEncrypted`, credentials, (roomId, encrypted) => ({
            roomId,
            encrypted,
        }));
    }

    /**
     * The configured service account. `rooms.saveRoomSettings` asks for permissions, not a
     * subscription, so an admin account can act on groups it is not in; the app has already
     * checked the caller's own rights.
     */
    public static asServiceAccount(http: Pick<IHttp, 'post'>, siteUrl: string, credentials: Credentials): RestApiWriter {
        return new RestApiWriter('REST as service account', http, `${siteUrl}/api/v1/rooms.saveRoomSettings`, credentials, (rid, encrypted) => ({
            rid,
            encrypted,
        }));
    }

    public async write(room: IRoom, encrypted: boolean): Promise<Refusal | undefined> {
        const response = await this.post(room.id, encrypted);
        if (response.statusCode >= 200 && response.statusCode < 300) {
            return undefined;
        }
        const body = responseBody(response);
        if (response.statusCode === 400 && typeof body.error === 'string') {
            return Refusal.serverRefused(
                body.error,
                typeof body.errorType === 'string' ? body.errorType : undefined,
                body.details && typeof body.details === 'object' ? (body.details as Record<string, unknown>) : undefined,
            );
        }
        throw new Error(`${this.name}: the server answered HTTP ${response.statusCode}`);
    }

    private async post(roomId: string, encrypted: boolean): Promise<IHttpResponse> {
        try {
            return await this.http.post(this.url, {
                headers: {
                    'Content-Type': 'application/json',
                    'X-User-Id': this.credentials.userId,
                    'X-Auth-Token': this.credentials.token,
                },
                data: this.body(roomId, encrypted),
                timeout: TIMEOUT_MS,
            });
        } catch (error) {
            // A transport error may echo the request it failed on; keep the token out of logs.
            throw new Error(`${this.name}: ${describeError(error).split(this.credentials.token).join('***')}`);
        }
    }
}

function responseBody(response: IHttpResponse): Record<string, unknown> {
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
