import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { ServiceAccountReport } from '../authority/ServiceAccountCheck';
import type { AdminReport } from '../AdminReport';
import type { WorkspaceSummary } from '../coverage/WorkspaceSummary';
import type { HistoryAnswer } from '../history/HistoryView';
import type { EncryptionStatus, SetEncryptedResult } from '../EncryptionService';
import { translate } from './translate';
import type { Refusal } from '../Refusal';
import { displayName } from '../RoomFacts';

/** The sentences `/encrypt` and the Encryption panel answer with, in the user's language (both doors show them). */
export class Replies {
    constructor(private readonly user: IUser) {}

    public usage(): string {
        return translate(this.user, 'reply_usage');
    }

    /** The picker's "no group matches" item was chosen. */
    public nonePicked(): string {
        return translate(this.user, 'reply_picker_none_picked');
    }

    public status({ room, encrypted, refusal }: EncryptionStatus): string {
        const group = displayName(room);
        const state = translate(this.user, encrypted ? 'reply_status_on' : 'reply_status_off', { group });
        const advice = refusal ? this.refusal(refusal, group, group) : translate(this.user, 'reply_can_toggle', { group, action: encrypted ? 'off' : 'on' });
        return `${state} ${advice}`;
    }

    /** The lines only admins get after a status: the service account, the guard, the role settings. */
    public admin(report: AdminReport): Array<string> {
        const guard =
            report.guard === 'on' || report.guard === 'off' || report.guard === 'unknown'
                ? translate(this.user, `reply_admin_guard_${report.guard}`)
                : report.guard === 'reconcile'
                  ? translate(this.user, 'reply_admin_guard_reconcile', { minutes: String(report.reconcile.minutes) })
                  : translate(this.user, 'reply_admin_guard_cannot', { why: translate(this.user, `reply_admin_guard_${report.guard}`) });
        const run = report.reconcile.lastRun;
        return [
            this.serviceAccount(report.serviceAccount, report.serviceAccountWrites),
            guard,
            ...(run?.problem
                ? [
                      translate(this.user, 'reply_admin_reconcile_problem', {
                          at: minute(run.at),
                          count: String(run.leftOff),
                          why: translate(this.user, `reply_admin_reconcile_${run.problem}`),
                      }),
                  ]
                : []),
            ...(report.forceMismatch ? [translate(this.user, 'reply_admin_force_mismatch')] : []),
            ...(report.unknownRoles.length ? [this.unknownRoles(report.unknownRoles)] : []),
        ];
    }

    /** `/encrypt report`: the workspace's totals and the largest groups still unencrypted. */
    public summary({ totals, largest, scannedAt }: WorkspaceSummary): string {
        const lines = [
            translate(this.user, 'reply_report_totals', {
                at: minute(scannedAt),
                encrypted: String(totals.encrypted),
                groups: String(totals.groups),
                notEncrypted: String(totals.notEncrypted),
            }),
        ];
        if (totals.cannotEncrypt.total) {
            lines.push(
                translate(this.user, 'reply_report_cannot', {
                    count: String(totals.cannotEncrypt.total),
                    federated: String(totals.cannotEncrypt.federated),
                    disabled: String(totals.cannotEncrypt['e2e-disabled']),
                }),
            );
        }
        if (largest.length) {
            lines.push(translate(this.user, 'reply_report_largest'));
            lines.push(...largest.map((row) => translate(this.user, 'reply_report_group', { group: row.displayName, members: String(row.members) })));
        }
        lines.push(translate(this.user, 'reply_report_more'));
        return lines.join('\n');
    }

    /** The last changes, newest last, with where they came from. */
    public history({ room, entries, since, gaps, sees }: HistoryAnswer): string {
        const group = displayName(room);
        const from = since ? translate(this.user, 'reply_history_since', { since: minute(since) }) : '';
        const lines = entries.length
            ? [
                  translate(this.user, 'reply_history_title', { group, since: from }),
                  ...entries.slice(-10).map((entry) => {
                      const facts = {
                          at: minute(entry.at),
                          state: translate(this.user, entry.encrypted ? 'reply_history_on' : 'reply_history_off'),
                          door: translate(this.user, `reply_history_door_${entry.door}`),
                      };
                      return entry.by
                          ? translate(this.user, 'reply_history_entry', { ...facts, username: entry.by.username })
                          : translate(this.user, 'reply_history_entry_unseen', facts);
                  }),
              ]
            : [translate(this.user, 'reply_history_empty', { group, since: from })];
        const unwatched = gaps.map((gap) => translate(this.user, 'reply_history_gap', { from: minute(gap.from), to: minute(gap.to) }));
        return [...lines, ...unwatched, ...(sees === 'app-doors' ? [translate(this.user, 'reply_history_partial')] : [])].join('\n');
    }

