import type { IRoomRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

export type RoomRoleReader = Pick<IRoomRead, 'getOwners' | 'getModerators' | 'getLeaders'>;

/**
 * Answers "does the caller hold one of these roles here", the way Rocket.Chat's `hasPermission`
 * does for a room: global roles from `user.roles`, room roles from the subscription, compared by
 * role id. Apps cannot ask for permissions directly, so the roles come from the permission table
 * (see Authority). Each room-role list
 * is fetched at most once per request, and only when a global role did not already answer.
 */
export class RoomRoles {
    private readonly roomRoleLists = new Map<string, Promise<Array<IUser>>>();

    constructor(
        private readonly rooms: RoomRoleReader,
        private readonly roomId: string,
        private readonly caller: IUser,
    ) {}

    public async holdsAny(allowed: ReadonlyArray<{ id: string }>): Promise<boolean> {
        const roles = allowed.map((role) => role.id);
        const globalRoles = this.caller.roles ?? [];
        if (roles.some((role) => globalRoles.includes(role))) {
            return true;
        }
        for (const role of roles) {
            const holders = this.holdersOf(role);
            if (holders && (await holders).some((user) => user.id === this.caller.id)) {
                return true;
            }
        }
        return false;
    }

    /** Only these room-scoped roles can be read by an app; a custom room role cannot be checked. */
    private holdersOf(role: string): Promise<Array<IUser>> | undefined {
        let list = this.roomRoleLists.get(role);
        if (!list) {
            list = this.fetchHolders(role);
            if (!list) {
                return undefined;
            }
            this.roomRoleLists.set(role, list);
        }
        return list;
    }

    private fetchHolders(role: string): Promise<Array<IUser>> | undefined {
        switch (role) {
            case 'owner':
                return this.rooms.getOwners(this.roomId);
            case 'moderator':
                return this.rooms.getModerators(this.roomId);
            case 'leader':
                return this.rooms.getLeaders(this.roomId);
            default:
                return undefined;
        }
    }
}
