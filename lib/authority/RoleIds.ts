import type { IRoleRead } from '@rocket.chat/apps-engine/definition/accessors';

/**
 * Rocket.Chat's built-in roles, whose id is their name. Custom roles (an Enterprise feature) have
 * a random id and a name an admin chose; users and the permission table hold ids.
 */
const BUILT_IN = new Set([
    'admin',
    'moderator',
    'owner',
    'leader',
    'user',
    'bot',
    'app',
    'guest',
    'anonymous',
    'livechat-agent',
    'livechat-manager',
    'livechat-monitor',
]);

/**
 * How long a custom role's id found by name is used before the name is looked up again. An admin
 * may rename a custom role, or delete it and give its name to another: the setting's name must then
 * narrow to the role that has that name now, not to the one it had when the app started. Role
 * settings changed in this instance forget every id at once (see forget); this bounds the rest — a
 * role renamed in Rocket.Chat, or a setting changed through another instance.
 */
export const REMAP_MS = 5 * 60_000;

/**
 * Turns the role names an admin types into the app's settings into the role ids the server
 * compares: built-in names are ids already; other names are looked up through the Apps-Engine
 * role reader, and the ids found are kept per app instance for at most REMAP_MS, which saves a
 * lookup per name and decision. A name that is no role matches nobody (and is looked up again next
 * time, in case it was created since); so does a name whose lookup fails — an id is never kept past
 * its time because the reader could not be asked.
 */
export class RoleIds {
    private readonly found = new Map<string, { id: string; at: number }>();

    constructor(private readonly now: () => number = Date.now) {}

    public async of(names: ReadonlyArray<string>, reader: RoleReader): Promise<Array<Role>> {
        const ids = await Promise.all(names.map((name) => this.idOf(name, reader)));
        return names.flatMap((name, i) => (ids[i] === undefined ? [] : [{ id: ids[i]!, name }]));
    }

    /** Of these names, those that are no role of the workspace (for the admin to correct). */
    public async unknown(names: ReadonlyArray<string>, reader: RoleReader): Promise<Array<string>> {
        const ids = await Promise.all(names.map((name) => this.idOf(name, reader)));
        return names.filter((_, i) => ids[i] === undefined);
    }

    /** The role settings changed: every name is looked up again. */
    public forget(): void {
        this.found.clear();
    }

    private async idOf(name: string, reader: RoleReader): Promise<string | undefined> {
        if (BUILT_IN.has(name)) {
            return name;
        }
        const known = this.found.get(name);
        if (known && this.now() - known.at < REMAP_MS) {
            return known.id;
        }
        this.found.delete(name);
        try {
            const id = (await reader.roles?.getOneByIdOrName(name, reader.appId))?.id;
            if (id) {
                this.found.set(name, { id, at: this.now() });
            }
            return id || undefined;
        } catch {
            // A server without the role bridge, or without the app's `role.read`: unknown.
            return undefined;
        }
    }
}

/** A role as the server compares it (`id`) and as the admin named it (`name`). */
export interface Role {
    id: string;
    name: string;
}

/** Whether a name is one of Rocket.Chat's built-in roles. */
export function isBuiltInRole(name: string): boolean {
    return BUILT_IN.has(name);
}

/** The role reader of the call at hand, and the app's id it asks with. */
export interface RoleReader {
    roles?: Pick<IRoleRead, 'getOneByIdOrName'>;
    appId: string;
}
