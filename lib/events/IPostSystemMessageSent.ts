import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';

/**
 * Apps-Engine 1.49+ (Rocket.Chat 7.4+) calls this after the server saved a system message — among
 * them the `room_e2e_enabled` / `room_e2e_disabled` that `saveRoomEncrypted` posts, whoever made
 * the change. The app is compiled against the 1.42.1 definitions, which do not have it, so it is
 * declared here by its name. The runtime dispatches by the names the packaged app.json lists under
 * `implements`; `rc-apps package` takes them from the main class's `implements` clause but drops
 * those the 1.42.1 engine does not know, so scripts/package-app.mjs puts them back.
 */
export interface IPostSystemMessageSent {
    executePostSystemMessageSent(message: IMessage, read: IRead, http: IHttp, persistence: IPersistence, modify: IModify): Promise<void>;
}
