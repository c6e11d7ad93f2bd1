import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { ApiEndpoint, type IApiEndpointInfo, type IApiRequest, type IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import type { EncryptionServiceFactory } from '../lib/createEncryptionService';
import { groupView } from '../lib/GroupView';
import { describeError } from '../lib/describeError';
import { isRefusal } from '../lib/Refusal';
import { bodyObject, callerCredentials, internalError, refused, success, unauthorized } from './responses';

/** `POST …/groups.setEncrypted`: Rocket.Chat's route of that name, answered the same way. */
export class SetEncryptedEndpoint extends ApiEndpoint {
    public path = 'groups.setEncrypted';
    public authRequired = true;

    constructor(
        app: IApp,
        private readonly services: EncryptionServiceFactory,
    ) {
        super(app);
    }

    public async post(
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
        const body = bodyObject(request.content);
        try {
            const result = await this.services(read, modify, http).setEncrypted({
                caller: request.user,
                target: body,
                encrypted: body.encrypted,
                credentials: callerCredentials(request),
            });
            return isRefusal(result) ? refused(result) : success({ group: groupView(result.room) });
        } catch (error) {
            this.app.getLogger().error('Encrypt Group: groups.setEncrypted failed', describeError(error));
            return internalError();
        }
    }
}
