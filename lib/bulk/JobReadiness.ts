import type { IServerSettingRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { EDIT_ROOM, TOGGLE_E2E } from '../authority/Authority';
import type { ServiceAccountReport } from '../authority/ServiceAccountCheck';
import { VIEW_ROOM_ADMINISTRATION } from '../coverage/WorkspaceSummary';
import { translate } from '../i18n/translate';
import { Refusal } from '../Refusal';

/**
 * What the encryptAll job's service account must hold through its own (global) roles: the job
 * lists every private group with `groups.listAll` (view-room-administration) and switches each on
 * with `rooms.saveRoomSettings` (edit-room, then toggle-room-e2e-encryption) — as the service
 * account on every server version, so before 7.4 too. api-bypass-rate-limit is not needed: the job
 * waits when the rate limiter says so.
 */
export const JOB_NEEDS: ReadonlyArray<string> = [VIEW_ROOM_ADMINISTRATION, EDIT_ROOM, TOGGLE_E2E];

export type BlockerReason =
    | 'e2e-disabled'
    | 'needs-service-account'
    | 'service-account-rejected'
    | 'service-account-unchecked'
    | 'service-account-lacks-rights';

/** Something a job needs and does not have now: what, and the names its sentence gives. */
export interface Finding {
    reason: BlockerReason;
    params: Record<string, string>;
}

/** A finding as the dry run answers it: its reason, and a sentence in the caller's language. */
export interface Blocker {
    reason: BlockerReason;
    text: string;
}

export interface ReadinessDeps {
    serverSettings: Pick<IServerSettingRead, 'getValueById'>;
    /** The configured service account, checked against JOB_NEEDS (see checkServiceAccount). */
    serviceAccount: () => Promise<ServiceAccountReport>;
}

/**
 * Everything that would stop a job now: E2E switched off for the workspace (Rocket.Chat refuses
 * every group then), and a service account that is not set, not accepted, could not be checked,
 * or lacks a permission of JOB_NEEDS. Empty: a job can run.
 */
export async function jobBlockers(deps: ReadinessDeps): Promise<Array<Finding>> {
    const findings: Array<Finding> = [];
    if ((await deps.serverSettings.getValueById('E2E_Enable')) !== true) {
        findings.push({ reason: 'e2e-disabled', params: {} });
    }
    const account = await deps.serviceAccount();
    const reason: BlockerReason | undefined =
        account.state === 'unset'
            ? 'needs-service-account'
            : account.state === 'rejected'
              ? 'service-account-rejected'
              : account.state === 'unreachable'
                ? 'service-account-unchecked'
                : account.missing.length
                  ? 'service-account-lacks-rights'
                  : undefined;
    if (reason) {
        findings.push({ reason, params: { username: account.username ?? '', permissions: account.missing.join(', ') } });
    }
    return findings;
}

/** The findings in `user`'s language. */
export function blockersFor(findings: ReadonlyArray<Finding>, user: IUser): Array<Blocker> {
    return findings.map(({ reason, params }) => ({ reason, text: translate(user, `reply_blocker_${reason}`, params) }));
}

/** Rocket.Chat's REST errors are English, whoever asks. */
const ENGLISH = { id: '', username: '' } as IUser;

/**
 * A start that cannot run, refused at once rather than answered `running` and failed on its first
 * run: the server's own trouble (the account could not be checked) as its 503; anything an admin
 * must fix as a 400 with `error-app-service-account`, the reasons in English as Rocket.Chat's errors
 * are, and in the caller's language in `details.blockers`. Undefined: nothing stands in the way.
 */
export function blockedStart(findings: ReadonlyArray<Finding>, caller: IUser): Refusal | undefined {
    if (!findings.length) {
        return undefined;
    }
    if (findings.every((finding) => finding.reason === 'service-account-unchecked')) {
        return Refusal.serverUnanswered();
    }
    return Refusal.jobBlocked(
        blockersFor(findings, ENGLISH).map((blocker) => blocker.text),
        blockersFor(findings, caller),
    );
}
