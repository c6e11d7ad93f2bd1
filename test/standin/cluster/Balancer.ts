// The load balancer in front of a cluster's instances: each HTTP request goes to the next instance
// in turn (round robin), as a proxy in front of Rocket.Chat spreads REST calls; `Site_Url` names it.
// Bodies and answers pass through untouched, streamed.
import { Agent, type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export class Balancer {
    private readonly server: Server = createServer((incoming, outgoing) => this.forward(incoming, outgoing));
    private readonly agent = new Agent({ keepAlive: true });
    private targets: Array<URL> = [];
    private turn = 0;

    /** Listens on 127.0.0.1:`port` (0: any free port); its URL. */
    public async listen(port: number): Promise<string> {
        await new Promise<void>((resolve, reject) => {
            this.server.once('error', reject);
            this.server.listen(port, '127.0.0.1', resolve);
        });
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    /** The instances to spread requests over; until there are some, every request gets a 503. */
    public setTargets(urls: Array<string>): void {
        this.targets = urls.map((url) => new URL(url));
    }

    public close(): void {
        this.server.closeAllConnections();
        this.server.close();
        this.agent.destroy();
    }

    private forward(incoming: IncomingMessage, outgoing: ServerResponse): void {
        if (this.targets.length === 0) {
            outgoing.writeHead(503, { 'content-type': 'text/plain' }).end('No instance is ready yet');
            return;
        }
        const target = this.targets[this.turn++ % this.targets.length];
        const upstream = request(
            { hostname: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers: incoming.headers, agent: this.agent },
            (answer) => {
                outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(outgoing);
            },
        );
        upstream.on('error', (error) => {
            if (!outgoing.headersSent) {
                outgoing.writeHead(502, { 'content-type': 'text/plain' });
            }
            outgoing.end(`Instance ${target.host} did not answer: ${error.message}`);
        });
        incoming.pipe(upstream);
    }
}
