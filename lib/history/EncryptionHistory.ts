import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

import { Serial } from './Serial';

/** Through which door a change came. */
export type Door = 'endpoint' | 'command' | 'panel' | 'guard' | 'core' | 'bulk';

export interface HistoryEntry {
    /** ISO time the app saw the change. */
    at: string;
    encrypted: boolean;
    door: Door;
    by: { id: string; username: string };
}

export interface GroupHistory {
    /** Newest last. */
    entries: Array<HistoryEntry>;
    /** When the app began to record (nothing before is known), or undefined if it has recorded nothing yet. */
    since?: string;
}

/** What one group's record holds, and what the index holds. */
interface GroupRecord {
    roomId: string;
    /** When the app began recording, for any group (copied from the index when the group's record was made). */
    since: string;
    entries: Array<HistoryEntry>;
}
interface IndexRecord {
    /** When the app began recording. */
    since: string;
    /**
     * Tracked groups, in the order they were first recorded: ids joined by commas, because under
     * vm2 (Rocket.Chat up to 6.10) every element of an array crossing into the app is wrapped one by
     * one, and the index is read each time a group is first recorded. Older records hold an array.
     */
    groups: string | Array<string>;
}

/** The newest changes kept per group, and the groups kept in all: the history never grows without bound. */
export const ENTRIES_PER_GROUP = 50;
export const GROUPS_KEPT = 2000;

const INDEX = [new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'encryption-history-index')];

/**
 * Every encryption change the app sees or makes, per group, in the app's own persistence. One record
 * per group: reading a group's history is one read, and recording a change to a group already known
 * is one read and one write, whatever the total. An index, touched only when a group is first
 * recorded, bounds how many groups are kept (the longest-tracked is dropped first) and holds the
 * moment recording began — nothing before it is known, and nothing is invented.
 */
export class EncryptionHistory {
    constructor(
        private readonly reader: Pick<IPersistenceRead, 'readByAssociations'>,
        private readonly writer?: Pick<IPersistence, 'updateByAssociations' | 'removeByAssociations'>,
        /** The app instance's one line for changes of the index (see Serial). */
        private readonly indexChanges: Serial = new Serial(),
    ) {}

    public async of(roomId: string): Promise<GroupHistory> {
        const group = await this.group(roomId);
        return { entries: group?.entries ?? [], since: group?.since ?? (await this.index())?.since };
    }

    /** Starts reading a group's record, so that recording a change right after needs only the write. */
    public prefetch(roomId: string): void {
        if (!this.pending.has(roomId)) {
            const read = this.group(roomId);
            read.catch(() => undefined);
            this.pending.set(roomId, read);
        }
    }

    private readonly pending = new Map<string, Promise<GroupRecord | undefined>>();

    public async record(roomId: string, entry: HistoryEntry): Promise<void> {
        if (!this.writer) {
            throw new Error('the history is read-only here');
        }
        const prefetched = this.pending.get(roomId);
        this.pending.delete(roomId);
        const group = await (prefetched ?? this.group(roomId));
        const since = group?.since ?? (await this.track(roomId, entry.at));
        const entries = [...(group?.entries ?? []), entry].slice(-ENTRIES_PER_GROUP);
        await this.writer.updateByAssociations(groupAssociations(roomId), { roomId, since, entries } satisfies GroupRecord, true);
    }

    /** A group recorded for the first time: into the index, the longest-tracked out if there are too many. */
    private track(roomId: string, at: string): Promise<string> {
        return this.indexChanges.run(() => this.addToIndex(roomId, at));
    }

    private async addToIndex(roomId: string, at: string): Promise<string> {
        const index = await this.index();
        const groups = [...idsOf(index?.groups), roomId];
        const dropped = groups.splice(0, Math.max(0, groups.length - GROUPS_KEPT));
        const since = index?.since ?? at;
        await this.writer!.updateByAssociations(INDEX, { since, groups: groups.join(',') } satisfies IndexRecord, true);
        for (const id of dropped) {
            await this.writer!.removeByAssociations(groupAssociations(id));
        }
        return since;
    }

    private async group(roomId: string): Promise<GroupRecord | undefined> {
        return (await this.reader.readByAssociations(groupAssociations(roomId)))[0] as GroupRecord | undefined;
    }

    private async index(): Promise<IndexRecord | undefined> {
        return (await this.reader.readByAssociations(INDEX))[0] as IndexRecord | undefined;
    }
}

/** A list of ids as the app stores it: joined by commas (room ids have none), or an array from before. */
export function idsOf(stored: string | Array<string> | undefined): Array<string> {
    return Array.isArray(stored) ? [...stored] : stored ? stored.split(',') : [];
}

function groupAssociations(roomId: string): Array<RocketChatAssociationRecord> {
    return [
        new RocketChatAssociationRecord(RocketChatAssociationModel.ROOM, roomId),
        new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'encryption-history'),
    ];
}
