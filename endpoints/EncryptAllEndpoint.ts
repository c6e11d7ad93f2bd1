import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, type IApiEndpointInfo, type IApiRequest, type IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';

import type { BulkJobs } from '../lib/compositionRoot';
import { isRefusal, Refusal } from '../lib/Refusal';
import { answerWithCredential, bodyObject, type HttpMethod, refused, success, wrongMethod } from './responses';

/** The methods this endpoint takes; the others are answered 405 (see wrongMethod). */
const METHODS: ReadonlyArray<HttpMethod> = ['get', 'post'];

/**
 * `POST …/groups.encryptAll {dryRun?, includeArchived?}` switches on every eligible unencrypted
 * private group in the background and answers the job at once; `GET …/groups.encryptAll?jobId=`
 * gives its progress. Both for whoever Rocket.Chat lets see every room (see EncryptAllJob).
 */
export class EncryptAllEndpoint extends ApiEndpoint {
    public path = 'groups.encryptAll';
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
        modify: IModify,
        http: IHttp,
        persistence: IPersistence,
    ): Promise<IApiResponse> {
        return answerWithCredential(this, request, async (caller, credential) => {
            const body = bodyObject(request.content);
            for (const flag of ['dryRun', 'includeArchived']) {
                if (body[flag] !== undefined && typeof body[flag] !== 'boolean') {
                    return refused(Refusal.invalidParams(`must be boolean (${flag})`));
                }
            }
            const started = await this.jobs.start(read, modify, http, persistence, {
                caller,
                credential,
                dryRun: body.dryRun === true,
                includeArchived: body.includeArchived === true,
            });
            return isRefusal(started) ? refused(started) : success({ ...started });
        });
    }

    public get(
        request: IApiRequest,
        _endpoint: IApiEndpointInfo,
        read: IRead,
        _modify: IModify,
        http: IHttp,
        _persistence: IPersistence,
    ): Promise<IApiResponse> {
        return answerWithCredential(this, request, async (_caller, credential) => {
            const job = await this.jobs.progress(read, http, credential, request.query?.jobId);
            return isRefusal(job) ? refused(job) : success({ ...job });
        });
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
