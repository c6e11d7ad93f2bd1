import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

/**
 * Through which door a change came: one of the app's own, Rocket.Chat itself (`core`, told by the
 * server's event), or found by the reconcile: a change nobody told the app of (`unseen`), and the
 * reconcile's own switch-back (`reconcile`).
 */
export type Door = 'endpoint' | 'command' | 'panel' | 'guard' | 'core' | 'bulk' | 'reconcile' | 'unseen';

export interface HistoryEntry {
    /** ISO time the app saw (or, for `unseen`, found) the change. */
    at: string;
    encrypted: boolean;
    door: Door;
    /** Who made it; not known for a change the app did not see (`unseen`). */
    by?: { id: string; username: string };
    /** For the reconcile's switch-back: when it found the group switched off. */
    foundAt?: string;
    /**
     * For a switch-off the reconcile found while turning off was not allowed: the switch-back it
     * wants. Until one is recorded, the group stays protected (see reconcile). Not shown.
     */
    pending?: boolean;
}

/** One change as the app stores it: written once, never rewritten; `key` names it for removal. */
interface ChangeRecord extends HistoryEntry {
    kind: 'change';
    roomId: string;
    key: string;
}

/** Left by pruning: the group's changes before `before` were dropped. */
interface PrunedRecord {
    kind: 'pruned';
    roomId: string;
    before: string;
}

/** A group's record from before the history was a log: every entry in one record, rewritten per change. */
interface LegacyGroupRecord {
    roomId: string;
    since: string;
    entries: Array<HistoryEntry>;
}

/** A change with the group it belongs to and its key, as the reconcile reads them all. */
export type StoredChange = HistoryEntry & { roomId: string; key: string };

/** The newest changes kept per group; older ones are pruned by the reconcile, off the toggle path. */
export const ENTRIES_PER_GROUP = 50;

const CHANGES = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'encryption-change');
const PRUNED = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'encryption-history-pruned');
/** What the history was before it was a log: one record per group, and an index of groups. */
const LEGACY_GROUPS = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'encryption-history');
const LEGACY_INDEX = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'encryption-history-index');

const room = (roomId: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.ROOM, roomId);
const named = (key: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, `encryption-change:${key}`);

/**
 * Every encryption change the app sees, makes or finds, in the app's own persistence, as a log: a
 * change is one record, written once, associated with its group, so reading one group is one
 * indexed read whatever the workspace holds, and no group's changes can push another's out.
 * Apps-Engine persistence has no compare-and-set: nothing here reads and rewrites a shared record,
 * so two writers (two app instances, or two calls) never lose each other's changes. A change the
 * app makes through a person's door is one write and no read. A change whose key derives from what
 * caused it (a server message, a job and group, a finding) is looked up first and written by upsert,
 * so a second writer of the same change — a retry, a second instance — adds nothing.
 */
export class EncryptionHistory {
    constructor(
        private readonly reader: Pick<IPersistenceRead, 'readByAssociations'>,
        private readonly writer?: Pick<IPersistence, 'createWithAssociations' | 'updateByAssociations' | 'removeByAssociations'>,
    ) {}

    /**
     * Records one change; gives back its key. With a `key`, the change is that one, whoever records
     * it, and the first record stands: a second one (a retry, another instance's run that read the
     * history before the first wrote) may come after the write it announces has landed, and its
     * moment would then put the change after the server's notice of it, where the guard no longer
     * finds it as the app's. Without a key, a new one is made.
     */
    public async record(roomId: string, entry: HistoryEntry, key?: string): Promise<string> {
        const writer = this.writable();
        if (key !== undefined && (await this.reader.readByAssociations([room(roomId), named(key)])).length > 0) {
            return key;
        }
        const stored: ChangeRecord = { kind: 'change', roomId, key: key ?? newKey(), ...entry };
        const associations = [room(roomId), CHANGES, named(stored.key)];
        await (key === undefined ? writer.createWithAssociations(stored, associations) : writer.updateByAssociations(associations, stored, true));
        return stored.key;
    }

    /** A change recorded ahead of its write that did not happen after all. */
    public async withdraw(roomId: string, key: string): Promise<void> {
        await this.writable().removeByAssociations([room(roomId), named(key)]);
    }

