import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, type IApiEndpointInfo, type IApiRequest, type IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';

import type { CoverageReporter } from '../lib/compositionRoot';
import { pagingSettings } from '../lib/coverage/CoverageReport';
import { toCsv } from '../lib/coverage/csv';
import { readReportQuery } from '../lib/coverage/ReportQuery';
import { isRefusal } from '../lib/Refusal';
import { answerWithCredential, type HttpMethod, refused, success, wrongMethod } from './responses';

/** The methods this endpoint takes; the others are answered 405 (see wrongMethod). */
const METHODS: ReadonlyArray<HttpMethod> = ['get'];

/**
 * `GET …/groups.encryptionReport?offset=&count=&sort=&state=&filter=&format=&refresh=`: every
 * private group of the workspace and whether it is encrypted, with totals, for whoever Rocket.Chat
 * lets see every room (`view-room-administration`, decided by the server through the caller's own
 * session). `format=csv` answers the same rows as CSV.
 */
export class EncryptionReportEndpoint extends ApiEndpoint {
    public path = 'groups.encryptionReport';
    public authRequired = true;

    constructor(
        app: IApp,
        private readonly report: CoverageReporter,
    ) {
        super(app);
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
            const query = readReportQuery(request.query ?? {}, await pagingSettings(read.getEnvironmentReader().getServerSettings()));
            if (isRefusal(query)) {
                return refused(query);
            }
            const page = await this.report(read, http, credential, query);
            if (isRefusal(page)) {
                return refused(page);
            }
            if (query.format === 'csv') {
                return {
                    status: 200,
                    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="encryption-report.csv"' },
                    content: toCsv(page.groups),
                };
            }
            return success({ ...page });
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
