/** Why encryptAll leaves an unencrypted group as it is (`not-found`: deleted since it was listed); any other outcome is a failure. */
export const SKIP_REASONS = ['federated', 'archived', 'not-found'];
export type SkipReason = 'federated' | 'archived';

/**
 * Rocket.Chat does not encrypt federated groups; archived groups are left unless asked for (nobody
 * writes in them, and `groups.setEncrypted` refuses them — only `rooms.saveRoomSettings` does not).
 * One rule for the dry run and the job.
 */
export function skipReason(group: { federated: boolean; archived: boolean }, includeArchived: boolean): SkipReason | undefined {
    return group.federated ? 'federated' : group.archived && !includeArchived ? 'archived' : undefined;
}
