import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { CATALOG } from './catalog';

export type MessageKey = keyof (typeof CATALOG)['en'];
type Language = keyof typeof CATALOG;

/** A reply in the user's own language (their Rocket.Chat preference), English where none matches. */
export function translate(user: IUser, key: MessageKey, params: Record<string, string> = {}): string {
    const table: Partial<Record<MessageKey, string>> = CATALOG[languageOf(user)];
    const text = table[key] ?? CATALOG.en[key];
    return text.replace(/\{(\w+)\}/g, (placeholder, name: string) => (Object.prototype.hasOwnProperty.call(params, name) ? params[name] : placeholder));
}

function languageOf(user: IUser): Language {
    const preferred = (user.settings?.preferences?.language ?? '').toLowerCase();
    const candidates = [preferred, preferred.split(/[-_]/)[0]];
    return (candidates.find((code) => Object.prototype.hasOwnProperty.call(CATALOG, code)) as Language | undefined) ?? 'en';
}
