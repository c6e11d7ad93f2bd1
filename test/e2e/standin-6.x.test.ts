// The packaged app on Rocket.Chat before 7.4: Apps-Engine 1.42.1 (vm2), whole-room updates, so
// the app's room-modifier write really lands.
import { onTarget } from './scenario';
import { abuseSuite } from './hardening/abuse';
import { concurrencySuite } from './hardening/concurrency';
import { faultSuite } from './hardening/faults';
import { roleMatrixSuite } from './hardening/roleMatrix';
import { endToEndSuite } from './suite';
import { standinTarget } from './target';

onTarget('stand-in as Rocket.Chat 7.3.0 (Apps-Engine 1.42.1, vm2)', () => standinTarget('7.3.0'), [
    endToEndSuite,
    roleMatrixSuite,
    abuseSuite,
    concurrencySuite,
    faultSuite,
]);
