/** A private group as the picker lists it. */
export interface GroupEntry {
    id: string;
    /** The group's name as typed after `#`. */
    name: string;
    displayName?: string;
}

/** Rocket.Chat shows at most this many previews (`slashCommands.getPreviews` keeps the first ten). */
export const MAX_ITEMS = 10;

/**
 * The groups that match what the caller typed, best first: the exact name, then names that start
 * with it, then names with a word that does (`team-x` for `x`), then names or display names that
 * hold it anywhere; shorter names first within each, then by name. Nothing typed lists them all.
 */
export function rankGroups(groups: ReadonlyArray<GroupEntry>, typed: string, limit = MAX_ITEMS): Array<GroupEntry> {
    const query = typed.trim().replace(/^#/, '').toLowerCase();
    const scored: Array<{ group: GroupEntry; score: number }> = [];
    for (const group of groups) {
        const score = scoreOf(group, query);
        if (score !== undefined) {
            scored.push({ group, score });
        }
    }
    scored.sort(
        (a, b) => a.score - b.score || a.group.name.length - b.group.name.length || (a.group.name < b.group.name ? -1 : a.group.name > b.group.name ? 1 : 0),
    );
    return scored.slice(0, limit).map(({ group }) => group);
}

function scoreOf(group: GroupEntry, query: string): number | undefined {
    if (!query) {
        return 4;
    }
    const name = group.name.toLowerCase();
    const display = (group.displayName ?? '').toLowerCase();
    if (name === query) {
        return 0;
    }
    if (name.startsWith(query)) {
        return 1;
    }
    const words = [...name.split(/[-_.\s]+/), ...display.split(/[-_.\s]+/)];
    if (words.some((word) => word.startsWith(query))) {
        return 2;
    }
    return name.includes(query) || display.includes(query) ? 3 : undefined;
}
