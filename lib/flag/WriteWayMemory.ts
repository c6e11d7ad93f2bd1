/**
 * What the app has learned about this server's write ways while it runs. A server that ignored the
 * room modifier once (Rocket.Chat 7.4+) ignores it always, so later calls go straight to the
 * REST way and save three bridge calls. Lives on the app instance: a server upgrade restarts apps.
 */
export class WriteWayMemory {
    public roomModifierIgnored = false;
}
