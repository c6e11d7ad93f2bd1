/**
 * What the app knows about this server's write ways while it runs. Whether the room modifier can
 * write `encrypted` is read once from the runtime itself (see RoomModifierWriter.honoured), not
 * guessed from a read-back that another writer could have confused. Lives on the app instance: a
 * server upgrade restarts apps.
 */
export class WriteWayMemory {
    public modifierHonoured?: boolean;
}
