import { Refusal } from '../Refusal';
import type { GroupRow } from './GroupRow';

/** Which groups a report lists. */
export type StateFilter = 'encrypted' | 'unencrypted' | 'cannot-encrypt';
const STATES: ReadonlyArray<StateFilter> = ['encrypted', 'unencrypted', 'cannot-encrypt'];

/** The row fields a report sorts by. */
const SORTABLE = ['name', 'displayName', 'kind', 'encrypted', 'archived', 'federated', 'members', 'lastActivity'] as const;
type SortKey = (typeof SORTABLE)[number];

export interface ReportQuery {
    offset: number;
    /** 0: every row (Rocket.Chat's `count=0` where `API_Allow_Infinite_Count` is on). */
    count: number;
    sort: Array<[SortKey, 1 | -1]>;
    state?: StateFilter;
    /** Part of the name or display name, any case (Rocket.Chat's `filter` on its room lists). */
    filter?: string;
    format: 'json' | 'csv';
    /** Scan again now instead of using a recent scan. */
    refresh: boolean;
}

/** The server's paging settings, as `getPaginationItems` reads them. */
export interface PagingSettings {
    defaultCount: number;
    upperLimit: number;
    infiniteCount: boolean;
}

/**
 * The report's query string, read as Rocket.Chat reads its list routes' (`getPaginationItems` and
 * `parseJsonQuery`, apps/meteor/app/api/server/helpers/): a count above the server's upper limit is
 * cut to it, `sort` is JSON with 1 or -1 per field — anything else is its `error-invalid-sort`.
 * The report's own parameters are refused as Rocket.Chat refuses a parameter its schema does not
 * allow (`invalid-params`).
 */
export function readReportQuery(query: Record<string, unknown>, paging: PagingSettings): ReportQuery | Refusal {
    const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
    const offset = Number.parseInt(text('offset') ?? '0', 10);
    let count = text('count') === undefined ? paging.defaultCount : Number.parseInt(text('count') || '0', 10);
    if (Number.isNaN(count) || count < 0) {
        count = paging.defaultCount;
    }
    count = Math.min(count, paging.upperLimit);
    if (count === 0 && !paging.infiniteCount) {
        count = paging.defaultCount;
    }
    const sort = readSort(text('sort'));
    if (!Array.isArray(sort)) {
        return sort;
    }
    const state = text('state');
    if (state !== undefined && !STATES.includes(state as StateFilter)) {
        return Refusal.invalidParams(`must be equal to one of the allowed values (state: ${STATES.join(', ')})`);
    }
    const format = text('format') ?? 'json';
    if (format !== 'json' && format !== 'csv') {
        return Refusal.invalidParams('must be equal to one of the allowed values (format: json, csv)');
    }
    return {
        offset: Number.isNaN(offset) || offset < 0 ? 0 : offset,
        count,
        sort,
        state: state as StateFilter | undefined,
        filter: text('filter') || undefined,
        format,
        refresh: text('refresh') === 'true',
    };
}

function readSort(raw: string | undefined): Array<[SortKey, 1 | -1]> | Refusal {
    if (raw === undefined) {
        return [['name', 1]];
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch {
        parsed = undefined;
    }
    const entries = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.entries(parsed) : undefined;
    if (!entries || entries.some(([key, value]) => !SORTABLE.includes(key as SortKey) || (value !== 1 && value !== -1))) {
        return Refusal.invalidSort(raw);
    }
    return entries as Array<[SortKey, 1 | -1]>;
}

/** The rows the query selects, in its order (ties by id, so pages never overlap). */
export function selectRows(rows: ReadonlyArray<GroupRow>, query: Pick<ReportQuery, 'state' | 'filter' | 'sort'>): Array<GroupRow> {
    const needle = query.filter?.toLowerCase();
    const chosen = rows.filter(
        (row) =>
            (!query.state ||
                (query.state === 'encrypted' ? row.encrypted : query.state === 'unencrypted' ? !row.encrypted : row.cannotEncrypt !== undefined)) &&
            (!needle || row.name.toLowerCase().includes(needle) || row.displayName.toLowerCase().includes(needle)),
    );
    return chosen.sort((a, b) => {
        for (const [key, direction] of query.sort) {
            const order = compare(a[key], b[key]);
            if (order !== 0) {
                return order * direction;
            }
        }
        return compare(a.id, b.id);
    });
}

function compare(a: unknown, b: unknown): number {
    if (a === b) {
        return 0;
    }
    // A group with no activity sorts before every date, as Mongo sorts null first.
    if (a === null || a === undefined) {
        return -1;
    }
    if (b === null || b === undefined) {
        return 1;
    }
    if (typeof a === 'string' && typeof b === 'string') {
        return a.localeCompare(b);
    }
    return a < b ? -1 : 1;
}
