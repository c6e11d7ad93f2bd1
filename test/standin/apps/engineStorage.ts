// The engine's own storages (installed apps, their zips, their logs), in memory. Rocket.Chat keeps
// them in MongoDB; the engine only needs these abstract classes implemented.
import { engineModule, type HostState } from './bridges';

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
    const logStorage = new (class extends storage.AppLogStorage {
        constructor() {
            super('memory');
        }
        async storeEntries(...args: Array<any>) {
            // 1.46 and 1.62 pass one entry; 1.42 passes (appId, AppConsole).
            const entry = args.length === 1 ? args[0] : { appId: args[0], method: args[1].getMethod(), entries: args[1].getEntries() };
            for (const line of entry.entries ?? []) {
                if (line.severity === 'error' || line.severity === 'warning') {
                    state.log(`app ${line.severity}: ${JSON.stringify(line.args)}`);
                }
            }
            logs.push(entry);
            if (logs.length > 500) {
                logs.shift();
            }
            return entry;
        }
        async getEntriesFor(appId: string) {
            return logs.filter((entry) => entry.appId === appId);
        }
        async removeEntriesFor() {
            logs.length = 0;
        }
        async find() {
            return logs;
        }
        async findPaginated() {
            return { logs, total: logs.length };
        }
    })();
    return { metadataStorage, sourceStorage, logStorage };
}
