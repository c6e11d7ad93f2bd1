import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, type IApiEndpointInfo, type IApiRequest, type IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';

import type { BulkJobs } from '../lib/compositionRoot';
import { isRefusal } from '../lib/Refusal';
import { answerWithCredential, bodyObject, type HttpMethod, refused, success, wrongMethod } from './responses';

/** The methods this endpoint takes; the others are answered 405 (see wrongMethod). */
const METHODS: ReadonlyArray<HttpMethod> = ['post'];

/**
 * `POST …/groups.encryptAll.cancel {jobId}` stops a running encryptAll job before its next group
 * and answers its progress, `status: "cancelled"`; for whoever may start one (see cancelEncryptAll).
 */
export class EncryptAllCancelEndpoint extends ApiEndpoint {
    public path = 'groups.encryptAll.cancel';
    public authRequired = true;

    constructor(
        app: IApp,
        private readonly jobs: BulkJobs,
    ) {
        super(app);
    }

    public post(
        request: IApiRequest,
        _endpoint: IApiEndpointInfo,
        read: IRead,
        _modify: IModify,
        http: IHttp,
        persistence: IPersistence,
    ): Promise<IApiResponse> {
        return answerWithCredential(this, request, async (caller, credential) => {
            const job = await this.jobs.cancel(read, http, persistence, { caller, credential, jobId: bodyObject(request.content).jobId });
            return isRefusal(job) ? refused(job) : success({ ...job });
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
