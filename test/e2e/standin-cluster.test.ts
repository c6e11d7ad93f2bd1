// Two instances of the stand-in as Rocket.Chat 8.0 behind a balancer, on one database: the app's
// guarantees where every instance runs its own copy of it (docs/instances.md).
import { clusterSuites } from './run';

clusterSuites('8.0.0', 2);
