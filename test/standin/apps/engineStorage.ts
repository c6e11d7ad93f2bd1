// The engine's own storages (installed apps, their zips, their logs), in memory. Rocket.Chat keeps
// them in MongoDB; the engine only needs these abstract classes implemented.
import { engineModule, type HostState } from './bridges';
import { newId } from '../storage/Storage';

/**
 * The log entries kept, all apps together; the oldest go first. More than one e2e profile writes
 * (about 1,800): the e2e check of the app's log reads every record a suite wrote.
 */
const MAX_LOG_ENTRIES = 5000;

/** In-memory `AppMetadataStorage`, `AppSourceStorage` and `AppLogStorage` for the engine. */
export function createStorages(state: HostState): { metadataStorage: any; sourceStorage: any; logStorage: any } {
    const storage = engineModule(state, 'server/storage');
    const items = new Map<string, any>();
    const sources = new Map<string, Buffer>();
    const logs: Array<any> = [];
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
            return new Map(items);
        }
        async retrieveAllPrivate() {
            return new Map(items);
        }
        async update(item: any) {
            items.set(item.id, { ...items.get(item.id), ...item, updatedAt: new Date() });
            return items.get(item.id);
        }
        async updatePartialAndReturnDocument(item: any) {
            return this.update(item);
        }
        async updateStatus(id: string, status: string) {
            items.set(id, { ...items.get(id), status });
            return true;
        }
        async updateSetting(id: string, setting: any) {
            const item = items.get(id);
            item.settings = { ...item.settings, [setting.id]: setting };
            return true;
        }
        async updateAppInfo(id: string, info: any) {
            items.set(id, { ...items.get(id), info });
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
            logs.push(entry);
            if (logs.length > MAX_LOG_ENTRIES) {
                logs.shift();
            }
            return entry;
        }
        async getEntriesFor(appId: string) {
            return logs.filter((entry) => entry.appId === appId);
        }
        async removeEntriesFor(appId: string) {
            const kept = logs.filter((entry) => entry.appId !== appId);
            logs.splice(0, logs.length, ...kept);
        }
        /** 1.42 and 1.46: the entries matching `query` (its fields by equality), newest first. */
        async find(query: Record<string, unknown> = {}, options: { skip?: number; limit?: number } = {}) {
            return (await this.findPaginated(query, options)).logs;
        }
        /** 1.62: one page of them and how many there are. */
        async findPaginated(query: Record<string, unknown> = {}, options: { skip?: number; limit?: number } = {}) {
            const matching = logs.filter((entry) => Object.entries(query).every(([field, value]) => entry[field] === value)).reverse();
            const skip = options.skip ?? 0;
            return { logs: matching.slice(skip, options.limit ? skip + options.limit : undefined), total: matching.length };
        }
    })();
    return { metadataStorage, sourceStorage, logStorage };
}
