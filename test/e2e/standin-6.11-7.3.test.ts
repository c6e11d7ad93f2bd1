// Every suite on the stand-in as Rocket.Chat 7.2: Apps-Engine 1.46 in its Deno subprocess (Deno 1.46
// through the deno-bin stand-in), whole-room updates, so the app's room-modifier write lands.
import { standinSuites } from './run';

standinSuites('7.2.0');