    /**
     * For admins: what the service account can do, so nobody has to try a toggle to find out.
     * `writes: false` (before 7.4): it only reads the permission table, so the permissions for
     * writing are not missing there; only the rate limiter's bypass is worth having.
     */
    public serviceAccount(report: ServiceAccountReport, writes?: boolean): string {
        if (report.state !== 'checked') {
            return translate(this.user, `reply_admin_service_account_${report.state}`);
        }
        const username = report.username ?? '';
        const reads = () =>
            [
                translate(this.user, 'reply_admin_service_account_reads', { username }),
                ...(report.missing.includes('api-bypass-rate-limit') ? [translate(this.user, 'reply_admin_service_account_reads_rate')] : []),
            ].join(' ');
        const line =
            writes === false
                ? reads()
                : report.missing.length
                  ? translate(this.user, 'reply_admin_service_account_missing', { username, permissions: report.missing.join(', ') })
                  : translate(this.user, 'reply_admin_service_account_ok', { username });
        return report.fullAdmin ? `${line} ${translate(this.user, 'reply_admin_service_account_full_admin')}` : line;
    }

    public changed({ room, encrypted, changed }: SetEncryptedResult): string {
        const key = changed ? (encrypted ? 'reply_enabled' : 'reply_disabled') : encrypted ? 'reply_already_on' : 'reply_already_off';
        return translate(this.user, key, { group: displayName(room) });
    }

    /** `group` is the name the user typed, or undefined when the command acted on the current room. */
    public refusal(refusal: Refusal, group: string | undefined, roomName: string): string {
        if (refusal.reason === 'room-not-found' && group === undefined) {
            return translate(this.user, 'refusal_room-not-found_here');
        }
        const params = { group: group ?? roomName, target: `#${group ?? roomName}`, error: refusal.error };
        const who = refusal.hint?.who;
        if ((refusal.reason === 'edit-not-allowed' || refusal.reason === 'toggle-not-allowed') && who) {
            return who.length
                ? translate(this.user, `refusal_${refusal.reason}_who`, { ...params, who: this.roles(who) })
                : translate(this.user, 'refusal_nobody', params);
        }
        if (refusal.reason === 'e2e-unavailable' && refusal.hint?.cause === 'federated') {
            return translate(this.user, 'refusal_e2e-unavailable_federated', params);
        }
        switch (refusal.reason) {
            case 'room-not-found':
            case 'room-archived':
            case 'edit-not-allowed':
            case 'e2e-unavailable':
            case 'toggle-not-allowed':
            case 'turning-off-disabled':
            case 'write-unsupported':
            case 'write-failed':
            case 'server-refused':
            case 'permissions-unavailable':
            case 'no-permission-reader':
            case 'timed-out':
            case 'site-url-unusable':
            case 'service-account-rejected':
            case 'service-account-lacks-rights':
            case 'service-account-rate-limited':
            case 'needs-service-account':
            case 'not-authorized':
            case 'service-account-cannot-list':
            case 'server-unanswered':
                return translate(this.user, `refusal_${refusal.reason}`, params);
            default:
                // The command never sends a malformed body; show Rocket.Chat's own words if it ever does.
                return refusal.error;
        }
    }

    /**
     * "the group's owners or an admin", from the roles in force, in the user's language. (No
     * `Array.prototype.at`: Rocket.Chat 6.x runs apps under vm2 on Node.js 14.)
     */
    private roles(names: ReadonlyArray<string>): string {
        const words = [...new Set(names)].map((name) =>
            name === 'owner' || name === 'moderator' || name === 'leader' || name === 'admin'
                ? translate(this.user, `reply_role_${name}`)
                : translate(this.user, 'reply_role_other', { role: name }),
        );
        return words.length > 1 ? `${words.slice(0, -1).join(', ')} ${translate(this.user, 'reply_word_or')} ${words[words.length - 1]}` : words[0];
    }

    public optionNotGroup(word: string): string {
        return translate(this.user, 'reply_option_not_group', { word });
    }

    public unknownRoles(names: ReadonlyArray<string>): string {
        return translate(this.user, 'reply_admin_unknown_roles', { roles: names.join(', ') });
    }

    public unknownOption(argument: string): string {
        return `${translate(this.user, 'reply_unknown_option', { argument })} ${this.usage()}`;
    }

    public tooManyArguments(): string {
        return `${translate(this.user, 'reply_too_many_arguments')} ${this.usage()}`;
    }

    public internalError(): string {
        return translate(this.user, 'reply_internal_error');
    }
}

/** An ISO time to the minute, as replies show it: `2026-11-27 10:02`. */
function minute(iso: string): string {
    return iso.slice(0, 16).replace('T', ' ');
}
