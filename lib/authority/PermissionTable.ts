import type { Credential } from '../rest/Credential';
import { REST_TIMEOUT_MS, type RestAnswer, type ServerRest, type Unreachable, isUnreachable } from '../rest/ServerRest';

/** Permission id → the ids of the roles that hold it, as the server has them now. */
export type Permissions = ReadonlyMap<string, ReadonlyArray<string>>;

/** Why the table could not be read: the server's answer, why there was none, or nobody to read it with. */
export interface TableUnavailable {
    unavailable: true;
    answer?: RestAnswer;
    unreachable?: Unreachable;
    /** No credential to read it with: a door without a caller session, and no service account set. */
    noReader?: true;
}

/**
 * How far back before the newest change seen each later read reaches. Rocket.Chat stamps
 * `_updatedAt` with the clock of the instance that wrote, and writes commit in any order, so a
 * change may carry a stamp older than one already read: within this margin it is still fetched.
 */
export const READ_OVERLAP_MS = 60_000;
/**
 * A whole read at least this often, whatever was read meanwhile: a change stamped even further
 * back than the overlap (a clock far off), or a deletion whose trash record is gone, counts from
 * then on. Measured on the stand-in, a whole read of the table costs about as much as a delta
 * read (docs/performance.md): this bounds staleness, not cost.
 */
export const FULL_READ_MS = 5 * 60_000;

/**
 * Rocket.Chat's permission table (`GET /api/v1/permissions.listAll`), as this
 * app instance last read it. Every read asks the server: the first, and one at least every
 * FULL_READ_MS, for the whole table; the others with `updatedSince` (READ_OVERLAP_MS before the
 * newest change seen) for what changed since, with the permissions deleted meanwhile (`remove`),
 * so a change made by an admin counts from the next toggle on and each read stays one small call.
 * Reads that overlap with the same credential share one request. A failed read leaves no stale
 * answer to use: the caller gets `unavailable`.
 *
 * Any logged-in account may read it, a plain user included: Rocket.Chat's route is declared with
 * `authRequired: true` and no `permissionsRequired` (apps/meteor/app/api/server/v1/permissions.ts;
 * 6.x's `addRoute('permissions.listAll', { authRequired: true }, …)` the same), and the
 * `permissionsGetMethod` it runs checks nothing more
 * (apps/meteor/app/authorization/server/streamer/permissions/index.ts). So the service account
 * that reads it for doors without a session (before 7.4) needs no permission at all.
 */
export class PermissionTable {
    private roles = new Map<string, ReadonlyArray<string>>();
    /** The newest `_updatedAt` seen, in ms: the next delta read starts READ_OVERLAP_MS before it. */
    private newest?: number;
    /** When the last whole read was asked for. */
    private wholeReadAt = Number.NEGATIVE_INFINITY;
    /** Reads under way, by credential: an answer made with someone's token is given to nobody else. */
    private readonly inFlight = new Map<string, { read: Promise<Permissions | TableUnavailable>; since: number }>();

    constructor(private readonly now: () => number = Date.now) {}

    public async current(rest: Pick<ServerRest, 'get'>, credential: Credential): Promise<Permissions | TableUnavailable> {
        const key = credential.token;
        const pending = this.inFlight.get(key);
        // A read still pending after its own timeout is hung: it is not shared, a new one is made.
        if (pending && this.now() - pending.since <= REST_TIMEOUT_MS) {
            return pending.read;
        }
        const inFlight = { read: this.refresh(rest, credential), since: this.now() };
        this.inFlight.set(key, inFlight);
        void inFlight.read.finally(() => {
            if (this.inFlight.get(key) === inFlight) {
                this.inFlight.delete(key);
            }
        });
        return inFlight.read;
    }

    private async refresh(rest: Pick<ServerRest, 'get'>, credential: Credential): Promise<Permissions | TableUnavailable> {
        const whole = this.newest === undefined || this.now() - this.wholeReadAt >= FULL_READ_MS;
        let answer: RestAnswer;
        try {
            answer = await rest.get('permissions.listAll', credential, whole ? {} : { updatedSince: new Date(this.newest! - READ_OVERLAP_MS).toISOString() });
        } catch (error) {
            return { unavailable: true, unreachable: isUnreachable(error) ? error.why : 'transport' };
        }
        const { update, remove } = answer.body;
        if (answer.statusCode !== 200 || !Array.isArray(update)) {
            return { unavailable: true, answer };
        }
        if (whole) {
            // What the whole table no longer holds is gone, whether or not its deletion was seen.
            this.roles = new Map();
            this.wholeReadAt = this.now();
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
        // A deleted permission is held by no role: the rights it gave end with this read.
        for (const removed of Array.isArray(remove) ? (remove as Array<{ _id?: unknown }>) : []) {
            if (typeof removed._id === 'string') {
                this.roles.delete(removed._id);
            }
        }
        // A table with no stamp at all still counts as read: the next read is a delta from now.
        this.newest ??= this.now();
        return new Map(this.roles);
    }
}

export function isUnavailable(value: Permissions | TableUnavailable): value is TableUnavailable {
    return (value as TableUnavailable).unavailable === true;
}
