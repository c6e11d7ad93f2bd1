// Between the instances of a cluster, never from outside: what one instance made of an app,
// applied here (see ../../cluster/Peers.ts). A call without the cluster's secret is not found.
import { success } from '../answers';
import type { ApiRouter } from '../ApiRouter';
import type { AppHost } from '../../apps/AppHost';
import type { AppEvent, Peers } from '../../cluster/Peers';

export function clusterRoutes(api: ApiRouter, host: AppHost, peers: Peers): void {
    api.addRoute(
        'cluster.appEvent',
        { authRequired: false },
        {
            post: async ({ headers, bodyParams }) => {
                if (!peers.isPeer(headers)) {
                    return { statusCode: 404, body: { success: false, error: 'Not found' } };
                }
                await host.applyPeerEvent(bodyParams as AppEvent);
                return success();
            },
        },
    );
}
