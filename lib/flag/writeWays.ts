import type { IHttp, IModify, IServerSettingRead } from '@rocket.chat/apps-engine/definition/accessors';

import type { AppSettings, Credentials } from '../AppSettings';
import type { FlagWriter } from './FlagWriter';
import { RestApiWriter } from './RestApiWriter';
import { RoomModifierWriter } from './RoomModifierWriter';
import type { WriteWayMemory } from './WriteWayMemory';

/** The ways to write the flag, best first; later ones are only built if earlier ones fell short. */
export type WriteWays = (callerCredentials?: Credentials) => AsyncIterable<FlagWriter>;

export function writeWays(
    modify: Pick<IModify, 'getUpdater'>,
    http: Pick<IHttp, 'post'>,
    serverSettings: Pick<IServerSettingRead, 'getValueById'>,
    settings: AppSettings,
    memory: WriteWayMemory,
): WriteWays {
    return async function* ways(callerCredentials?: Credentials): AsyncGenerator<FlagWriter> {
        if (!memory.roomModifierIgnored) {
            yield new RoomModifierWriter(modify, memory);
        }

        const siteUrl = String((await serverSettings.getValueById('Site_Url')) ?? '').replace(/\/+$/, '');
        if (!siteUrl) {
            return;
        }
        if (callerCredentials) {
            yield RestApiWriter.asCaller(http, siteUrl, callerCredentials);
        }
        const serviceAccount = await settings.serviceAccount();
        if (serviceAccount) {
            yield RestApiWriter.asServiceAccount(http, siteUrl, serviceAccount);
        }
    };
}
