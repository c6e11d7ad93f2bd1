import { ApiEndpoint, type IApiRequest, type IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { type HttpMethod, wrongMethod } from './responses';

/**
 * One of the app's own endpoints. The engine hands an endpoint only the methods it has, and answers
 * any other with a 500 and a stack on the terminal; so every method is here, answered 405 naming
 * the ones the endpoint takes (`methods`), which it overrides.
 */
export abstract class OwnEndpoint extends ApiEndpoint {
    /** The methods this endpoint takes. */
    protected abstract readonly methods: ReadonlyArray<HttpMethod>;

    public get(request: IApiRequest, ..._context: Array<unknown>): Promise<IApiResponse> {
        return wrongMethod(this.path, this.methods, request);
    }

    public post(request: IApiRequest, ..._context: Array<unknown>): Promise<IApiResponse> {
        return wrongMethod(this.path, this.methods, request);
    }

    public put(request: IApiRequest, ..._context: Array<unknown>): Promise<IApiResponse> {
        return wrongMethod(this.path, this.methods, request);
    }

    public delete(request: IApiRequest, ..._context: Array<unknown>): Promise<IApiResponse> {
        return wrongMethod(this.path, this.methods, request);
    }

    public patch(request: IApiRequest, ..._context: Array<unknown>): Promise<IApiResponse> {
        return wrongMethod(this.path, this.methods, request);
    }
}
