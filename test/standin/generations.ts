// Which Rocket.Chat the stand-in is: the one place that knows server generations. Everything that
// differs by version — the Apps-Engine that hosts the app, how an app's room update is stored, the
// setting defaults, the shape of a 401 — is read from the profile this module builds.
//
// Rocket.Chat's release notes and the Apps-Engine changelog give the pairing:
//   6.7–6.10    Apps-Engine 1.42     vm2, in the server process        whole room
//   6.11–6.13   1.43–1.46            Deno subprocess                   whole room
//   7.0–7.3     1.47–1.48            Deno subprocess                   whole room
//   7.4–8.7     1.49–1.65            Deno subprocess                   changes only (PR #35120)
//   8.8         1.66                 Node subprocess by default        changes only
//   9.0         1.68                 Node subprocess only              changes only
// npm has runtimes for 1.42.1, 1.46.0 and 1.62.0 (1.47/1.48 are not published, 1.65+ ship
// definitions only), so each generation is stood in for by the nearest published runtime.
//
// Older servers cannot install the app at all. `rc-apps package` writes the engine the app is
// compiled against into app.json as `requiredApiVersion: ^1.42.1`, and the server's AppManager
// refuses a package whose range its own engine does not satisfy (Apps-Engine's
// server/compiler/AppPackageParser.js throws `RequiredApiVersionError`: "Failed to load the App … as
// it requires v^1.42.1 of the App API however your server comes with v…"). Apps-Engine 1.42.1
// was published on 2024-04-05, and Rocket.Chat 6.7.0 (April 2024) is the first release built on
// it; 6.3–6.6 shipped 1.40 and 1.41. So the oldest profile starts at 6.7.0, and `serverProfile`
// refuses anything older with one line.

export type GenerationId = 'vm2' | 'deno-whole-room' | 'deno-partial';

export interface Generation {
    id: GenerationId;
    /** The Rocket.Chat versions this generation stands for, as the banner and test names say it. */
    versions: string;
    /** The npm package (an alias in package.json) that ships the engine, and its version. */
    enginePackage: string;
    engineVersion: string;
    runtime: string;
    /** What the real servers of the range ship, and why this engine stands in for it. */
    note: string;
    /**
     * How the server stores an app's room update: before 7.4 the bridge ran `convertAppRoom(room)`,
     * which merges `_unmappedProperties_` back into the room; from 7.4 `convertAppRoom(room, true)`
     * keeps known fields only (apps/meteor/app/apps/server/bridges/rooms.ts).
     */
    roomUpdate: 'whole-room' | 'changes-only';
    /** Lowest version of the range, inclusive. */
    from: Version;
}

export const GENERATIONS: ReadonlyArray<Generation> = [
    {
        id: 'vm2',
        versions: 'Rocket.Chat 6.7–6.10',
        enginePackage: '@rocket.chat/apps-engine',
        engineVersion: '1.42.1',
        runtime: 'vm2 in the server process',
        note: 'Rocket.Chat 6.7–6.10 ship Apps-Engine 1.42.',
        roomUpdate: 'whole-room',
        from: [6, 7, 0],
    },
    {
        id: 'deno-whole-room',
        versions: 'Rocket.Chat 6.11–7.3',
        enginePackage: 'apps-engine-1.46',
        engineVersion: '1.46.0',
        runtime: 'a Deno 1.46 subprocess',
        note: 'Rocket.Chat 6.11–7.3 ship Apps-Engine 1.43–1.48; 1.47 and 1.48 are not on npm, and 1.46.0 is the newest published release with whole-room updates.',
        roomUpdate: 'whole-room',
        from: [6, 11, 0],
    },
    {
        id: 'deno-partial',
        versions: 'Rocket.Chat 7.4–8.7',
        enginePackage: 'apps-engine-1.62',
        engineVersion: '1.62.0',
        runtime: 'a Deno 2 subprocess',
        note: 'Rocket.Chat 7.4–8.7 ship Apps-Engine 1.49–1.65; 1.62.0 is the newest release on npm that ships the runtime.',
        roomUpdate: 'changes-only',
        from: [7, 4, 0],
    },
];

export type Version = [number, number, number];

