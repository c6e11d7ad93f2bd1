import type { Credential } from '../rest/Credential';
import { REST_TIMEOUT_MS, type RestAnswer, type ServerRest, type Unreachable, isUnreachable } from '../rest/ServerRest';

/** Permission id → the ids of the roles that hold it, as the server has them now. */
export type Permissions = ReadonlyMap<string, ReadonlyArray<string>>;

/** Why the table could not be read: the server's answer, or why there was none. */
export interface TableUnavailable {
    unavailable: true;
    answer?: RestAnswer;
    unreachable?: Unreachable;
}

/**
 * Rocket.Chat's permission table (`GET /api/v1/permissions.listAll`, any logged-in user), as this
 * app instance last read it. Every read asks the server: the first for the whole table, later ones
 * with `updatedSince` for what changed since, so a change made by an admin counts from the next
 * toggle on and each read stays one small call. Reads that overlap with the same credential share
 * one request. A failed
 * read leaves no stale answer to use: the caller gets `unavailable`.
 */
export class PermissionTable {
    private readonly roles = new Map<string, ReadonlyArray<string>>();
    /** The newest `_updatedAt` seen, in ms: the next read asks for everything changed since. */
    private newest?: number;
    /** Reads under way, by credential: an answer made with someone's token is given to nobody else. */
    private readonly inFlight = new Map<string, { read: Promise<Permissions | TableUnavailable>; since: number }>();

    public async current(rest: Pick<ServerRest, 'get'>, credential: Credential): Promise<Permissions | TableUnavailable> {
        const key = credential.token;
        const pending = this.inFlight.get(key);
        // A read still pending after its own timeout is hung: it is not shared, a new one is made.
        if (pending && Date.now() - pending.since <= REST_TIMEOUT_MS) {
            return pending.read;
        }
        const inFlight = { read: this.refresh(rest, credential), since: Date.now() };
        this.inFlight.set(key, inFlight);
        void inFlight.read.finally(() => {
            if (this.inFlight.get(key) === inFlight) {
                this.inFlight.delete(key);
            }
        });
        return inFlight.read;
    }

    private async refresh(rest: Pick<ServerRest, 'get'>, credential: Credential): Promise<Permissions | TableUnavailable> {
        let answer: RestAnswer;
        try {
            // One millisecond back: a permission changed in the very millisecond of the newest one
            // seen is read again rather than missed (Rocket.Chat compares with `$gt`).
            answer = await rest.get(
                'permissions.listAll',
                credential,
                this.newest === undefined ? {} : { updatedSince: new Date(this.newest - 1).toISOString() },
            );
        } catch (error) {
            return { unavailable: true, unreachable: isUnreachable(error) ? error.why : 'transport' };
        }
        const { update, remove } = answer.body;
        if (answer.statusCode !== 200 || !Array.isArray(update)) {
            return { unavailable: true, answer };
        }
        for (const permission of update as Array<{ _id?: unknown; roles?: unknown; _updatedAt?: unknown }>) {
            if (typeof permission._id === 'string' && Array.isArray(permission.roles)) {
                this.roles.set(
                    permission._id,
                    permission.roles.filter((role): role is string => typeof role === 'string'),
                );
                const updatedAt = Date.parse(String(permission._updatedAt));
                if (Number.isFinite(updatedAt) && (this.newest === undefined || updatedAt > this.newest)) {
                    this.newest = updatedAt;
                }
            }
        }
        for (const removed of Array.isArray(remove) ? (remove as Array<{ _id?: unknown }>) : []) {
            if (typeof removed._id === 'string') {
                this.roles.delete(removed._id);
            }
        }
        return new Map(this.roles);
    }
}

export function isUnavailable(value: Permissions | TableUnavailable): value is TableUnavailable {
    return (value as TableUnavailable).unavailable === true;
}
