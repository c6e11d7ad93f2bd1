// The bridge calls a test can make fail, on the stand-in (`POST /standin/faults`) and in the unit
// tests' fake workspace alike. A `-hang` fault makes the call never answer (and never write).
export const FAULTS = ['room-read', 'room-update', 'message-create', 'http', 'room-update-hang', 'http-hang'] as const;
export type Fault = (typeof FAULTS)[number];