export interface ServerProfile {
    /** The version as the stand-in reports it (`GET /api/info`), e.g. `7.2.0`. */
    version: string;
    generation: Generation;
    /**
     * Said once at start: which Rocket.Chat this is and what stands in for it. Its first line says
     * the version and the profile; the lines after, why that engine (a printer wraps them).
     */
    banner: string;
    /** Setting values a fresh workspace of this version starts with. */
    settingDefaults: Record<string, unknown>;
    /**
     * The 401 of a core REST route for a caller who is not logged in. Up to 7.3 the Restivus
     * framework answered `{status, message}` (apps/meteor/packages/meteor-restivus/lib/route.js);
     * from 7.4 `API.v1.unauthorized()` gives `{success, error}` and, until the 9.0 breaking-change
     * flag (`shouldBreakInVersion('9.0.0')` in ApiClass.ts), keeps `status` and `message` beside.
     */
    unauthorizedBody: Record<string, unknown>;
    /**
     * `API.v1.forbidden()` without a message answers 403 `{success:false, error}` with `'unauthorized'`
     * until the 9.0 breaking-change flag, `'forbidden'` from 9.0 (apps/meteor/app/api/server/ApiClass.ts:
     * `applyBreakingChanges = shouldBreakInVersion('9.0.0')`).
     */
    forbiddenError: 'unauthorized' | 'forbidden';
    /**
     * A route's `permissionsRequired` refused: `Meteor.Error('error-unauthorized', 'User does not have
     * the permissions required for this action')` answered `API.v1.forbidden(e.message)`; from 9.0 the
     * same flag throws `error-forbidden` instead (ApiClass.ts, `_internalRouteActionHandler`).
     */
    permissionRefusalCode: 'error-unauthorized' | 'error-forbidden';
    /**
     * `commands.run` validates its body with a JSON schema from 8.0 (apps/meteor/server/api/v1/commands.ts:
     * `{success:false, errorType:'invalid-params', error:<ajv messages>}`); before, field by field
     * with sentences of its own (apps/meteor/app/api/server/v1/commands.ts).
     */
    schemaValidatedCommands: boolean;
    /** `chat.sendMessage` refuses messages with a system type from 7.0 (apps/meteor/app/api/server/v1/chat.ts). */
    refusesSystemMessagesInChat: boolean;
    /**
     * The apps message converter maps a message's `t` to the app's `IMessage.type` from 7.4 (PR
     * #35177, with `IPostSystemMessageSent`); before, `t` reached apps in `_unmappedProperties_`
     * (apps/meteor/app/apps/server/converters/messages.ts).
     */
    messageTypeMapped: boolean;
}

export class VersionError extends Error {}

export const DEFAULT_VERSION = '8.0.0';

/** The first Rocket.Chat whose Apps-Engine satisfies the app's `requiredApiVersion` (see the top of this file). */
export const MINIMUM_VERSION: Version = [6, 7, 0];
/**
 * The newest Rocket.Chat major the stand-in knows how to be. A later major may change any answer
 * (9.0 changed the 401 and 403 bodies), so it is refused rather than guessed at.
 */
export const NEWEST_MAJOR = 9;
/** What the app's packaged app.json asks of the server's engine (`requiredApiVersion`). */
export const REQUIRED_API_VERSION = '^1.42.1';
const NOT_LOGGED_IN = 'You must be logged in to do this.';

/** Reads a version as a person types it: `7`, `7.2`, `v7.3.0`, `7.3.0-rc.1`. */
export function parseVersion(input: string): Version {
    const match = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+][\w.-]*)?\s*$/i.exec(input);
    if (!match) {
        throw new VersionError(`RC_VERSION "${input}" is not a Rocket.Chat version (examples: 8.0.0, 7.2, 6.10)`);
    }
    return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

export function compareVersions(a: Version, b: Version): number {
    return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The profile for a Rocket.Chat version; versions the app cannot run on are refused with a reason. */
export function serverProfile(input: string = DEFAULT_VERSION): ServerProfile {
    const parsed = parseVersion(input);
    const version = parsed.join('.');
    const atLeast = (major: number, minor = 0) => compareVersions(parsed, [major, minor, 0]) >= 0;
    if (compareVersions(parsed, MINIMUM_VERSION) < 0) {
        throw new VersionError(
            `Rocket.Chat ${version} cannot install this app: it needs a server with Apps-Engine 1.42.1 or later (requiredApiVersion ${REQUIRED_API_VERSION}), that is Rocket.Chat ${MINIMUM_VERSION.join('.')} or later`,
        );
    }
    if (parsed[0] > NEWEST_MAJOR) {
        const ranges = [...GENERATIONS.map((known) => known.versions.replace(/^Rocket\.Chat /, '')), `8.8–${NEWEST_MAJOR}.x`].join(', ');
        throw new VersionError(
            `Rocket.Chat ${version} is not one the stand-in knows: it stands in for Rocket.Chat ${MINIMUM_VERSION.join('.')} up to ${NEWEST_MAJOR}.x (${ranges}); give RC_VERSION one of those`,
        );
    }
    const generation = [...GENERATIONS].reverse().find((candidate) => compareVersions(parsed, candidate.from) >= 0)!;
    const beyond = atLeast(8, 8)
        ? `\nRocket.Chat ${version} runs apps in a Node.js subprocess that is not on npm; 1.62's Deno runtime, with the same partial room updates, stands in for it.`
        : '';
    return {
        version,
        generation,
        banner: `Rocket.Chat ${version} stand-in, with the behaviour of ${generation.versions}: Apps-Engine ${generation.engineVersion} in ${generation.runtime}, ${generation.roomUpdate === 'whole-room' ? 'whole-room' : 'partial'} room updates.\n${generation.note}${beyond}`,
        settingDefaults: {
            // apps/meteor/server/settings/e2e.ts: off by default since 7.0.
            E2E_Allow_Unencrypted_Messages: !atLeast(7),
        },
        unauthorizedBody: !atLeast(7, 4)
            ? { status: 'error', message: NOT_LOGGED_IN }
            : atLeast(9)
              ? { success: false, error: NOT_LOGGED_IN }
              : { success: false, error: NOT_LOGGED_IN, status: 'error', message: NOT_LOGGED_IN },
        forbiddenError: atLeast(9) ? 'forbidden' : 'unauthorized',
        permissionRefusalCode: atLeast(9) ? 'error-forbidden' : 'error-unauthorized',
        schemaValidatedCommands: atLeast(8),
        refusesSystemMessagesInChat: atLeast(7),
        messageTypeMapped: atLeast(7, 4),
    };
}
