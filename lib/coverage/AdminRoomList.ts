import { isRefusal, Refusal } from '../Refusal';
import type { Credential } from '../rest/Credential';
import { type RestAnswer, type ServerRest, isUnreachable } from '../rest/ServerRest';
import type { AdminRoom } from './GroupRow';

/** Rocket.Chat's largest page (`API_Upper_Count_Limit`, default 100): fewest calls for a whole list. */
export const ADMIN_PAGE = 100;
/** Pages asked for at once after the first: a scan of thousands of groups without a burst on the server. */
const PARALLEL_PAGES = 4;

export interface AdminPage {
    /** The private groups of the page. */
    rooms: Array<AdminRoom>;
    /** How many rooms the page held before keeping the private groups: what the next offset moves by. */
    fetched: number;
    total: number;
}

/**
 * Rocket.Chat leaves discussions and teams' main rooms out of the admin list unless `discussions`
 * and `teams` are named beside the room type, and then lists all of them, public ones too — so
 * those are named, and only private groups (`t: 'p'`) kept. The repeated `types[]` key is written
 * by hand: the HTTP accessor's `params` take one value per key.
 */
const TYPES = ['p', 'discussions', 'teams'].map((type) => `types[]=${type}`).join('&');
/** Oldest first, the id breaking ties: groups made meanwhile land at the end, pages never overlap. */
const SORT = encodeURIComponent(JSON.stringify({ ts: 1, _id: 1 }));

/**
 * Every private group of the workspace — teams' main groups and discussions included — through
 * Rocket.Chat's admin room list (`GET /api/v1/rooms.adminRooms`, apps/meteor/app/api/server/v1/rooms.ts),
 * which only a holder of `view-room-administration` may read. The server decides who sees it: its
 * refusal is passed on as it came.
 */
export class AdminRoomList {
    constructor(private readonly rest: Pick<ServerRest, 'get'>) {}

    public async page(credential: Credential, offset: number, count: number): Promise<AdminPage | Refusal> {
        let answer: RestAnswer;
        try {
            answer = await this.rest.get(`rooms.adminRooms?${TYPES}&offset=${offset}&count=${count}&sort=${SORT}`, credential);
        } catch (error) {
            return isUnreachable(error) && error.why !== 'transport' ? Refusal.siteUrlUnusable() : Refusal.serverUnanswered();
        }
        if (answer.statusCode !== 200 || !Array.isArray(answer.body.rooms)) {
            return Refusal.passedOn(answer.statusCode, answer.body);
        }
        const listed = answer.body.rooms as Array<AdminRoom>;
        const rooms = listed.filter((room) => room && typeof room._id === 'string' && room.t === 'p');
        return { rooms, fetched: listed.length, total: typeof answer.body.total === 'number' ? answer.body.total : listed.length };
    }

    /** Whether the server lets this credential see every room: its refusal, or undefined. One room is asked for. */
    public async allows(credential: Credential): Promise<Refusal | undefined> {
        const page = await this.page(credential, 0, 1);
        return isRefusal(page) ? page : undefined;
    }

    /** The whole list, each group once (a group seen on two pages is kept once). */
    public async all(credential: Credential): Promise<Array<AdminRoom> | Refusal> {
        const first = await this.page(credential, 0, ADMIN_PAGE);
        if (isRefusal(first)) {
            return first;
        }
        // A server whose upper limit is below ADMIN_PAGE answers shorter pages: step by what it gives.
        const step = first.fetched;
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
