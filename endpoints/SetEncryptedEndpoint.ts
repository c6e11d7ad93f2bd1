import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, type IApiEndpointInfo, type IApiRequest, type IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';

import { groupView } from '../lib/GroupView';
import type { EncryptionServiceFactory } from '../lib/compositionRoot';
import { isRefusal } from '../lib/Refusal';
import { answer, bodyObject, callerCredential, type HttpMethod, refused, success, wrongMethod } from './responses';

/** The methods this endpoint takes; the others are answered 405 (see wrongMethod). */
const METHODS: ReadonlyArray<HttpMethod> = ['post'];

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

    public get(request: IApiRequest): Promise<IApiResponse> {
        return wrongMethod(this.path, METHODS, request);
    }

    public put(request: IApiRequest): Promise<IApiResponse> {
        return wrongMethod(this.path, METHODS, request);
    }

    public delete(request: IApiRequest): Promise<IApiResponse> {
        return wrongMethod(this.path, METHODS, request);
    }

    public patch(request: IApiRequest): Promise<IApiResponse> {
        return wrongMethod(this.path, METHODS, request);
    }
}
