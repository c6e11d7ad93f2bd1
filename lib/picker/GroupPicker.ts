import type { IRoomRead } from '@rocket.chat/apps-engine/definition/accessors';
import { type ISlashCommandPreview, type ISlashCommandPreviewItem, SlashCommandPreviewItemType } from '@rocket.chat/apps-engine/definition/slashcommands';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { EncryptionService } from '../EncryptionService';
import { translate } from '../i18n/translate';
import type { UserRoomIdsReader } from '../Membership';
import { isRefusal } from '../Refusal';
import type { GroupDirectory } from './GroupDirectory';
import { rankGroups } from './rankGroups';

/** Items that name no group: the server cannot list groups, or none matches. Room ids never look like this. */
export const UNSUPPORTED_ITEM = 'encrypt-group:unsupported';
export const NO_MATCH_ITEM = 'encrypt-group:none';

export interface PickerDeps {
    directory: GroupDirectory;
    users: UserRoomIdsReader;
    rooms: Pick<IRoomRead, 'getById'>;
    service: Pick<EncryptionService, 'status'>;
}

/**
 * `/encrypt on <typed>` and `/encrypt off <typed>`: the caller's private groups that match, best
 * first, at most ten, each with its state and whether this caller may switch it — asked of the
 * service, as a toggle would be. Where the server cannot say which groups the caller is in, one
 * item says so: Rocket.Chat drops a preview with no items, so an empty list would say nothing.
 * The title is the app's own sentence: a client translates `i18nTitle` with its own dictionary,
 * where an app's key is not.
 */
export async function groupPreview(deps: PickerDeps, caller: IUser, action: 'on' | 'off', typed: string): Promise<ISlashCommandPreview> {
    const i18nTitle = translate(caller, 'reply_picker_title');
    const groups = await deps.directory.groupsOf(deps.users, deps.rooms, caller.id);
    if (!groups) {
        return { i18nTitle, items: [text(UNSUPPORTED_ITEM, translate(caller, 'reply_picker_unsupported', { action }))] };
    }
    const best = rankGroups(groups, typed);
    if (!best.length) {
        return { i18nTitle, items: [text(NO_MATCH_ITEM, translate(caller, 'reply_picker_none', { query: typed }))] };
    }
    const items = await Promise.all(
        best.map(async (group) => {
            const status = await deps.service.status(caller, { roomId: group.id });
            // A group the caller left since the list was read is not offered.
            if (isRefusal(status)) {
                return undefined;
            }
            return text(
                group.id,
                translate(caller, 'reply_picker_item', {
                    // What people see: a discussion's title, not its random name.
                    group: group.displayName || group.name,
                    state: translate(caller, status.encrypted ? 'reply_picker_state_on' : 'reply_picker_state_off'),
                    // The status's refusal is about switching the other way: a group already in
                    // the state asked for needs no switch.
                    may: translate(
                        caller,
                        status.encrypted === (action === 'on') ? 'reply_picker_already' : status.refusal ? 'reply_picker_may_not' : 'reply_picker_may',
                    ),
                }),
            );
        }),
    );
    return { i18nTitle, items: items.filter((item): item is ISlashCommandPreviewItem => item !== undefined) };
}

function text(id: string, value: string): ISlashCommandPreviewItem {
    return { id, type: SlashCommandPreviewItemType.TEXT, value };
}
