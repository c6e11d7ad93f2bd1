import type { IUIKitContextualBarViewParam, IUIKitModalViewParam } from '@rocket.chat/apps-engine/definition/uikit/UIKitInteractionResponder';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { GuardPolicy } from '../guard/GuardPolicy';
import { Replies } from '../i18n/Replies';
import type { EncryptionStatus, SetEncryptedResult } from '../EncryptionService';
import { translate } from '../i18n/translate';
import type { Refusal } from '../Refusal';
import { displayName } from '../RoomFacts';
import { SWITCH_OFF, SWITCH_ON, confirmOffViewId, panelViewId } from './ids';

/** What the panel shows about one group, as the service sees it for this caller right now. */
export interface PanelFacts {
    status: EncryptionStatus;
    guard: GuardPolicy;
}

/** What the last click did: a change (or none needed), or a refusal. */
export type PanelOutcome = { result: SetEncryptedResult } | { refusal: Refusal };

type Block = Record<string, unknown>;
type Blocks = IUIKitContextualBarViewParam['blocks'];

/** Refusals whose `error` is Rocket.Chat's own sentence (the app's other refusals are its own words). */
const ROCKET_CHAT_WORDS = new Set(['room-not-found', 'room-archived', 'edit-not-allowed', 'e2e-unavailable', 'toggle-not-allowed', 'server-refused']);

/**
 * UI-kit blocks as Rocket.Chat's web client renders them (the `@rocket.chat/ui-kit` shapes). Each
 * block names the app: the client sends a block's actions to the app named on the block.
 */
class BlockList {
    public readonly blocks: Array<Block> = [];

    constructor(private readonly appId: string) {}

    public section(blockId: string, text: string): this {
        return this.add({ type: 'section', blockId, text: { type: 'mrkdwn', text } });
    }

    public context(blockId: string, text: string): this {
        return this.add({ type: 'context', blockId, elements: [{ type: 'mrkdwn', text }] });
    }

    public button(blockId: string, actionId: string, text: string, value: string, style: 'primary' | 'danger'): this {
        return this.add({
            type: 'actions',
            blockId,
            elements: [{ type: 'button', appId: this.appId, blockId, actionId, text: { type: 'plain_text', text }, value, style }],
        });
    }

    private add(block: Block): this {
        this.blocks.push({ appId: this.appId, ...block });
        return this;
    }
}

/**
 * The contextual bar: the group's state, what keeps it encrypted, whether this caller may switch
 * it (and if not, why, in the app's sentence and Rocket.Chat's own), one switch, and the result of
 * the last click. The switch is always there: rights are checked on the click, not here.
 */
export function panelView(user: IUser, appId: string, facts: PanelFacts, outcome?: PanelOutcome): IUIKitContextualBarViewParam {
    const replies = new Replies(user);
    const { room, encrypted, refusal } = facts.status;
    const group = displayName(room);
    const target = encrypted ? 'off' : 'on';
    const list = new BlockList(appId);
    if (outcome) {
        if ('result' in outcome) {
            list.section('outcome', `*${replies.changed(outcome.result)}*`);
        } else {
            list.section('outcome', `*${translate(user, 'reply_panel_refused', { why: replies.refusal(outcome.refusal, group, group) })}*`);
            serverWords(list, user, 'outcome-words', outcome.refusal);
        }
    }
    list.section('state', translate(user, encrypted ? 'reply_status_on' : 'reply_status_off', { group }));
    list.context(
        'guard',
        translate(user, `reply_panel_guard_${facts.guard === 'off-allowed' ? 'off_allowed' : facts.guard === 'kept-on' ? 'kept_on' : 'app_refuses'}`),
    );
    if (refusal) {
        list.section('rights', translate(user, `reply_panel_may_not_${target}`, { why: replies.refusal(refusal, group, group) }));
        serverWords(list, user, 'rights-words', refusal);
    } else {
        list.section('rights', translate(user, `reply_panel_may_${target}`));
    }
    list.button('switch', encrypted ? SWITCH_OFF : SWITCH_ON, translate(user, `reply_panel_switch_${target}`), room.id, encrypted ? 'danger' : 'primary');
    if (!encrypted) {
        list.context('on-warning', translate(user, 'reply_panel_on_warning', { group }));
    }
    return {
        id: panelViewId(room.id),
        title: { type: 'plain_text', text: translate(user, 'reply_panel_title') },
        blocks: list.blocks as unknown as Blocks,
    } as IUIKitContextualBarViewParam;
}

/** The panel for a room the caller cannot switch at all (not a group of theirs, say): why, and no switch. */
export function refusedPanelView(user: IUser, appId: string, roomId: string, refusal: Refusal): IUIKitContextualBarViewParam {
    const list = new BlockList(appId).section('refusal', new Replies(user).refusal(refusal, undefined, ''));
    return {
        id: panelViewId(roomId),
        title: { type: 'plain_text', text: translate(user, 'reply_panel_title') },
        blocks: list.blocks as unknown as Blocks,
    } as IUIKitContextualBarViewParam;
}

/**
 * Asked before switching off: what it means (the server can read new messages; what was sent
 * stays as it is) and, when the workspace's policy or the caller's rights would refuse it, that too.
 */
export function confirmOffModal(user: IUser, appId: string, facts: PanelFacts): IUIKitModalViewParam {
    const { room, refusal } = facts.status;
    const group = displayName(room);
    const list = new BlockList(appId).section('meaning', translate(user, 'reply_confirm_off_body', { group }));
    if (refusal?.reason === 'turning-off-disabled') {
        list.section('policy', translate(user, 'reply_confirm_off_policy'));
    } else if (refusal) {
        list.section('policy', translate(user, 'reply_confirm_off_refusal', { why: new Replies(user).refusal(refusal, group, group) }));
    }
    return {
        id: confirmOffViewId(room.id),
        title: { type: 'plain_text', text: translate(user, 'reply_confirm_off_title') },
        blocks: list.blocks as unknown as Blocks,
        submit: {
            type: 'button',
            appId,
            blockId: 'confirm',
            actionId: 'confirm',
            text: { type: 'plain_text', text: translate(user, 'reply_confirm_off_submit') },
            style: 'danger',
        },
        close: { type: 'button', appId, blockId: 'cancel', actionId: 'cancel', text: { type: 'plain_text', text: translate(user, 'reply_confirm_cancel') } },
    } as unknown as IUIKitModalViewParam;
}

/** Rocket.Chat's own sentence beside the app's, where the refusal is one of Rocket.Chat's. */
function serverWords(list: BlockList, user: IUser, blockId: string, refusal: Refusal): void {
    if (ROCKET_CHAT_WORDS.has(refusal.reason)) {
        list.context(blockId, translate(user, 'reply_panel_server_words', { error: refusal.error }));
    }
}
