/**
 * A way to act on the server's REST API as someone: a login session or personal access token
 * (`X-User-Id` + `X-Auth-Token`), or an OAuth access token, which Rocket.Chat accepts for app
 * endpoints and REST routes alike, as `Authorization: Bearer` or `?access_token=`; the app sends
 * it on as the header.
 */
export type Credential = { kind: 'session'; userId: string; token: string } | { kind: 'bearer'; token: string };

/** Whose credential it is: the caller's own (their rights), or the app's service account. */
export type CredentialOwner = 'caller' | 'service-account';

export function authHeaders(credential: Credential): Record<string, string> {
    return credential.kind === 'session'
        ? { 'X-User-Id': credential.userId, 'X-Auth-Token': credential.token }
        : { Authorization: `Bearer ${credential.token}` };
}
