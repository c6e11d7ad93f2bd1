import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, type IApiEndpointInfo, type IApiRequest, type IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';

import type { HistoryReader } from '../lib/compositionRoot';
import { isRefusal } from '../lib/Refusal';
import { answer, type HttpMethod, refused, success, wrongMethod } from './responses';

/** The methods this endpoint takes; the others are answered 405 (see wrongMethod). */
const METHODS: ReadonlyArray<HttpMethod> = ['get'];

/**
 * `GET …/groups.encryptionHistory?roomId=|roomName=`: the group's recorded encryption changes,
 * newest last, since when they are complete, and the periods the app knows it was not running
 * (`gaps`: changes then show only as found by the reconcile), under the same access rule as `groups.getEncrypted` (a group the caller is not in
 * gets Rocket.Chat's "not found").
 */
export class EncryptionHistoryEndpoint extends ApiEndpoint {
    public path = 'groups.encryptionHistory';
    public authRequired = true;

    constructor(
        app: IApp,
        private readonly history: HistoryReader,
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
            const found = await this.history(read, modify, http, caller, request.query ?? {});
            return isRefusal(found) ? refused(found) : success({ history: found.entries, since: found.since ?? null, gaps: found.gaps, sees: found.sees });
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