    /** One group's changes, oldest first (at most ENTRIES_PER_GROUP), and since when they are complete. */
    public async of(roomId: string): Promise<{ entries: Array<HistoryEntry>; prunedBefore?: string }> {
        const records = (await this.reader.readByAssociations([room(roomId)])) as Array<ChangeRecord | PrunedRecord | LegacyGroupRecord>;
        const changes: Array<StoredChange> = [];
        let prunedBefore: string | undefined;
        for (const record of records) {
            if ('kind' in record && record.kind === 'change') {
                changes.push(record);
            } else if ('kind' in record && record.kind === 'pruned') {
                prunedBefore = later(prunedBefore, record.before);
            } else if ('entries' in record && Array.isArray(record.entries)) {
                // Not carried over yet (the reconcile does that when the app starts): read as it is.
                changes.push(...legacyChanges(roomId, record.entries));
            }
        }
        const newest = inOrder(changes).slice(-ENTRIES_PER_GROUP);
        if (changes.length > newest.length) {
            prunedBefore = later(prunedBefore, newest[0].at);
        }
        return { entries: newest.map(entryOf), prunedBefore };
    }

    /** Every change of every group (for the reconcile, which runs once per period across the cluster). */
    public async all(): Promise<Array<StoredChange>> {
        return inOrder((await this.reader.readByAssociations([CHANGES])) as Array<ChangeRecord>);
    }

    /**
     * Drops a group's oldest changes beyond ENTRIES_PER_GROUP (`changes`: that group's, oldest
     * first), leaving a mark that its history is complete only from the oldest one kept.
     */
    public async prune(roomId: string, changes: ReadonlyArray<StoredChange>): Promise<number> {
        const dropped = changes.slice(0, Math.max(0, changes.length - ENTRIES_PER_GROUP));
        if (dropped.length === 0) {
            return 0;
        }
        const writer = this.writable();
        const kept = changes[dropped.length];
        await writer.updateByAssociations([room(roomId), PRUNED], { kind: 'pruned', roomId, before: kept.at } satisfies PrunedRecord, true);
        for (const change of dropped) {
            await writer.removeByAssociations([room(roomId), named(change.key)]);
        }
        return dropped.length;
    }

    /**
     * Carries records of the format before the log over into it: every entry becomes a change, with
     * a key made from the old record, so a second run (or a second instance) adds nothing; the old
     * records go. Gives back when the old history began recording, if there was one.
     */
    public async carryOver(): Promise<{ since?: string; changes: number }> {
        const [groups, index] = await Promise.all([this.reader.readByAssociations([LEGACY_GROUPS]), this.reader.readByAssociations([LEGACY_INDEX])]);
        let count = 0;
        for (const group of groups as Array<Partial<LegacyGroupRecord>>) {
            if (typeof group.roomId !== 'string' || !Array.isArray(group.entries)) {
                continue;
            }
            for (const change of legacyChanges(group.roomId, group.entries)) {
                await this.record(group.roomId, entryOf(change), change.key);
                count++;
            }
            await this.writable().removeByAssociations([room(group.roomId), LEGACY_GROUPS]);
        }
        const since = (index[0] as { since?: unknown } | undefined)?.since;
        if (index.length) {
            await this.writable().removeByAssociations([LEGACY_INDEX]);
        }
        return { since: typeof since === 'string' ? since : undefined, changes: count };
    }

    private writable() {
        if (!this.writer) {
            throw new Error('the history is read-only here');
        }
        return this.writer;
    }
}

/** Oldest first; changes of the same moment in the order of their keys, so every reader agrees. */
export function inOrder<T extends { at: string; key: string }>(changes: Array<T>): Array<T> {
    return changes.sort((a, b) => (a.at === b.at ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.at < b.at ? -1 : 1));
}

function entryOf({ at, encrypted, door, by, foundAt }: HistoryEntry): HistoryEntry {
    return { at, encrypted, door, ...(by && { by: { id: by.id, username: by.username } }), ...(foundAt && { foundAt }) };
}

function legacyChanges(roomId: string, entries: Array<HistoryEntry>): Array<StoredChange> {
    return entries.map((entry, index) => ({ ...entryOf(entry), roomId, key: `carried:${roomId}:${index}:${entry.at}` }));
}

function later(a: string | undefined, b: string | undefined): string | undefined {
    return a === undefined || (b !== undefined && b > a) ? b : a;
}

/** Unique enough across instances: time, then randomness. */
export function newKey(): string {
    return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
}
