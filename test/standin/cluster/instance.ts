// One instance of a cluster, in its own process (started by Cluster.ts): the stand-in with its own
// Apps-Engine runtime, rate limiter and scheduler, over the database file the cluster shares. It
// says it is ready, and learns the other instances' URLs, over the IPC channel to the cluster.
import { type ClusterMember, startStandin } from '../server';

async function main(): Promise<void> {
    const member = JSON.parse(process.env.STANDIN_CLUSTER_MEMBER ?? '') as ClusterMember;
    const port = Number(process.env.PORT ?? 0);
    const standin = await startStandin({ version: process.env.RC_VERSION, port, log: (line) => console.log(line), cluster: member });
    const stop = () => {
        standin.kill();
        process.exit(0);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
        process.on(signal, stop);
    }
    // The cluster went away (its process ended): so does the instance.
    process.on('disconnect', stop);
    process.on('message', (message: { peers?: Array<string> }) => {
        if (Array.isArray(message.peers)) {
            standin.state.peers?.setUrls(message.peers);
        }
    });
    process.send!({ ready: standin.url });
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
