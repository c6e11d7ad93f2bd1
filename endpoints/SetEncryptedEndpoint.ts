import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { type IApiEndpointInfo, type IApiRequest, type IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';

import { groupView } from '../lib/GroupView';
import type { EncryptionServiceFactory } from '../lib/compositionRoot';
import { isRefusal } from '../lib/Refusal';
import { answer, bodyObject, callerCredential, type HttpMethod, refused, success } from './responses';
import { OwnEndpoint } from './OwnEndpoint';

/** `POST …/groups.setEncrypted`: Rocket.Chat's route of that name, answered the same way. */
export class SetEncryptedEndpoint extends OwnEndpoint {
    public path = 'groups.setEncrypted';
    protected readonly methods: ReadonlyArray<HttpMethod> = ['post'];
    public authRequired = true;

    constructor(
        app: IApp,
        private readonly services: EncryptionServiceFactory,
    ) {
        super(app);
    }

    public post(
        request: IApiRequest,
        _endpoint: IApiEndpointInfo,
        read: IRead,
        modify: IModify,
        http: IHttp,
        persistence: IPersistence,
    ): Promise<IApiResponse> {
        return answer(this, request, async (caller) => {
            const body = bodyObject(request.content);
            const result = await this.services(read, modify, http, persistence).setEncrypted({
                caller,
                target: body,
                encrypted: body.encrypted,
                credential: callerCredential(request),
                door: 'endpoint',
            });
            return isRefusal(result) ? refused(result) : success({ group: result.group ?? groupView(result.room) });
        });
    }
}
