import { Refusal } from '../Refusal';
import type { Credential } from '../rest/Credential';
import { type RestAnswer, type ServerRest, isUnreachable } from '../rest/ServerRest';
import { ADMIN_PAGE } from '../coverage/AdminRoomList';

/** A private group as `groups.listAll` gives it: the stored room, its flags included. */
export interface ListedGroup {
    _id: string;
    name?: string;
    fname?: string;
    encrypted?: boolean;
    archived?: boolean;
    federated?: boolean;
}

/** Oldest first, the id breaking ties: groups made meanwhile land at the end, pages never overlap. */
const SORT = encodeURIComponent(JSON.stringify({ ts: 1, _id: 1 }));

/**
 * Every private group of the workspace, a page at a time, each with its `encrypted`, `archived`
 * and `federated` flags, through `GET /api/v1/groups.listAll` (apps/meteor/app/api/server/v1/groups.ts:
 * `view-room-administration`, else `API.v1.unauthorized()`; then `Rooms.findPaginated({t: 'p'})`,
 * discussions and teams' main groups included). The flags come with the list, so the job reads
 * no room on its own: a page of a hundred groups is one call.
 */
export class PrivateGroupList {
    constructor(private readonly rest: Pick<ServerRest, 'get'>) {}

    public async page(credential: Credential, offset: number): Promise<{ groups: Array<ListedGroup>; total: number } | Refusal> {
        let answer: RestAnswer;
        try {
            answer = await this.rest.get(`groups.listAll?offset=${offset}&count=${ADMIN_PAGE}&sort=${SORT}`, credential);
        } catch (error) {
            return isUnreachable(error) && error.why !== 'transport' ? Refusal.siteUrlUnusable() : Refusal.serverUnanswered();
        }
        if (answer.statusCode !== 200 || !Array.isArray(answer.body.groups)) {
            return Refusal.passedOn(answer.statusCode, answer.body);
        }
        const groups = (answer.body.groups as Array<ListedGroup>).filter((group) => group && typeof group._id === 'string');
        return { groups, total: typeof answer.body.total === 'number' ? answer.body.total : offset + groups.length };
    }
}
