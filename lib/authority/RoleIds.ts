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
 * Turns the role names an admin types into the app's settings into the role ids the server
 * compares: built-in names are ids already; other names are looked up through the Apps-Engine
 * role reader, and the ids found are remembered per app instance. A name that is no role matches
 * nobody (and is looked up again next time, in case it was created since).
 */
export class RoleIds {
    private readonly found = new Map<string, string>();

    public async of(names: ReadonlyArray<string>, reader: RoleReader): Promise<Array<Role>> {
        const ids = await Promise.all(names.map((name) => this.idOf(name, reader)));
        return names.flatMap((name, i) => (ids[i] === undefined ? [] : [{ id: ids[i]!, name }]));
    }

    /** Of these names, those that are no role of the workspace (for the admin to correct). */
    public async unknown(names: ReadonlyArray<string>, reader: RoleReader): Promise<Array<string>> {
        const ids = await Promise.all(names.map((name) => this.idOf(name, reader)));
        return names.filter((_, i) => ids[i] === undefined);
    }

    private async idOf(name: string, reader: RoleReader): Promise<string | undefined> {
        if (BUILT_IN.has(name)) {
            return name;
        }
        if (!this.found.has(name)) {
            try {
                const id = (await reader.roles?.getOneByIdOrName(name, reader.appId))?.id;
                if (id) {
                    this.found.set(name, id);
                }
            } catch {
                // A server without the role bridge, or without the app's `role.read`: unknown.
            }
        }
        return this.found.get(name);
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
