/** What `/encrypt …` asked for; `group` is a group name without its `#`, absent for "this room". */
export type EncryptCommandRequest =
    | { action: 'status'; group?: string; withUsage: boolean }
    | { action: 'history'; group?: string }
    | { action: 'report'; group?: undefined }
    | { action: 'help' }
    | { action: 'set'; encrypted: boolean; group?: string }
    | { action: 'invalid'; problem: 'unknown-option'; argument: string }
    | { action: 'invalid'; problem: 'option-as-group'; argument: string }
    | { action: 'invalid'; problem: 'too-many-arguments' };

const SET_WORDS: Record<string, boolean> = { on: true, enable: true, off: false, disable: false };

export function parseArguments(args: ReadonlyArray<string>): EncryptCommandRequest {
    const words = args.map((word) => word.trim()).filter(Boolean);
    if (words.length === 0) {
        return { action: 'status', withUsage: true };
    }
    if (words.length > 2) {
        return { action: 'invalid', problem: 'too-many-arguments' };
    }
    const [option, groupWord] = words;
    // `/encrypt #project-x`: a group and no option most likely asks how that group stands.
    if (groupWord === undefined && /^#./.test(option)) {
        return { action: 'status', group: option.slice(1), withUsage: false };
    }
    const group = groupWord === undefined ? undefined : groupWord.replace(/^#/, '');
    if (group === '') {
        return { action: 'invalid', problem: 'unknown-option', argument: groupWord };
    }
    // `/encrypt on off`: two options, no group.
    if (group !== undefined && isOption(group) && !groupWord.startsWith('#')) {
        return { action: 'invalid', problem: 'option-as-group', argument: group };
    }
    const word = option.toLowerCase();
    if (Object.prototype.hasOwnProperty.call(SET_WORDS, word)) {
        return { action: 'set', encrypted: SET_WORDS[word], group };
    }
    if (word === 'status') {
        return { action: 'status', group, withUsage: false };
    }
    if (word === 'history') {
        return { action: 'history', group };
    }
    if (word === 'help') {
        return { action: 'help' };
    }
    // The whole workspace: a group after it means something else was meant.
    if (word === 'report') {
        return group === undefined ? { action: 'report' } : { action: 'invalid', problem: 'too-many-arguments' };
    }
    return { action: 'invalid', problem: 'unknown-option', argument: option };
}

function isOption(word: string): boolean {
    const lower = word.toLowerCase();
    return Object.prototype.hasOwnProperty.call(SET_WORDS, lower) || ['status', 'history', 'help', 'report'].includes(lower);
}
