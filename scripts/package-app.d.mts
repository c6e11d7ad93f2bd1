/** Builds dist/<nameSlug>_<version>.zip holding only the app; returns its path. */
export function packageApp(options?: { quiet?: boolean; ifStale?: boolean; onBuild?: () => void }): string;
/** The zip entries a Rocket.Chat server needs; anything else is left out. */
export const SHIPPED: RegExp;
