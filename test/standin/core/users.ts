// Users, their login tokens (Rocket.Chat's `users` collection and `Accounts` login) and OAuth access tokens.
import { randomBytes } from 'node:crypto';

import { MeteorError } from './errors';
import { newId, type RawUser, type Storage } from '../storage/Storage';

export interface NewUser {
    username: string;
    name?: string;
    password?: string;
    roles?: Array<string>;
    type?: RawUser['type'];
    appId?: string;
    language?: string;
}

export function createUser(storage: Storage, data: NewUser): RawUser {
    if (storage.userByUsername(data.username)) {
        throw new MeteorError(undefined, `${data.username} is already in use :( [error-field-unavailable]`);
    }
    const now = new Date();
    const user: RawUser = {
        _id: newId(),
        username: data.username,
        name: data.name ?? data.username,
        type: data.type ?? 'user',
        active: true,
        roles: data.roles ?? ['user'],
        password: data.password,
        appId: data.appId,
        createdAt: now,
        _updatedAt: now,
        ...(data.language && { settings: { preferences: { language: data.language } } }),
    };
    storage.users.set(user._id, user);
    return user;
}

export function login(storage: Storage, username: string, password: string): { userId: string; authToken: string } | undefined {
    const user = storage.userByUsername(username);
    if (!user || !user.password || user.password !== password) {
        return undefined;
    }
    return { userId: user._id, authToken: issueToken(storage, user._id) };
}

/** A login token, as `POST /api/v1/login` or a personal access token would give. */
export function issueToken(storage: Storage, userId: string): string {
    const authToken = randomBytes(32).toString('base64url');
    storage.tokens.set(authToken, userId);
    return authToken;
}

/** `x-user-id` + `x-auth-token`, as Rocket.Chat's REST layer checks them. */
export function authenticate(storage: Storage, userId: unknown, token: unknown): RawUser | undefined {
    if (typeof userId !== 'string' || typeof token !== 'string' || storage.tokens.get(token) !== userId) {
        return undefined;
    }
    return storage.users.get(userId);
}

/** An OAuth access token for the user, as the OAuth2 server's token grant gives one (valid an hour). */
export function issueOAuthToken(storage: Storage, userId: string): string {
    const accessToken = randomBytes(20).toString('hex');
    storage.oauthAccessTokens.set(accessToken, { userId, expires: new Date(Date.now() + 3600_000) });
    return accessToken;
}

/**
 * `oAuth2ServerAuth` (apps/meteor/app/oauth2-server-config/server/oauth/oauth2-server.ts): the
 * access token of `Authorization: Bearer <token>` or `?access_token=`, if known and not expired.
 */
export function authenticateOAuth(storage: Storage, authorization: unknown, queryToken: unknown): RawUser | undefined {
    const headerToken = typeof authorization === 'string' ? authorization.replace('Bearer ', '') : undefined;
    const accessToken = headerToken || (typeof queryToken === 'string' ? queryToken : undefined);
    const token = accessToken ? storage.oauthAccessTokens.get(accessToken) : undefined;
    if (!token || token.expires < new Date()) {
        return undefined;
    }
    return storage.users.get(token.userId);
}

/** A user as REST routes show them: no password. */
export function publicUser(user: RawUser): Record<string, unknown> {
    const { password, ...rest } = user;
    void password;
    return structuredClone(rest);
}
