// The bridge calls a test can make fail, on the stand-in (`POST /standin/faults`) and in the unit
// tests' fake workspace alike. A `-hang` fault makes the call never answer (and never write).
// `events-lost`: the server's events never reach the app, as while its runtime is stalled or
// restarting (Rocket.Chat replays none of them).
export const FAULTS = ['room-read', 'room-update', 'message-create', 'http', 'room-update-hang', 'http-hang', 'events-lost'] as const;
export type Fault = (typeof FAULTS)[number];
