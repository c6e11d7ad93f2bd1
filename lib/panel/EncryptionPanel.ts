import type { IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type {
    IUIKitResponse,
    UIKitActionButtonInteractionContext,
    UIKitBlockInteractionContext,
    UIKitViewCloseInteractionContext,
    UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import type { IUIKitContextualBarViewParam } from '@rocket.chat/apps-engine/definition/uikit/UIKitInteractionResponder';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { EncryptionServiceFactory } from '../compositionRoot';
import { describeError } from '../describeError';
import { isRefusal } from '../Refusal';
import { PANEL_BUTTON, SWITCH_OFF, SWITCH_ON, roomOfConfirmOff } from './ids';
import type { GuardPolicy } from '../guard/GuardPolicy';
import { type PanelOutcome, confirmOffModal, panelView, refusedPanelView } from './PanelView';

export interface PanelDeps {
    services: EncryptionServiceFactory;
    guardPolicy: (read: IRead) => Promise<GuardPolicy>;
    appId: string;
    logger: Pick<ILogger, 'error'>;
}

/** One call's accessors, in the order the UI-kit handlers receive them. */
interface Accessors {
    read: IRead;
    http: IHttp;
    persistence: IPersistence;
    modify: IModify;
}

/**
 * The room's Encryption panel: the room action button opens it, its switch changes the group
 * through the same EncryptionService as the endpoint and `/encrypt` (the panel adds no rule, and
 * rights are checked on every click), switching off asks first in a modal. Views go back as the
 * interaction's response; the one view that changes after a modal closes — the panel — is pushed
 * to the user.
 */
export class EncryptionPanel {
    constructor(private readonly deps: PanelDeps) {}

    public async actionButton(
        context: UIKitActionButtonInteractionContext,
        read: IRead,
        http: IHttp,
        persistence: IPersistence,
        modify: IModify,
    ): Promise<IUIKitResponse> {
        const { actionId, user, room } = context.getInteractionData();
        const responder = context.getInteractionResponder();
        if (actionId !== PANEL_BUTTON) {
            return responder.successResponse();
        }
        return this.guarded(responder, async () =>
            responder.openContextualBarViewResponse(await this.view({ read, http, persistence, modify }, user, room?.id ?? '')),
        );
    }

    public async blockAction(
        context: UIKitBlockInteractionContext,
        read: IRead,
        http: IHttp,
        persistence: IPersistence,
        modify: IModify,
    ): Promise<IUIKitResponse> {
        const { actionId, value, user, room } = context.getInteractionData();
        const responder = context.getInteractionResponder();
        const roomId = value || room?.id || '';
        const accessors = { read, http, persistence, modify };
        if (actionId === SWITCH_ON) {
            return this.guarded(responder, async () => {
                const outcome = await this.switchTo(accessors, user, roomId, true);
                return responder.updateContextualBarViewResponse(await this.view(accessors, user, roomId, outcome));
            });
        }
        if (actionId === SWITCH_OFF) {
            return this.guarded(responder, async () => {
                const status = await this.deps.services(read, modify, http, persistence).status(user, { roomId });
                if (isRefusal(status)) {
                    return responder.updateContextualBarViewResponse(refusedPanelView(user, this.deps.appId, roomId, status));
                }
                return responder.openModalViewResponse(confirmOffModal(user, this.deps.appId, { status, guard: await this.deps.guardPolicy(read) }));
            });
        }
        return responder.successResponse();
    }

    /** The switch-off was confirmed: the modal closes (a bare success), and the panel shows what happened. */
    public async viewSubmit(
        context: UIKitViewSubmitInteractionContext,
        read: IRead,
        http: IHttp,
        persistence: IPersistence,
        modify: IModify,
    ): Promise<IUIKitResponse> {
        const { view, user, triggerId } = context.getInteractionData();
        const responder = context.getInteractionResponder();
        const roomId = roomOfConfirmOff(view?.id);
        if (roomId === undefined) {
            return responder.successResponse();
        }
        return this.guarded(responder, async () => {
            const accessors = { read, http, persistence, modify };
            const outcome = await this.switchTo(accessors, user, roomId, false);
            const panel = await this.view(accessors, user, roomId, outcome);
            await modify.getUiController().updateContextualBarView(panel, { triggerId }, user);
            return responder.successResponse();
        });
    }

    public async viewClosed(context: UIKitViewCloseInteractionContext): Promise<IUIKitResponse> {
        return context.getInteractionResponder().successResponse();
    }

    private async switchTo({ read, http, persistence, modify }: Accessors, caller: IUser, roomId: string, encrypted: boolean): Promise<PanelOutcome> {
        const result = await this.deps.services(read, modify, http, persistence).setEncrypted({ caller, target: { roomId }, encrypted, door: 'panel' });
        return isRefusal(result) ? { refusal: result } : { result };
    }

    /** The panel as the group stands now for this caller, with the outcome of their last click. */
    private async view(
        { read, http, persistence, modify }: Accessors,
        user: IUser,
        roomId: string,
        outcome?: PanelOutcome,
    ): Promise<IUIKitContextualBarViewParam> {
        const status = await this.deps.services(read, modify, http, persistence).status(user, { roomId });
        if (isRefusal(status)) {
            return refusedPanelView(user, this.deps.appId, roomId, outcome && 'refusal' in outcome ? outcome.refusal : status);
        }
        return panelView(user, this.deps.appId, { status, guard: await this.deps.guardPolicy(read) }, outcome);
    }

    /** A failure is logged and answered as UI-kit's error response; the client keeps what it shows. */
    private async guarded(responder: { errorResponse(): IUIKitResponse }, run: () => Promise<IUIKitResponse>): Promise<IUIKitResponse> {
        try {
            return await run();
        } catch (error) {
            this.deps.logger.error('Encrypt Group: the Encryption panel failed', describeError(error));
            return responder.errorResponse();
        }
    }
}
