import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { type IApiEndpointInfo, type IApiRequest, type IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';

import type { BulkJobs } from '../lib/compositionRoot';
import { isRefusal } from '../lib/Refusal';
import { answerWithCredential, bodyObject, type HttpMethod, refused, success } from './responses';
import { OwnEndpoint } from './OwnEndpoint';

/**
 * `POST …/groups.encryptAll.cancel {jobId}` stops a running encryptAll job before its next group
 * and answers its progress, `status: "cancelled"`; for whoever may start one (see cancelEncryptAll).
 */
export class EncryptAllCancelEndpoint extends OwnEndpoint {
    public path = 'groups.encryptAll.cancel';
    protected readonly methods: ReadonlyArray<HttpMethod> = ['post'];
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
}
