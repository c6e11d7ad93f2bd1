// The one database behind the stand-in's collections, as MongoDB is Rocket.Chat's: SQLite through
// better-sqlite3, synchronous like the in-memory maps it replaced, so the rules in ../core read and
// write it without awaiting. One instance keeps it in memory; the instances of a cluster
// (../cluster) open one file, so what one saves every other one reads at once, as Rocket.Chat's
// instances share one replica set.
//
// Documents are stored whole (node:v8's serializer, which keeps Dates and undefined as they were)
// and read back as copies: a change is written with `set` or `update`, never by editing what a read
// returned, as a Mongo document is changed by an update and not by editing a fetched object.
import { deserialize, serialize } from 'node:v8';

import Sqlite from 'better-sqlite3';

export class Database {
    public readonly sql: Sqlite.Database;

    /** `path`: a file every instance of a cluster opens; none: this process's own, in memory. */
    constructor(path?: string) {
        this.sql = new Sqlite(path ?? ':memory:');
        if (path) {
            // Readers never wait for the writer; a writer waits for another at most this long.
            this.sql.pragma('journal_mode = WAL');
            this.sql.pragma('busy_timeout = 10000');
        }
        // A test database: nothing must survive a power cut, so no fsync on every commit.
        this.sql.pragma('synchronous = OFF');
    }

    /**
     * Runs `work` as one write that no other instance interleaves with (BEGIN IMMEDIATE): what a
     * Mongo `findOneAndUpdate` does for one document. Nested calls join the outer one.
     */
    public atomically<T>(work: () => T): T {
        return this.sql.transaction(work).immediate();
    }

    public close(): void {
        this.sql.close();
    }
}

/** A secondary index of a collection: the value a document is looked up by, if it has one. */
export type IndexOf<V> = (value: V) => string | undefined;

interface Row {
    key: string;
    doc: Buffer;
}

/**
 * A collection of documents by key, with the `Map` reads the stand-in's code uses (`get`, `has`,
 * `values`, `size`, iteration in insertion order) and up to two secondary indexes, which `where`
 * reads without a scan. Every read is a copy.
 */
export class Collection<V> implements Iterable<[string, V]> {
    private readonly statements: ReturnType<Collection<V>['prepare']>;

    constructor(
        private readonly database: Database,
        private readonly table: string,
        private readonly indexes: Array<IndexOf<V>> = [],
    ) {
        database.sql.exec(
            `CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, i0 TEXT, i1 TEXT, doc BLOB NOT NULL);
             CREATE INDEX IF NOT EXISTS ${table}_i0 ON ${table} (i0);
             CREATE INDEX IF NOT EXISTS ${table}_i1 ON ${table} (i1);`,
        );
        this.statements = this.prepare();
    }

    private prepare() {
        const { sql } = this.database;
        const table = this.table;
        return {
            get: sql.prepare<[string], Row>(`SELECT key, doc FROM ${table} WHERE key = ?`),
            all: sql.prepare<[], Row>(`SELECT key, doc FROM ${table} ORDER BY rowid`),
            keys: sql.prepare<[], { key: string }>(`SELECT key FROM ${table} ORDER BY rowid`),
            count: sql.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`),
            where: [0, 1].map((i) => sql.prepare<[string], Row>(`SELECT key, doc FROM ${table} WHERE i${i} = ? ORDER BY rowid`)),
            upsert: sql.prepare(
                `INSERT INTO ${table} (key, i0, i1, doc) VALUES (?, ?, ?, ?)
                 ON CONFLICT (key) DO UPDATE SET i0 = excluded.i0, i1 = excluded.i1, doc = excluded.doc`,
            ),
            delete: sql.prepare<[string]>(`DELETE FROM ${table} WHERE key = ?`),
            clear: sql.prepare(`DELETE FROM ${table}`),
        };
    }

    public get(key: string): V | undefined {
        const row = this.statements.get.get(key);
        return row && (deserialize(row.doc) as V);
    }

    public has(key: string): boolean {
        return this.statements.get.get(key) !== undefined;
    }

    public set(key: string, value: V): this {
        const [i0, i1] = [0, 1].map((i) => this.indexes[i]?.(value) ?? null);
        this.statements.upsert.run(key, i0, i1, serialize(document(value)));
        return this;
    }

    public delete(key: string): boolean {
        return this.statements.delete.run(key).changes > 0;
    }

    public clear(): void {
        this.statements.clear.run();
    }

    /**
     * Reads the document, lets `change` edit it (or return a replacement), and writes it back, all
     * in one atomic write. Returns what is stored after, or undefined when there is no such document.
     */
    public update(key: string, change: (value: V) => V | void): V | undefined {
        return this.updateIf(key, () => true, change);
    }

    /**
     * `findOneAndUpdate({_id, …filter}, …)`: `update`, only when the document as it is now passes
     * `when`, checked in the same atomic write. Returns what is stored after, or undefined when
     * nothing matched.
     */
    public updateIf(key: string, when: (value: V) => boolean, change: (value: V) => V | void): V | undefined {
        return this.database.atomically(() => {
            const current = this.get(key);
            if (current === undefined || !when(current)) {
                return undefined;
            }
            const next = change(current) ?? current;
            this.set(key, next);
            return next;
        });
    }

    public get size(): number {
        return this.statements.count.get()!.n;
    }

    public values(): IterableIterator<V> {
        const rows = this.statements.all.all();
        return rows.map((row) => deserialize(row.doc) as V).values();
    }

    public keys(): IterableIterator<string> {
        const rows = this.statements.keys.all();
        return rows.map((row) => row.key).values();
    }

    public entries(): IterableIterator<[string, V]> {
        const rows = this.statements.all.all();
        return rows.map((row): [string, V] => [row.key, deserialize(row.doc) as V]).values();
    }

    public [Symbol.iterator](): IterableIterator<[string, V]> {
        return this.entries();
    }

    /** Removes all but the newest `kept` documents (a capped collection). */
    public trim(kept: number): void {
        this.database.sql.prepare(`DELETE FROM ${this.table} WHERE rowid <= (SELECT max(rowid) FROM ${this.table}) - ?`).run(kept);
    }

    /** The documents whose index `index` (0 or 1) holds `value`, in insertion order. */
    public where(index: 0 | 1, value: string): Array<V> {
        return this.statements.where[index].all(value).map((row) => deserialize(row.doc) as V);
    }
}

/**
 * A copy of a value as a database round trip gives it: plain objects, arrays, Dates and Buffers,
 * without undefined fields or functions, nothing shared with the caller. Read field by field,
 * since what comes from the vm2 sandbox (Apps-Engine 1.42) is proxied, and neither
 * `structuredClone` nor the serializer takes proxies.
 */
export function document<T>(value: T): T {
    if (Array.isArray(value)) {
        // `Array.from` is this side's own: a sandboxed array's `map` runs in the sandbox and answers another proxy.
        return Array.from(value as Array<unknown>, (item) => document(item)) as T;
    }
    if (value instanceof Date) {
        return new Date(value.getTime()) as T;
    }
    if (Object.prototype.toString.call(value) === '[object Date]') {
        // A sandboxed Date: its own toISOString keeps the milliseconds, which its text would drop.
        return new Date((value as unknown as Date).toISOString()) as T;
    }
    if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([, field]) => field !== undefined && typeof field !== 'function')
                .map(([key, field]) => [key, document(field)]),
        ) as T;
    }
    return value;
}
