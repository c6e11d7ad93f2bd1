import type { IAppAccessors, IConfigurationExtend, IConfigurationModify, IHttp, ILogger, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiSecurity, ApiVisibility } from '@rocket.chat/apps-engine/definition/api';
import { App } from '@rocket.chat/apps-engine/definition/App';
import type { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';

import { EncryptCommand } from './commands/EncryptCommand';
import { GetEncryptedEndpoint } from './endpoints/GetEncryptedEndpoint';
import { SetEncryptedEndpoint } from './endpoints/SetEncryptedEndpoint';
import { SETTINGS, SettingId } from './lib/AppSettings';
import { PermissionTable } from './lib/authority/PermissionTable';
import { RoleIds } from './lib/authority/RoleIds';
import { describeServiceAccount } from './lib/authority/ServiceAccountCheck';
import {
    type AppInstanceState,
    type EncryptionServiceFactory,
    type ServiceAccountCheck,
    createEncryptionService,
    serviceAccountCheck,
} from './lib/createEncryptionService';
import { WriteWayMemory } from './lib/flag/WriteWayMemory';
import { RoomQueue } from './lib/RoomQueue';

export class EncryptGroupApp extends App {
    /** What lives as long as this app instance (see AppInstanceState). */
    private readonly instance: AppInstanceState;

    constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
        super(info, logger, accessors);
        this.instance = { appId: info.id, memory: new WriteWayMemory(), queue: new RoomQueue(), table: new PermissionTable(), roleIds: new RoleIds() };
    }

    /** An admin changed the service account: check it at once and say the result in the app's log. */
    public async onSettingUpdated(setting: ISetting, _configurationModify: IConfigurationModify, read: IRead, http: IHttp): Promise<void> {
        if (setting.id !== SettingId.ServiceAccountUserId && setting.id !== SettingId.ServiceAccountToken) {
            return;
        }
        const report = await serviceAccountCheck(this.instance)(read, http);
        const fine = report.state === 'checked' && report.missing.length === 0 && !report.fullAdmin;
        this.getLogger()[fine ? 'info' : 'warn'](`Encrypt Group: ${describeServiceAccount(report)}`);
    }

    protected async extendConfiguration(configuration: IConfigurationExtend): Promise<void> {
        const services: EncryptionServiceFactory = (read, modify, http) => createEncryptionService(read, modify, http, this.getLogger(), this.instance);
        const serviceAccount: ServiceAccountCheck = serviceAccountCheck(this.instance);
        await Promise.all(SETTINGS.map((setting) => configuration.settings.provideSetting(setting)));
        await configuration.slashCommands.provideSlashCommand(new EncryptCommand(this, services, serviceAccount));
        await configuration.api.provideApi({
            visibility: ApiVisibility.PUBLIC,
            security: ApiSecurity.UNSECURE,
            endpoints: [new SetEncryptedEndpoint(this, services), new GetEncryptedEndpoint(this, services)],
        });
    }
}
