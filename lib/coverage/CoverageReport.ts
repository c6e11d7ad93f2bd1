import type { IRoomRead, IServerSettingRead } from '@rocket.chat/apps-engine/definition/accessors';

import { isRefusal, type Refusal } from '../Refusal';
import type { Credential } from '../rest/Credential';
import type { AdminRoomList } from './AdminRoomList';
import { type Scan, type ScanCache, readRows, scanGroups } from './CoverageScan';
import { type CoverageTotals, type GroupRow, totalsOf } from './GroupRow';
import { type PagingSettings, type ReportQuery, selectRows } from './ReportQuery';

export interface ReportPage {
    groups: Array<GroupRow>;
    /** Rocket.Chat's list shape: rows on this page, where it starts, how many match in all. */
    count: number;
    offset: number;
    total: number;
    /** Over every private group, from the scan taken at `scannedAt`. */
    totals: CoverageTotals;
    scannedAt: string;
}

export interface ReportDeps {
    list: Pick<AdminRoomList, 'allows' | 'all'>;
    rooms: Pick<IRoomRead, 'getById'>;
    serverSettings: Pick<IServerSettingRead, 'getValueById'>;
    cache: ScanCache;
}

/**
 * Every private group and whether it is encrypted, for someone Rocket.Chat lets see every room.
 * The server decides who that is: each report starts with one call to its admin room list with
 * the caller's own credential, and its refusal is the caller's answer. Totals, filters and order
 * come from a scan of the whole workspace kept for a minute (`scannedAt` says when); the rows of
 * the page asked for are read again now, so what they say is current.
 */
export async function coverageReport(deps: ReportDeps, credential: Credential, query: ReportQuery): Promise<ReportPage | Refusal> {
    const refusal = await deps.list.allows(credential);
    if (refusal) {
        return refusal;
    }
    const scan = await deps.cache.get(() => scanGroups(deps, credential), query.refresh);
    if (isRefusal(scan)) {
        return scan;
    }
    const selected = selectionOf(scan, query);
    const chosen = query.count === 0 ? selected.slice(query.offset) : selected.slice(query.offset, query.offset + query.count);
    const listed = chosen.map((row) => scan.listed.get(row.id)!);
    const groups = await readRows(deps.rooms, listed, scan.e2eEnabled);
    return { groups, count: groups.length, offset: query.offset, total: selected.length, totals: totalsOf(scan.rows), scannedAt: scan.takenAt };
}

/**
 * The rows a query selects, in order, kept on the scan (see Selections): the next pages of the same
 * question cost only their own rows, however many groups there are.
 */
function selectionOf(scan: Scan, query: ReportQuery): Array<GroupRow> {
    return scan.selections.get(JSON.stringify([query.state, query.filter, query.sort]), () => selectRows(scan.rows, query));
}

/** `getPaginationItems`' settings as this server has them (Rocket.Chat's defaults where it has none). */
export async function pagingSettings(serverSettings: Pick<IServerSettingRead, 'getValueById'>): Promise<PagingSettings> {
    const value = (id: string) => serverSettings.getValueById(id).catch(() => undefined);
    const [defaultCount, upperLimit, infiniteCount] = await Promise.all([
        value('API_Default_Count'),
        value('API_Upper_Count_Limit'),
        value('API_Allow_Infinite_Count'),
    ]);
    return {
        defaultCount: Number(defaultCount) > 0 ? Number(defaultCount) : 50,
        upperLimit: Number(upperLimit) > 0 ? Number(upperLimit) : 100,
        infiniteCount: infiniteCount !== false,
    };
}
