// Every suite on the stand-in as Rocket.Chat 8.0: Apps-Engine 1.62 in its Deno subprocess, partial
// room updates, so the server drops the app's write and the app uses the REST route.
import { standinSuites } from './run';

standinSuites('8.0.0');
