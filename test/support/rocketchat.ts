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

/** A route's `permissionsRequired` refused before 9.0 (apps/meteor/app/api/server/ApiClass.ts): 403, the code only in the text. */
export const PERMISSION_REQUIRED = { success: false, error: 'User does not have the permissions required for this action [error-unauthorized]' };
/**
 * `rooms.adminRooms` without `view-room-administration`: `findAdminRooms` throws a plain
 * `Error('error-not-authorized')` (apps/meteor/app/api/server/lib/rooms.ts), which the REST wrapper
 * answers `failure(e.message)`: 400, no errorType.
 */
export const ADMIN_ROOMS_NOT_AUTHORIZED = { success: false, error: 'error-not-authorized' };
/** `API.v1.tooManyRequests(e.message)` for the rate limiter's `error-too-many-requests` (ApiClass.ts): 429, no errorType. */
export const TOO_MANY_REQUESTS =
    /^Error, too many requests\. Please slow down\. You must wait (\d+) seconds before trying this endpoint again\. \[error-too-many-requests\]$/;

/** apps/meteor/app/api/server/v1/permissions.ts: a thrown Meteor.Error for the date… */
export const UPDATED_SINCE_INVALID = rcError('The "updatedSince" query parameter must be a valid date.', 'error-roomId-param-invalid');
/** …and `API.v1.failure(message, errorType)` for the update, which keeps the code out of the text. */
export const INVALID_PERMISSION = { success: false, error: 'Invalid permission', errorType: 'error-invalid-permission' };
export const INVALID_ROLE = { success: false, error: 'Invalid role', errorType: 'error-invalid-role' };

/** apps/meteor/server/methods/removeUserFromRoom.ts, unarchiveRoom.ts; users.setPreferences in apps/meteor/app/api/server/v1/users.ts. */
export const REMOVE_NOT_ALLOWED = rcError('Not allowed', 'error-not-allowed', { method: 'removeUserFromRoom' });
export const USER_NOT_IN_ROOM = rcError('User is not in this room', 'error-user-not-in-room', { method: 'removeUserFromRoom' });
export const UNARCHIVE_NOT_AUTHORIZED = rcError('Not authorized', 'error-not-authorized', { method: 'unarchiveRoom' });
export const EDIT_USER_NOT_ALLOWED = rcError('Editing user is not allowed', 'error-action-not-allowed');
