// A wrong HTTP method on one of the app's endpoints gets a 405 in Rocket.Chat's error shape naming
// the methods the endpoint takes. The engine hands an endpoint only the methods its class
// implements (anything else is its own 500 and a logged RPC error), so each endpoint must implement
// every method; its real ones must still do their work.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';

import { EncryptAllCancelEndpoint } from '../../endpoints/EncryptAllCancelEndpoint';
import { EncryptAllEndpoint } from '../../endpoints/EncryptAllEndpoint';
import { EncryptionHistoryEndpoint } from '../../endpoints/EncryptionHistoryEndpoint';
import { EncryptionReportEndpoint } from '../../endpoints/EncryptionReportEndpoint';
import { GetEncryptedEndpoint } from '../../endpoints/GetEncryptedEndpoint';
import { SetEncryptedEndpoint } from '../../endpoints/SetEncryptedEndpoint';

type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';
const METHODS: ReadonlyArray<Method> = ['get', 'post', 'put', 'delete', 'patch'];
type Handler = (request: IApiRequest, endpoint: IApiEndpointInfo, ...accessors: Array<never>) => Promise<IApiResponse>;

const app = {} as IApp;
// No dependency is reached: a real method called without a user stops at the 401.
const none = undefined as never;
const ENDPOINTS: Array<[string, Partial<Record<Method, Handler>> & { path: string }, ReadonlyArray<Method>]> = [
    ['groups.setEncrypted', new SetEncryptedEndpoint(app, none), ['post']],
    ['groups.getEncrypted', new GetEncryptedEndpoint(app, none), ['get']],
    ['groups.encryptAll', new EncryptAllEndpoint(app, none), ['get', 'post']],
    ['groups.encryptAll.cancel', new EncryptAllCancelEndpoint(app, none), ['post']],
    ['groups.encryptionHistory', new EncryptionHistoryEndpoint(app, none), ['get']],
    ['groups.encryptionReport', new EncryptionReportEndpoint(app, none), ['get']],
];

function call(endpoint: Partial<Record<Method, Handler>>, method: Method): Promise<IApiResponse> {
    const handler = endpoint[method];
    assert.equal(typeof handler, 'function', `${method} is not implemented, so the engine answers it with a 500`);
    const request = { method, headers: {}, query: {}, params: {}, privateHash: undefined, content: {} } as unknown as IApiRequest;
    return handler!.call(endpoint, request, {} as IApiEndpointInfo, none, none, none, none);
}

describe("the app's endpoints: a wrong HTTP method", () => {
    for (const [path, endpoint, allowed] of ENDPOINTS) {
        const named = allowed.map((method) => method.toUpperCase());
        for (const method of METHODS.filter((candidate) => !allowed.includes(candidate))) {
            test(`${method.toUpperCase()} ${path} → 405 naming ${named.join(' or ')}, in Rocket.Chat's error shape`, async () => {
                assert.equal(endpoint.path, path);
                const answer = await call(endpoint, method);
                assert.equal(answer.status, 405);
                assert.deepEqual(answer.content, {
                    success: false,
                    error: `${path} takes ${named.join(' or ')}, not ${method.toUpperCase()} [error-method-not-allowed]`,
                    errorType: 'error-method-not-allowed',
                });
                assert.deepEqual(answer.headers, { Allow: named.join(', ') });
            });
        }

        test(`${named.join(' and ')} ${path} still reach the endpoint's work (here its 401 for a caller the host let through unauthenticated)`, async () => {
            for (const method of allowed) {
                const answer = await call(endpoint, method);
                assert.equal(answer.status, 401, method);
            }
        });
    }
});
