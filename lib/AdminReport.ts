import type { ServiceAccountReport } from './authority/ServiceAccountCheck';
import type { RunReport } from './reconcile/WatchRecord';

/** What an admin is shown besides a group's status: the service account, and role names that match no role. */
export interface AdminReport {
    serviceAccount: ServiceAccountReport;
    /**
     * Whether this server has the service account write the change (7.4+: `true`), or only read
     * the permission table with it, as any plain account may (before 7.4: `false`); undefined until
     * the app has looked at a room since it started.
     */
    serviceAccountWrites?: boolean;
    unknownRoles: Array<string>;
    /**
     * Whether encrypted groups stay encrypted whoever switches them off, and how: the guard at once
     * (`on`, 7.4+), the reconcile within a period (`reconcile`, before 7.4), or why not.
     */
    guard: 'on' | 'off' | 'reconcile' | 'needs-service-account' | 'unknown';
    /** The reconcile's period, and what its last run found (see reconcile). */
    reconcile: { minutes: number; lastRun?: RunReport };
    /** Rocket.Chat 8.8+ encrypts new private groups, yet the app lets people switch encryption off. */
    forceMismatch: boolean;
}
