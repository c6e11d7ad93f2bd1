import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';

import type { Deadline } from '../Deadline';
import { Refusal } from '../Refusal';
import type { Credential } from '../rest/Credential';
import { REST_TIMEOUT_MS, type RestAnswer, type ServerRest, isUnreachable } from '../rest/ServerRest';
import type { FlagWriter, Written } from './FlagWriter';

/**
 * Writes the flag through the server's own REST API, so the server applies its own checks, posts
 * its own system message and notifies clients. Used where the room modifier is ignored (7.4+).
 */
export class RestApiWriter implements FlagWriter {
    public readonly serverPostsNotice = true;

    private constructor(
        public readonly name: string,
        public readonly serverChecksCaller: boolean,
        private readonly rest: Pick<ServerRest, 'post' | 'baseUrl'>,
        private readonly send: (roomId: string, encrypted: boolean) => Promise<RestAnswer>,
        private readonly refusalOf: (answer: RestAnswer) => Refusal,
    ) {}

    public prepare(): void {
        // A failure here is the write's to report, when it asks again.
        this.rest.baseUrl().catch(() => undefined);
    }

    /**
     * The caller's own session: Rocket.Chat's `groups.setEncrypted` with the caller's rights and
     * name on the notice. Whatever the server answers is the caller's answer: its refusal, its 429,
     * its 401 — never a retry as someone else.
     */
    public static asCaller(rest: Pick<ServerRest, 'post' | 'baseUrl'>, credential: Credential): RestApiWriter {
        return new RestApiWriter(
            'REST as caller',
            true,
            rest,
            (roomId, encrypted) => rest.post('groups.setEncrypted', credential, { roomId, encrypted }),
            ({ statusCode, body }) => ([400, 401, 403, 429].includes(statusCode) ? Refusal.passedOn(statusCode, body) : Refusal.writeFailed()),
        );
    }

    /**
     * The configured service account, for work that carries no caller session (a slash command),
     * after the app has checked the caller's rights itself. `rooms.saveRoomSettings` asks for
     * permissions, not a subscription. When it says no, the fault is the account's, not the caller's.
     */
    public static asServiceAccount(rest: Pick<ServerRest, 'post' | 'baseUrl'>, credential: Credential): RestApiWriter {
        return new RestApiWriter(
            'REST as service account',
            false,
            rest,
            (rid, encrypted) => rest.post('rooms.saveRoomSettings', credential, { rid, encrypted }),
            ({ statusCode, body }) => {
                const own = Refusal.fromServiceAccountAnswer(statusCode);
                if (own) {
                    return own;
                }
                if (
                    statusCode === 403 ||
                    (statusCode === 400 && body.errorType === 'error-action-not-allowed' && body.error !== Refusal.e2eUnavailable().error)
                ) {
                    return Refusal.serviceAccount('lacks-rights');
                }
                return statusCode === 400 ? Refusal.passedOn(statusCode, body) : Refusal.writeFailed();
            },
        );
    }

    public async write(room: IRoom, encrypted: boolean, _caller: unknown, deadline: Deadline): Promise<Written | Refusal> {
        // A request that could outlive the caller's answer is not started.
        if (!deadline.allows(REST_TIMEOUT_MS)) {
            return Refusal.timedOut();
        }
        let answer: RestAnswer;
        try {
            answer = await this.send(room.id, encrypted);
        } catch (error) {
            if (isUnreachable(error) && error.why !== 'transport') {
                return Refusal.siteUrlUnusable();
            }
            throw error;
        }
        if (answer.statusCode >= 200 && answer.statusCode < 300) {
            const group = answer.body.group;
            return group && typeof group === 'object' ? { written: true, group: group as Record<string, unknown> } : { written: true };
        }
        return this.refusalOf(answer);
    }
}
