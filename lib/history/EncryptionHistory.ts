import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

/** Through which door a change came. */
export type Door = 'endpoint' | 'command' | 'guard' | 'core';

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
    entries: Array<HistoryEntry>;
}
interface IndexRecord {
    /** Tracked groups, least recently changed first. */
    groups: Array<string>;
}
interface SinceRecord {
    since: string;
}

/** The newest changes kept per group, and the groups kept in all: the history never grows without bound. */
export const ENTRIES_PER_GROUP = 50;
export const GROUPS_KEPT = 2000;

const kind = (name: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, name);

/**
 * Every encryption change the app sees or makes, per group, in the app's own persistence: one
 * record per group (so reading a group's history costs the same whatever the total), an index that
 * bounds how many groups are kept (the least recently changed is dropped first), and the moment
 * recording began (nothing before it is known, and nothing is invented).
 */
export class EncryptionHistory {
    constructor(
        private readonly reader: Pick<IPersistenceRead, 'readByAssociations'>,
        private readonly writer?: Pick<IPersistence, 'updateByAssociations' | 'removeByAssociations'>,
    ) {}

    public async of(roomId: string): Promise<GroupHistory> {
        const [group, since] = await Promise.all([this.group(roomId), this.one<SinceRecord>('encryption-history-since')]);
        return { entries: group?.entries ?? [], since: since?.since };
    }

    public async record(roomId: string, entry: HistoryEntry): Promise<void> {
        if (!this.writer) {
            throw new Error('the history is read-only here');
        }
        const [group, index, since] = await Promise.all([
            this.group(roomId),
            this.one<IndexRecord>('encryption-history-index'),
            this.one<SinceRecord>('encryption-history-since'),
        ]);
        if (!since) {
            await this.writer.updateByAssociations([kind('encryption-history-since')], { since: entry.at } satisfies SinceRecord, true);
        }
        const entries = [...(group?.entries ?? []), entry].slice(-ENTRIES_PER_GROUP);
        await this.writer.updateByAssociations(groupAssociations(roomId), { roomId, entries } satisfies GroupRecord, true);
        const groups = [...(index?.groups ?? []).filter((id) => id !== roomId), roomId];
        const dropped = groups.splice(0, Math.max(0, groups.length - GROUPS_KEPT));
        await this.writer.updateByAssociations([kind('encryption-history-index')], { groups } satisfies IndexRecord, true);
        for (const id of dropped) {
            await this.writer.removeByAssociations(groupAssociations(id));
        }
    }

    private async group(roomId: string): Promise<GroupRecord | undefined> {
        return (await this.reader.readByAssociations(groupAssociations(roomId)))[0] as GroupRecord | undefined;
    }

    private async one<T>(name: string): Promise<T | undefined> {
        return (await this.reader.readByAssociations([kind(name)]))[0] as T | undefined;
    }
}

function groupAssociations(roomId: string): Array<RocketChatAssociationRecord> {
    return [new RocketChatAssociationRecord(RocketChatAssociationModel.ROOM, roomId), kind('encryption-history')];
}
