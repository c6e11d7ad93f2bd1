// What one instance of a cluster tells the others about an app. Rocket.Chat's instances do it
// through their broadcast (apps/meteor/ee/server/apps/communication/websockets.ts: the
// `AppServerNotifier` of the instance that made the change, the `AppServerListener` of every other
// one): an app installed or updated is loaded from the database, a status or a setting is applied
// to the instance's own copy of the app. Here each peer gets a POST to its
// `/standin/cluster.appEvent`, carrying the cluster's secret so nobody else can send one.
export type AppEvent =
    | { type: 'added'; appId: string }
    | { type: 'updated'; appId: string }
    | { type: 'status'; appId: string; status: string }
    | { type: 'setting'; appId: string; setting: Record<string, unknown> };

/** The header that carries the cluster's secret between its instances. */
export const CLUSTER_SECRET_HEADER = 'x-standin-cluster-secret';

export class Peers {
    private urls: Array<string> = [];

    constructor(
        private readonly secret: string,
        private readonly log: (line: string) => void,
    ) {}

    /** The other instances' URLs, known once every instance listens. */
    public setUrls(urls: Array<string>): void {
        this.urls = urls;
    }

    /** Whether a call comes from an instance of this cluster. */
    public isPeer(headers: Record<string, string | undefined>): boolean {
        return headers[CLUSTER_SECRET_HEADER] === this.secret;
    }

    /** Tells every other instance, and waits until each has applied it (or failed, which is logged). */
    public async broadcast(event: AppEvent): Promise<void> {
        await Promise.all(
            this.urls.map(async (url) => {
                try {
                    const response = await fetch(`${url}/standin/cluster.appEvent`, {
                        method: 'POST',
                        headers: { 'content-type': 'application/json', [CLUSTER_SECRET_HEADER]: this.secret },
                        body: JSON.stringify(event),
                    });
                    if (!response.ok) {
                        this.log(`${url} did not apply ${event.type} of ${event.appId}: ${response.status} ${await response.text()}`);
                    }
                } catch (error) {
                    this.log(`${url} did not hear of ${event.type} of ${event.appId}: ${(error as Error).message}`);
                }
            }),
        );
    }
}
