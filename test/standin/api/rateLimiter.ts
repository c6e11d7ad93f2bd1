// The REST API's rate limiter (apps/meteor/app/api/server/ApiClass.ts: `enforceRateLimit`,
// `shouldVerifyRateLimit`, `reloadRoutesToRefreshRateLimiter`; Meteor's rate-limit package counts).
// Every route of a versioned API — /api/v1, and the apps API at /api/apps, an `ApiClass` built with
// `version: 'apps'` (apps/meteor/ee/server/apps/communication/rest.ts), since
// `shouldAddRateLimitToRoute` asks only for a version — has one counter per client IP and method:
// `API_Enable_Rate_Limiter_Limit_Calls_Default` calls within `API_Enable_Rate_Limiter_Limit_Time_Default`
// ms, then 429 until the window ends. Callers holding `api-bypass-rate-limit` (admin, bot, app) are
// not counted — but only a route that needs a login knows its caller, so on `GET
// /api/apps/actionButtons` (no login) everyone is counted. Changing either number rebuilds the rules
// of /api/v1 (`API.v1.reloadRoutesToRefreshRateLimiter()` in the settings watchers), which starts
// every count afresh; the apps API keeps the rules it was given at start-up, while its
// `X-RateLimit-Limit` shows the setting as it is now (both read one shared options object).
// Switching the limiter off and on starts nothing afresh. On a real server an app's own REST calls
// come from the server's address, so all of them share one counter per route — here every client is
// 127.0.0.1, which is the same.
//
// `POST /api/apps/ui.interaction` has a limiter of its own (apps/meteor/ee/server/apps/communication/uikit.ts):
// express-rate-limit, built once at start-up with 60 × the calls setting per window of the time
// setting, skipped while the limiter is off, counted per IP before the login is checked — see
// `UiKitRateLimiter` below.
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

/** The two numbers of a rule: calls allowed, and the window in ms. */
interface Rule {
    limit: number;
    intervalMs: number;
}

export class RateLimiter {
    private readonly buckets = new Map<string, Bucket>();
    private config: Rule;

    /**
     * `reloads`: the rules follow the settings (/api/v1); otherwise they are the numbers the settings
     * held when the API was built, at start-up (/api/apps).
     */
    constructor(
        private readonly storage: Storage,
        private readonly reloads = true,
    ) {
        this.config = reloads ? { limit: 0, intervalMs: 0 } : this.settingsNow();
    }

    private settingsNow(): Rule {
        return {
            limit: Number(this.storage.settings.get('API_Enable_Rate_Limiter_Limit_Calls_Default')),
            intervalMs: Number(this.storage.settings.get('API_Enable_Rate_Limiter_Limit_Time_Default')),
        };
    }

    /**
     * Counts one call of `route` (the full route name and method, e.g. `/api/v1/groups.setEncryptedpost`)
     * from `ip`; undefined when the call is not checked at all (limiter off, or a caller who bypasses it).
     */
    public check(ip: string, route: string, userId?: string): RateCheck | undefined {
        const { storage } = this;
        const current = this.settingsNow();
        if (this.reloads && (current.limit !== this.config.limit || current.intervalMs !== this.config.intervalMs)) {
            this.config = current;
            this.buckets.clear();
        }
        const { limit, intervalMs } = this.config;
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
            'X-RateLimit-Limit': String(current.limit),
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

/**
 * The UI-kit interaction route's own limiter: express-rate-limit 5 (its default MemoryStore) as
 * apps/meteor/ee/server/apps/communication/uikit.ts builds it in `Meteor.startup` — `windowMs` the
 * time setting and `max` 60 × the calls setting, both as they were at start-up, `skip` while
 * `API_Enable_Rate_Limiter` is not on (a skipped call is not counted). The store counts per IP in
 * windows that all end together, every `windowMs` from start-up; a call over `max` is answered 429
 * with the library's plain-text message, before the route looks for a login.
 */
export class UiKitRateLimiter {
    private readonly windowMs: number;
    private readonly max: number;
    private readonly started = Date.now();
    private window = 0;
    private hits = new Map<string, number>();

    constructor(private readonly storage: Storage) {
        this.windowMs = Number(storage.settings.get('API_Enable_Rate_Limiter_Limit_Time_Default'));
        this.max = Number(storage.settings.get('API_Enable_Rate_Limiter_Limit_Calls_Default')) * 60;
    }

    public check(ip: string): RateCheck | undefined {
        if (this.storage.settings.get('API_Enable_Rate_Limiter') !== true) {
            return undefined;
        }
        const now = Date.now();
        const window = this.windowMs > 0 ? Math.floor((now - this.started) / this.windowMs) : 0;
        if (window !== this.window) {
            this.window = window;
            this.hits = new Map();
        }
        const current = (this.hits.get(ip) ?? 0) + 1;
        this.hits.set(ip, current);
        const resetTime = this.started + (window + 1) * this.windowMs;
        const headers: Record<string, string> = {
            'X-RateLimit-Limit': String(this.max),
            'X-RateLimit-Remaining': String(Math.max(this.max - current, 0)),
            Date: new Date(now).toUTCString(),
            'X-RateLimit-Reset': String(Math.ceil(resetTime / 1000)),
        };
        // `if (max && current > max)`: a `max` of 0 limits nothing.
        if (!(this.max && current > this.max)) {
            return { headers };
        }
        headers['Retry-After'] = String(Math.ceil(this.windowMs / 1000));
        // The default handler: `res.status(429).send(message)`, which Express sends as HTML.
        return {
            headers,
            refused: { statusCode: 429, body: 'Too many requests, please try again later.', headers: { 'content-type': 'text/html; charset=utf-8' } },
        };
    }
}
