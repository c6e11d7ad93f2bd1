import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';

import { encryptedFlag, isArchived, isFederated, unmapped } from '../RoomFacts';

/** A private group as Rocket.Chat's admin room list (`rooms.adminRooms`) gives it: its admin fields. */
export interface AdminRoom {
    _id: string;
    name?: string;
    fname?: string;
    t?: string;
    usersCount?: number;
    archived?: boolean;
    federated?: boolean;
    teamMain?: boolean;
    prid?: string;
}

/** Why a group cannot be encrypted now: Rocket.Chat refuses federated groups, and every group while E2E is off. */
export type Blocker = 'federated' | 'e2e-disabled';

/** One line of the coverage report. */
export interface GroupRow {
    id: string;
    name: string;
    /** What people see: a discussion's title, a group's full name. */
    displayName: string;
    /** A team's main group, a discussion, or a plain group. */
    kind: 'team' | 'discussion' | 'group';
    encrypted: boolean;
    archived: boolean;
    federated: boolean;
    members: number;
    /** The last message's time (`lm`), ISO; null for a group nobody has written in. */
    lastActivity: string | null;
    /** Set when the group is not encrypted and cannot be now. */
    cannotEncrypt?: Blocker;
}

/**
 * A row from both sources: the admin list for what it carries, the app's room reader for what it
 * does not (`encrypted`, the last activity). A room the reader no longer finds (deleted meanwhile)
 * keeps what the list said, unencrypted.
 */
export function rowOf(listed: AdminRoom, room: IRoom | undefined, e2eEnabled: boolean): GroupRow {
    const encrypted = room !== undefined && encryptedFlag(room) === true;
    const federated = listed.federated === true || (room !== undefined && isFederated(room));
    const activity = room && new Date((room.lastModifiedAt ?? unmapped(room).lm) as string | Date);
    const row: GroupRow = {
        id: listed._id,
        name: listed.name ?? '',
        displayName: listed.fname || listed.name || '',
        kind: listed.teamMain ? 'team' : listed.prid ? 'discussion' : 'group',
        encrypted,
        archived: listed.archived === true || (room !== undefined && isArchived(room)),
        federated,
        members: typeof listed.usersCount === 'number' ? listed.usersCount : 0,
        // A group nobody wrote in has no `lm`; an unreadable one is shown as none, not a failed report.
        lastActivity: activity && !Number.isNaN(activity.getTime()) && activity.getTime() > 0 ? activity.toISOString() : null,
    };
    if (!encrypted && (federated || !e2eEnabled)) {
        row.cannotEncrypt = federated ? 'federated' : 'e2e-disabled';
    }
    return row;
}

export interface CoverageTotals {
    groups: number;
    encrypted: number;
    notEncrypted: number;
    /** Of the groups not encrypted, those that cannot be now, and why. */
    cannotEncrypt: { total: number; federated: number; 'e2e-disabled': number };
    archived: number;
}

export function totalsOf(rows: ReadonlyArray<GroupRow>): CoverageTotals {
    const totals: CoverageTotals = {
        groups: rows.length,
        encrypted: 0,
        notEncrypted: 0,
        cannotEncrypt: { total: 0, federated: 0, 'e2e-disabled': 0 },
        archived: 0,
    };
    for (const row of rows) {
        totals[row.encrypted ? 'encrypted' : 'notEncrypted'] += 1;
        totals.archived += row.archived ? 1 : 0;
        if (row.cannotEncrypt) {
            totals.cannotEncrypt.total += 1;
            totals.cannotEncrypt[row.cannotEncrypt] += 1;
        }
    }
    return totals;
}
