import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { EncryptionStatus, SetEncryptedResult } from '../lib/EncryptionService';
import { translate } from '../lib/i18n/translate';
import type { Refusal } from '../lib/Refusal';

/** The sentences `/encrypt` answers with, in the user's language. */
export class Replies {
    constructor(private readonly user: IUser) {}

    public usage(): string {
        return translate(this.user, 'reply_usage');
    }

    public status({ room, encrypted, canToggle }: EncryptionStatus): string {
        const group = room.slugifiedName;
        const state = translate(this.user, encrypted ? 'reply_status_on' : 'reply_status_off', { group });
        const advice = canToggle
            ? translate(this.user, 'reply_can_toggle', { group, action: encrypted ? 'off' : 'on' })
            : translate(this.user, 'reply_cannot_toggle');
        return `${state} ${advice}`;
    }

    public changed({ room, encrypted, changed }: SetEncryptedResult): string {
        const key = changed ? (encrypted ? 'reply_enabled' : 'reply_disabled') : encrypted ? 'reply_already_on' : 'reply_already_off';
        return translate(this.user, key, { group: room.slugifiedName });
    }

    /** `group` is the name the user typed, or undefined when the command acted on the current room. */
    public refusal(refusal: Refusal, group: string | undefined, roomName: string): string {
        if (refusal.reason === 'room-not-found' && group === undefined) {
            return translate(this.user, 'refusal_room-not-found_here');
        }
        const params = { group: group ?? roomName, target: `#${group ?? roomName}`, error: refusal.error };
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
                return translate(this.user, `refusal_${refusal.reason}`, params);
            default:
                // The command never sends a malformed body; show Rocket.Chat's own words if it ever does.
                return refusal.error;
        }
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
