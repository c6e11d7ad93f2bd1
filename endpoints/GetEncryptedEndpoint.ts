import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, type IApiEndpointInfo, type IApiRequest, type IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';

import type { EncryptionServiceFactory } from '../lib/compositionRoot';
import { isRefusal } from '../lib/Refusal';
import { answer, callerCredential, type HttpMethod, refused, success, wrongMethod } from './responses';

/** The methods this endpoint takes; the others are answered 405 (see wrongMethod). */
const METHODS: ReadonlyArray<HttpMethod> = ['get'];

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

    public get(
        request: IApiRequest,
        _endpoint: IApiEndpointInfo,
        read: IRead,
        modify: IModify,
        http: IHttp,
        _persistence: IPersistence,
    ): Promise<IApiResponse> {
        return answer(this, request, async (caller) => {
            const status = await this.services(read, modify, http).status(caller, request.query ?? {}, callerCredential(request));
            return isRefusal(status) ? refused(status) : success({ encrypted: status.encrypted, canToggle: !status.refusal });
        });
    }

    public post(request: IApiRequest): Promise<IApiResponse> {
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
