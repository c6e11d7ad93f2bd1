// The engine's own storages (installed apps, their zips, their logs), in the stand-in's database as
// Rocket.Chat keeps them in MongoDB (`rocketchat_apps`, GridFS, `rocketchat_apps_logs`): every
// instance of a cluster reads the app another one installed. The engine only needs these abstract
// classes implemented.
import { engineModule, type HostState } from './bridges';
import { Collection } from '../storage/Database';
import { newId } from '../storage/Storage';

/**
 * The log entries kept, all apps together; the oldest go first. More than one e2e profile writes
 * (about 1,800): the e2e check of the app's log reads every record a suite wrote.
 */
const MAX_LOG_ENTRIES = 5000;

/** In-memory `AppMetadataStorage`, `AppSourceStorage` and `AppLogStorage` for the engine. */
export function createStorages(state: HostState): { metadataStorage: any; sourceStorage: any; logStorage: any } {
    const storage = engineModule(state, 'server/storage');
    const { database } = state.server.storage;
    const items = new Collection<any>(database, 'engine_apps');
    const sources = new Collection<Buffer>(database, 'engine_app_sources');
    const logs = new Collection<any>(database, 'engine_app_logs', [(entry) => entry.appId]);
    const metadataStorage = new (class extends storage.AppMetadataStorage {
        constructor() {
            super('memory');
        }
        async create(item: any) {
            const stored = { ...item, _id: item._id ?? item.id, createdAt: new Date(), updatedAt: new Date() };
            items.set(item.id, stored);
            return stored;
        }
        async retrieveOne(id: string) {
            return items.get(id) ?? null;
        }
        async retrieveAll() {
            return new Map(items.entries());
        }
        async retrieveAllPrivate() {
            return new Map(items.entries());
        }
        async update(item: any) {
            items.set(item.id, { ...items.get(item.id), ...item, updatedAt: new Date() });
            return items.get(item.id);
        }
        async updatePartialAndReturnDocument(item: any) {
            return this.update(item);
        }
        async updateStatus(id: string, status: string) {
            items.update(id, (item) => ({ ...item, status }));
            return true;
        }
        async updateSetting(id: string, setting: any) {
            items.update(id, (item) => ({ ...item, settings: { ...item.settings, [setting.id]: setting } }));
            return true;
        }
        async updateAppInfo(id: string, info: any) {
            items.update(id, (item) => ({ ...item, info }));
            return true;
        }
        async updateMarketplaceInfo() {
            return true;
        }
        async remove(id: string) {
            items.delete(id);
            return { success: true };
        }
    })();
    const sourceStorage = storage.AppSourceStorage
        ? new (class extends storage.AppSourceStorage {
              async store(item: any, zip: Buffer) {
                  sources.set(item.id, zip);
                  return `memory:${item.id}`;
              }
              async fetch(item: any) {
                  return sources.get(item.id);
              }
              async update(item: any, zip: Buffer) {
                  return this.store(item, zip);
              }
              async remove(item: any) {
                  sources.delete(item.id);
              }
          })()
        : undefined;
    // Rocket.Chat's `AppRealLogStorage` (apps/meteor/ee/server/apps/storage/AppRealLogStorage.ts):
    // each entry a document of `rocketchat_apps_logs`, as the engine builds it (`AppConsole.toStorageEntry`:
    // appId, method, entries [{severity, timestamp, caller, args, method}], start/end/total time,
    // `_createdAt`) with the `_id` and `_updatedAt` every insert gets. Read newest first.
    const { AppConsole } = engineModule(state, 'server/logging');
    const logStorage = new (class extends storage.AppLogStorage {
        constructor() {
            super('memory');
        }
        async storeEntries(...args: Array<any>) {
            // 1.46 and 1.62 pass one entry; 1.42 passes (appId, AppConsole).
            const entry = { ...(args.length === 1 ? args[0] : AppConsole.toStorageEntry(args[0], args[1])), _id: newId(), _updatedAt: new Date() };
            for (const line of entry.entries ?? []) {
                if (line.severity === 'error' || line.severity === 'warning') {
                    state.log(`app ${line.severity}: ${JSON.stringify(line.args)}`);
                }
            }
            logs.set(entry._id, entry);
            logs.trim(MAX_LOG_ENTRIES);
            return entry;
        }
        async getEntriesFor(appId: string) {
            return logs.where(0, appId);
        }
        async removeEntriesFor(appId: string) {
            for (const entry of logs.where(0, appId)) {
                logs.delete(entry._id);
            }
        }
        /** 1.42 and 1.46: the entries matching `query` (its fields by equality), newest first. */
        async find(query: Record<string, unknown> = {}, options: { skip?: number; limit?: number } = {}) {
            return (await this.findPaginated(query, options)).logs;
        }
        /** 1.62: one page of them and how many there are. */
        async findPaginated(query: Record<string, unknown> = {}, options: { skip?: number; limit?: number } = {}) {
            const candidates = typeof query.appId === 'string' ? logs.where(0, query.appId) : [...logs.values()];
            const matching = candidates.filter((entry) => Object.entries(query).every(([field, value]) => entry[field] === value)).reverse();
            const skip = options.skip ?? 0;
            return { logs: matching.slice(skip, options.limit ? skip + options.limit : undefined), total: matching.length };
        }
    })();
    return { metadataStorage, sourceStorage, logStorage };
}
