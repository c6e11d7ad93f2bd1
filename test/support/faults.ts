// The bridge calls a test can make fail, on the stand-in (`POST /standin/faults`) and in the unit
// tests' fake workspace alike.
export const FAULTS = ['room-read', 'room-update', 'message-create', 'http'] as const;
export type Fault = (typeof FAULTS)[number];
