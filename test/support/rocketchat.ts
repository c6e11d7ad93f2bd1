// Rocket.Chat's REST answers as tests expect them, pinned from Rocket.Chat's source: a failure is
// `API.v1.failure(message, errorType, stack, error)` (apps/meteor/app/api/server/api.ts), which
// gives `{success:false, error:'<reason> [<code>]', errorType:'<code>'}` plus the thrown error's
// `details` when it has some.

export function rcError(message: string, errorType: string, details?: Record<string, unknown>): Record<string, unknown> {
    return { success: false, error: `${message} [${errorType}]`, errorType, ...(details && { details }) };
}

/** The `details` that `saveRoomSettings` attaches (apps/meteor/server/methods/saveRoomSettings.ts). */
const EDITING_ROOM = { method: 'saveRoomSettings', action: 'Editing_room' };
const CHANGE_ENCRYPTED = { method: 'saveRoomSettings', action: 'Change_Room_Encrypted' };

export const NOT_FOUND = rcError('The required "roomId" or "roomName" param provided does not match any group', 'error-room-not-found');
export const NOT_PROVIDED = rcError('The parameter "roomId" or "roomName" is required', 'error-room-param-not-provided');
export const ENCRYPTED_REQUIRED = { success: false, error: 'The bodyParam "encrypted" is required' };
export const EDIT_NOT_ALLOWED = rcError('Editing room is not allowed', 'error-action-not-allowed', EDITING_ROOM);
export const E2E_UNAVAILABLE = rcError('Only groups or direct channels can enable encryption', 'error-action-not-allowed', CHANGE_ENCRYPTED);
export const TOGGLE_NOT_ALLOWED = rcError('You do not have permission to toggle E2E encryption', 'error-action-not-allowed', CHANGE_ENCRYPTED);
export const archivedError = (name: string) => rcError(`The private group, ${name}, is archived`, 'error-room-archived');
