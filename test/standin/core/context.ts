// What the core functions work on: the database, the version's profile, and the hooks through
// which the server tells installed apps what happened (Apps-Engine events).
import type { ServerProfile } from '../generations';
import type { RawMessage, Storage } from '../storage/Storage';

export interface AppEvents {
    /** `IPostSystemMessageSent`, fired by `Message.saveSystemMessage` (Apps-Engine 1.49+). */
    systemMessageSent(message: RawMessage): void;
}

export interface ServerContext {
    storage: Storage;
    profile: ServerProfile;
    events: AppEvents;
}
