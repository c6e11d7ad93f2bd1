// The names the panel's UI-kit surfaces carry, and the room each one is about. The room travels in
// the view id and the button's value because Rocket.Chat hands a view submission no room
// (apps/meteor/ee/server/apps/communication/uikit.ts passes only type, actionId, triggerId,
// payload and user for `viewSubmit`), and a client may leave `rid` out of a block action.

/** The room action button (`GET /api/apps/actionButtons`). */
export const PANEL_BUTTON = 'encrypt-group-panel';
/** The panel's switch buttons; their value is the room id. */
export const SWITCH_ON = 'encrypt-group-switch-on';
export const SWITCH_OFF = 'encrypt-group-switch-off';

const PANEL_VIEW = 'encrypt-group-panel/';
const CONFIRM_OFF_VIEW = 'encrypt-group-confirm-off/';

export function panelViewId(roomId: string): string {
    return `${PANEL_VIEW}${roomId}`;
}

export function confirmOffViewId(roomId: string): string {
    return `${CONFIRM_OFF_VIEW}${roomId}`;
}

/** The room a confirmation modal is about; undefined for any other view. */
export function roomOfConfirmOff(viewId: unknown): string | undefined {
    return typeof viewId === 'string' && viewId.startsWith(CONFIRM_OFF_VIEW) && viewId.length > CONFIRM_OFF_VIEW.length
        ? viewId.slice(CONFIRM_OFF_VIEW.length)
        : undefined;
}
