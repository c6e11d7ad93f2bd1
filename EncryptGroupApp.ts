import type { IAppAccessors, IConfigurationExtend, ILogger } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiSecurity, ApiVisibility } from '@rocket.chat/apps-engine/definition/api';
import { App } from '@rocket.chat/apps-engine/definition/App';
import type { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';

import { EncryptCommand } from './commands/EncryptCommand';
import { GetEncryptedEndpoint } from './endpoints/GetEncryptedEndpoint';
import { SetEncryptedEndpoint } from './endpoints/SetEncryptedEndpoint';
import { SETTINGS } from './lib/AppSettings';
import { createEncryptionService, type EncryptionServiceFactory } from './lib/createEncryptionService';
import { WriteWayMemory } from './lib/flag/WriteWayMemory';
import { RoomQueue } from './lib/RoomQueue';

export class EncryptGroupApp extends App {
    constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
        super(info, logger, accessors);
    }

    protected async extendConfiguration(configuration: IConfigurationExtend): Promise<void> {
        const instance = { memory: new WriteWayMemory(), queue: new RoomQueue() };
        const services: EncryptionServiceFactory = (read, modify, http) => createEncryptionService(read, modify, http, this.getLogger(), instance);
        await Promise.all(SETTINGS.map((setting) => configuration.settings.provideSetting(setting)));
        await configuration.slashCommands.provideSlashCommand(new EncryptCommand(this, services));
        await configuration.api.provideApi({
            visibility: ApiVisibility.PUBLIC,
            security: ApiSecurity.UNSECURE,
            endpoints: [new SetEncryptedEndpoint(this, services), new GetEncryptedEndpoint(this, services)],
        });
    }
}
