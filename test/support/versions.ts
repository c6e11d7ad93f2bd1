// A Rocket.Chat version as the tests compare it, read from what the server reports (`GET /api/info`),
// on purpose apart from the stand-in's own generations module: a test must not share its mistakes.
export type Version = [number, number];

export function versionOf(text: string): Version {
    const [major, minor] = text.split('.').map((part) => Number.parseInt(part, 10));
    return [major, minor || 0];
}

export function atLeast([major, minor]: Version, [wantMajor, wantMinor]: Version): boolean {
    return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}
