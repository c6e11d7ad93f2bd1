import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { ApiEndpoint, type IApiEndpointInfo, type IApiRequest, type IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import type { EncryptionServiceFactory } from '../lib/createEncryptionService';
import { describeError } from '../lib/describeError';
import { isRefusal } from '../lib/Refusal';
import { internalError, refused, success, unauthorized } from './responses';

/** `GET …/groups.getEncrypted?roomId=|roomName=`: whether a group is encrypted and whether the caller may change it. */
export class GetEncryptedEndpoint extends ApiEndpoint {
    public path = 'groups.getEncrypted';
    public authRequired = true;

    constructor(
        app: IApp,
        private readonly services: EncryptionServiceFactory,
    ) {
        super(app);
    }

    public async get(
        request: IApiRequest,
        _endpoint: IApiEndpointInfo,
        read: IRead,
        modify: IModify,
        http: IHttp,
        _persistence: IPersistence,
    ): Promise<IApiResponse> {
        if (!request.user) {
            return unauthorized();
        }
        try {
            const status = await this.services(read, modify, http).status(request.user, request.query ?? {});
            return isRefusal(status) ? refused(status) : success({ encrypted: status.encrypted, canToggle: status.canToggle });
        } catch (error) {
            this.app.getLogger().error('Encrypt Group: groups.getEncrypted failed', describeError(error));
            return internalError();
        }
    }
}
