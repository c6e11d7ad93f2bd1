import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, type IApiEndpointInfo, type IApiRequest, type IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { createEncryptionService } from '../lib/createEncryptionService';
import { groupView } from '../lib/GroupView';
import { describeError } from '../lib/describeError';
import { isRefusal } from '../lib/Refusal';
import { bodyObject, callerCredentials, internalError, refused, success, unauthorized } from './responses';

/** `POST …/groups.setEncrypted`: Rocket.Chat's route of that name, answered the same way. */
export class SetEncryptedEndpoint extends ApiEndpoint {
    public path = 'groups.setEncrypted';
    public authRequired = true;

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
            const result = await createEncryptionService(read, modify, http, this.app.getLogger()).setEncrypted({
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
