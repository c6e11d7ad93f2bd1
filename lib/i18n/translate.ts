import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { CATALOG } from './catalog';

export type MessageKey = keyof (typeof CATALOG)['en'];
type Language = keyof typeof CATALOG;

/**
 * `{count, plural, one {# group} other {# groups}}`: the first text when the parameter is exactly 1,
 * the second otherwise, `#` standing for the number. That is the whole plural rule of every language
 * the catalog has (English and German); a language with other forms needs more than this.
 */
const PLURAL = /\{(\w+), plural, one \{([^{}]*)\} other \{([^{}]*)\}\}/g;

/** A reply in the user's own language (their Rocket.Chat preference), English where none matches. */
export function translate(user: IUser, key: MessageKey, params: Record<string, string> = {}): string {
    const table: Partial<Record<MessageKey, string>> = CATALOG[languageOf(user)];
    const text = table[key] ?? CATALOG.en[key];
    const given = (name: string) => Object.prototype.hasOwnProperty.call(params, name);
    return text
        .replace(PLURAL, (choice, name: string, one: string, other: string) =>
            given(name) ? (params[name] === '1' ? one : other).replace(/#/g, params[name]) : choice,
        )
        .replace(/\{(\w+)\}/g, (placeholder, name: string) => (given(name) ? params[name] : placeholder));
}

function languageOf(user: IUser): Language {
    const preferred = (user.settings?.preferences?.language ?? '').toLowerCase();
    const candidates = [preferred, preferred.split(/[-_]/)[0]];
    return (candidates.find((code) => Object.prototype.hasOwnProperty.call(CATALOG, code)) as Language | undefined) ?? 'en';
}
