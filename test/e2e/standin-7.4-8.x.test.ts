// The packaged app on Rocket.Chat 7.4+ behaviour: Apps-Engine 1.62, its Deno runtime, and a room
// update that drops what the app sends in `_unmappedProperties_`.
import { onTarget } from './scenario';
import { abuseSuite } from './hardening/abuse';
import { concurrencySuite } from './hardening/concurrency';
import { faultSuite } from './hardening/faults';
import { roleMatrixSuite } from './hardening/roleMatrix';
import { endToEndSuite } from './suite';
import { standinTarget } from './target';

onTarget('stand-in as Rocket.Chat 8.0.0 (Apps-Engine 1.62, Deno)', () => standinTarget('8.0.0'), [
    endToEndSuite,
    roleMatrixSuite,
    abuseSuite,
    concurrencySuite,
    faultSuite,
]);
