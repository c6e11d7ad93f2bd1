import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { Refusal } from '../Refusal';
import type { Credential } from '../rest/Credential';
import { type BulkDeps, type JobProgress, progressOf } from './EncryptAllJob';
import { permissionsRefusal } from './JobRights';

export interface CancelRequest {
    caller: IUser;
    credential: Credential;
    jobId: unknown;
}

export type CancelDeps = Pick<BulkDeps, 'record' | 'list' | 'authority' | 'starts'> & { cache: { forget(): void } };

/**
 * `POST …/groups.encryptAll.cancel {jobId}`: with the rights of a start (see startEncryptAll) —
 * whoever may start a job may stop it, whoever started it. The job ends `cancelled` at once (its
 * progress says so, and who did it), and its runs stop before their next group: a group being
 * written in that instant is finished and counted, the groups not reached stay as they were. Not
 * `failed`: nothing went wrong that an admin must look into. The rights come first, so nobody else
 * learns whether a job exists; then an unknown id is `error-app-job-not-found`, and a job that
 * already ended `error-app-job-not-running`.
 */
export async function cancelEncryptAll(deps: CancelDeps, request: CancelRequest): Promise<JobProgress | Refusal> {
    const { jobId } = request;
    if (jobId === undefined) {
        return Refusal.invalidParams("must have required property 'jobId'");
    }
    if (typeof jobId !== 'string') {
        return Refusal.invalidParams('must be string (jobId)');
    }
    const refusal = (await deps.list.allows(request.credential)) ?? (await permissionsRefusal(deps.authority, request.caller.roles, request.credential));
    if (refusal) {
        return refusal;
    }
    // In line with starts: a start and a cancel of this instance never interleave.
    return deps.starts.run(async () => {
        const state = await deps.record.state();
        if (!state || state.jobId !== jobId) {
            return Refusal.jobNotFound();
        }
        if (state.status !== 'running') {
            return Refusal.jobNotRunning(jobId, state.status);
        }
        const by = { id: request.caller.id, username: request.caller.username };
        const at = new Date().toISOString();
        await deps.record.markCancelled({ jobId, by, at });
        state.status = 'cancelled';
        state.cancelledBy = by;
        state.finishedAt = at;
        state.resumeAt = undefined;
        await deps.record.save(state);
        // The report's totals were taken while the job changed groups.
        deps.cache.forget();
        return progressOf(state);
    });
}
