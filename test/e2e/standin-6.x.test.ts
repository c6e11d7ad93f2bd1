// Every suite on the stand-in as Rocket.Chat 6.10: Apps-Engine 1.42.1 under vm2, whole-room updates,
// so the app's room-modifier write lands.
import { standinSuites } from './run';

standinSuites('6.10.0');
