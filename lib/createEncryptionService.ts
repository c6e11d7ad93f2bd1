import type { IHttp, ILogger, IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { AppSettings } from './AppSettings';
import { AuditNotice } from './AuditNotice';
import { EncryptionService } from './EncryptionService';
import { writeWays } from './flag/writeWays';
import type { WriteWayMemory } from './flag/WriteWayMemory';
import type { UserRoomIdsReader } from './Membership';
import type { RoomQueue } from './RoomQueue';

/** What the entry points are given: a service for the accessors of the call at hand. */
export type EncryptionServiceFactory = (read: IRead, modify: IModify, http: IHttp) => EncryptionService;

/** Builds the service from one call's accessors: the runtime hands out fresh ones per call. */
/** What lives as long as the app instance: lessons about the server, and the per-room queue. */
export interface AppInstanceState {
    memory: WriteWayMemory;
    queue: RoomQueue;
}

export function createEncryptionService(read: IRead, modify: IModify, http: IHttp, logger: ILogger, { memory, queue }: AppInstanceState): EncryptionService {
    const environment = read.getEnvironmentReader();
    const settings = new AppSettings(environment.getSettings());
    const serverSettings = environment.getServerSettings();
    return new EncryptionService({
        rooms: read.getRoomReader(),
        // Declared by newer engines only; Membership checks it at run time.
        users: read.getUserReader() as UserRoomIdsReader,
        serverSettings,
        settings,
        writeWays: writeWays(modify, http, serverSettings, settings, memory),
        notice: new AuditNotice(modify),
        queue,
        logger,
    });
}
