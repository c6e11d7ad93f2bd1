// The REST API's rate limiter (apps/meteor/app/api/server/ApiClass.ts: `enforceRateLimit`,
// `shouldVerifyRateLimit`, `reloadRoutesToRefreshRateLimiter`; Meteor's rate-limit package counts).
// Every /api/v1 route has one counter per client IP and method: `API_Enable_Rate_Limiter_Limit_Calls_Default`
// calls within `API_Enable_Rate_Limiter_Limit_Time_Default` ms, then 429 until the window ends.
// Callers holding `api-bypass-rate-limit` (admin, bot, app) are not counted. Changing either
// number rebuilds the limiter, which starts every count afresh; switching the limiter off and on
// does not. On a real server an app's own REST calls come from the server's address, so all of
// them share one counter per route — here every client is 127.0.0.1, which is the same.
import type { Answer } from './answers';
import { hasPermission } from '../core/authorization';
import type { Storage } from '../storage/Storage';

interface Bucket {
    start: number;
    count: number;
}

export interface RateCheck {
    /** `X-RateLimit-Limit`, `-Remaining` and `-Reset` (epoch ms), set on the answer whatever it is. */
    headers: Record<string, string>;
    /** The 429 to answer instead of running the route. */
    refused?: Answer;
}

export class RateLimiter {
    private readonly buckets = new Map<string, Bucket>();
    private config = { limit: 0, intervalMs: 0 };

    constructor(private readonly storage: Storage) {}

    /**
     * Counts one call of `route` (the full route name and method, e.g. `/api/v1/groups.setEncryptedpost`)
     * from `ip`; undefined when the call is not checked at all (limiter off, or a caller who bypasses it).
     */
    public check(ip: string, route: string, userId?: string): RateCheck | undefined {
        const { storage } = this;
        const limit = Number(storage.settings.get('API_Enable_Rate_Limiter_Limit_Calls_Default'));
        const intervalMs = Number(storage.settings.get('API_Enable_Rate_Limiter_Limit_Time_Default'));
        if (limit !== this.config.limit || intervalMs !== this.config.intervalMs) {
            this.config = { limit, intervalMs };
            this.buckets.clear();
        }
        // Without both numbers Rocket.Chat adds no rule to a route (`shouldAddRateLimitToRoute`).
        if (!(limit > 0 && intervalMs > 0) || storage.settings.get('API_Enable_Rate_Limiter') !== true) {
            return undefined;
        }
        if (userId && hasPermission(storage, userId, 'api-bypass-rate-limit')) {
            return undefined;
        }
        const key = `${ip} ${route}`;
        const now = Date.now();
        let bucket = this.buckets.get(key);
        if (!bucket || now - bucket.start >= intervalMs) {
            bucket = { start: now, count: 0 };
            this.buckets.set(key, bucket);
        }
        bucket.count += 1;
        const timeToReset = bucket.start + intervalMs - now;
        const allowed = bucket.count <= limit;
        const headers = {
            'X-RateLimit-Limit': String(limit),
            'X-RateLimit-Remaining': String(allowed ? limit - bucket.count : 0),
            'X-RateLimit-Reset': String(now + timeToReset),
        };
        if (allowed) {
            return { headers };
        }
        // `Meteor.Error('error-too-many-requests', …)` answered by `API.v1.tooManyRequests(e.message)`: no errorType.
        const seconds = Math.ceil(timeToReset / 1000);
        const error = `Error, too many requests. Please slow down. You must wait ${seconds} seconds before trying this endpoint again. [error-too-many-requests]`;
        return { headers, refused: { statusCode: 429, body: { success: false, error } } };
    }
}
