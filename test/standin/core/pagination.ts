// The list routes' paging and sorting (apps/meteor/app/api/server/helpers/getPaginationItems.ts and
// parseJsonQuery.ts), with the default settings, and the order Mongo sorts documents in.
import { MeteorError } from './errors';

/**
 * `getPaginationItems(queryParams)` with `API_Default_Count` 50, `API_Upper_Count_Limit` 100 and
 * `API_Allow_Infinite_Count` on: `count` absent → 50, above 100 → 100, `0` → no limit (`limit(0)`
 * in Mongo is none); `offset` absent → 0. (Rocket.Chat passes a negative or non-numeric value on to
 * Mongo, which refuses it; here those read as 0 and 50.)
 */
export function paginationItems(query: Record<string, string | undefined>): { offset: number; count: number } {
    const offset = query.offset ? Number.parseInt(query.offset, 10) : 0;
    const asked = query.count !== undefined ? Number.parseInt(query.count || '0', 10) : 50;
    const count = Number.isNaN(asked) ? 50 : Math.min(asked, 100);
    return { offset: Number.isNaN(offset) ? 0 : Math.max(0, offset), count: Math.max(0, count) };
}

/**
 * The `sort` of `parseJsonQuery()`: a JSON object whose values are all 1 or -1, else
 * `error-invalid-sort` (thrown before the route's own checks, so it reaches callers without the
 * route's permission too).
 */
export function parseSort(sort: string | undefined): Record<string, 1 | -1> | undefined {
    if (!sort) {
        return undefined;
    }
    try {
        const parsed = JSON.parse(sort) as unknown;
        if (!parsed || typeof parsed !== 'object' || Object.values(parsed).some((value) => value !== 1 && value !== -1)) {
            throw new Error('invalid');
        }
        return parsed as Record<string, 1 | -1>;
    } catch {
        throw new MeteorError('error-invalid-sort', `Invalid sort parameter provided: "${sort}"`, { helperMethod: 'parseJsonQuery' });
    }
}

/** Mongo's order of BSON types: missing/null < numbers < strings < objects < arrays < booleans < dates. */
function typeRank(value: unknown): number {
    if (value === undefined || value === null) return 1;
    if (typeof value === 'number') return 2;
    if (typeof value === 'string') return 3;
    if (value instanceof Date) return 9;
    if (typeof value === 'boolean') return 8;
    if (Array.isArray(value)) return 5;
    return 4;
}

function compareValues(a: unknown, b: unknown): number {
    const rank = typeRank(a) - typeRank(b);
    if (rank !== 0) return rank;
    if (typeof a === 'number' || typeof a === 'boolean') return Number(a) - Number(b);
    if (a instanceof Date) return a.getTime() - (b as Date).getTime();
    // Strings compare by their bytes (Rocket.Chat's rooms collection has no collation).
    if (typeof a === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b as string));
    return 0;
}

/** A comparator for `cursor.sort(spec)` over top-level fields (dotted paths read nested ones). */
export function mongoSort<T extends Record<string, unknown>>(spec: Record<string, 1 | -1>): (a: T, b: T) => number {
    const read = (doc: T, path: string): unknown => path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], doc);
    const keys = Object.entries(spec);
    return (a, b) => {
        for (const [key, direction] of keys) {
            const order = compareValues(read(a, key), read(b, key));
            if (order !== 0) return order * direction;
        }
        return 0;
    };
}
