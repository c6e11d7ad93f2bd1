import { isRefusal, Refusal } from '../Refusal';
import type { Credential } from '../rest/Credential';
import type { ServerRest } from '../rest/ServerRest';
import type { AdminRoom } from './GroupRow';

/** Rocket.Chat's largest page (`API_Upper_Count_Limit`, default 100): fewest calls for a whole list. */
export const ADMIN_PAGE = 100;
/** Pages asked for at once after the first: a scan of thousands of groups without a burst on the server. */
const PARALLEL_PAGES = 4;

export interface AdminPage {
    rooms: Array<AdminRoom>;
    total: number;
}

/**
 * Every private group of the workspace through Rocket.Chat's admin room list
 * (`GET /api/v1/rooms.adminRooms`, apps/meteor/app/api/server/v1/rooms.ts), which only a holder of
 * `view-room-administration` may read. The server decides who sees it: its refusal is passed on as
 * it came. Oldest first (`ts`), so groups made while the list is read land at its end instead of
 * shifting the pages already read.
 */
export class AdminRoomList {
    constructor(private readonly rest: Pick<ServerRest, 'get'>) {}

    public async page(credential: Credential, offset: number, count: number): Promise<AdminPage | Refusal> {
        const answer = await this.rest.get('rooms.adminRooms', credential, {
            'types[]': 'p',
            offset: String(offset),
            count: String(count),
            sort: JSON.stringify({ ts: 1 }),
        });
        if (answer.statusCode !== 200 || !Array.isArray(answer.body.rooms)) {
            return Refusal.passedOn(answer.statusCode, answer.body);
        }
        const rooms = (answer.body.rooms as Array<AdminRoom>).filter((room) => room && typeof room._id === 'string' && (room.t ?? 'p') === 'p');
        return { rooms, total: typeof answer.body.total === 'number' ? answer.body.total : rooms.length };
    }

    /** The whole list, each group once (a group seen on two pages is kept once). */
    public async all(credential: Credential): Promise<Array<AdminRoom> | Refusal> {
        const first = await this.page(credential, 0, ADMIN_PAGE);
        if (isRefusal(first)) {
            return first;
        }
        // A server whose upper limit is below ADMIN_PAGE answers shorter pages: step by what it gives.
        const step = first.rooms.length;
        const offsets: Array<number> = [];
        for (let offset = step; step > 0 && offset < first.total; offset += step) {
            offsets.push(offset);
        }
        const pages = [first];
        for (let i = 0; i < offsets.length; i += PARALLEL_PAGES) {
            const batch = await Promise.all(offsets.slice(i, i + PARALLEL_PAGES).map((offset) => this.page(credential, offset, step)));
            for (const page of batch) {
                if (isRefusal(page)) {
                    return page;
                }
                pages.push(page);
            }
        }
        const seen = new Map<string, AdminRoom>();
        for (const page of pages) {
            for (const room of page.rooms) {
                seen.set(room._id, room);
            }
        }
        return [...seen.values()];
    }
}
