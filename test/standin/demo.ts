// The demo workspace `npm start` offers: seeded through Rocket.Chat's REST API only, so it can be
// laid on any server that speaks it (the stand-in, one instance of several). The one exception is
// the first admin, who exists before the REST API does, as after Rocket.Chat's setup wizard: the
// caller makes that account (`createFirstAdmin`) and this module does the rest.
//
// What it builds, so that every step of the README's "Try it" works on every profile:
// - E2E switched on (`E2E_Enable`: without it Rocket.Chat refuses every change of encryption);
// - alice and bob (password DEMO_PASSWORD); alice owns most groups, bob is a member of them;
// - private groups of every kind the admin's report tells apart (GROUPS below): plain, encrypted,
//   archived, a private team's main group and a discussion — alice owns all but one, which bob owns;
// - the app, installed as `rc-apps deploy` installs it (`POST /api/apps`);
// - the service account `encrypt-service`, a bot (the Community way: no custom roles), and the
//   `bot` role given what the app's doors without a session need of it: `view-room-administration`
//   (the report's and the job's listing of every group) and `edit-room` +
//   `toggle-room-e2e-encryption` (the job writes through `rooms.saveRoomSettings` on every
//   version; from 7.4 `/encrypt` and the panel write as it too). Its `api-bypass-rate-limit`
//   comes with the role;
// - alice's direct messages with the app's bot, where `/encrypt off #group` is typed.
//
// Rocket.Chat's rate limiter counts every caller but admins and bots, 10 calls a minute per route
// from one address: alice's dozen groups would meet it. It is switched off while the demo is
// seeded and on again at the end, so the walkthrough starts with every count at zero.
import { RestClient } from '../support/RestClient';

export const DEMO_PASSWORD = 'demo-password';
export const SERVICE_USERNAME = 'encrypt-service';
/** The app bot's username: Rocket.Chat names it `<app's nameSlug>.bot`. */
export const BOT_USERNAME = 'encrypt-group.bot';
/** The group the walkthrough switches on and off. */
export const WALKTHROUGH_GROUP = 'project-x';

type Kind = 'group' | 'team' | 'discussion';

interface GroupSeed {
    name: string;
    kind: Kind;
    owner: 'alice' | 'bob';
    encrypted?: boolean;
    archived?: boolean;
}

/** The private groups of the demo: ten and more, of every kind the report shows. */
export const GROUPS: ReadonlyArray<GroupSeed> = [
    { name: WALKTHROUGH_GROUP, kind: 'group', owner: 'alice' },
    { name: 'design-reviews', kind: 'group', owner: 'alice', encrypted: true },
    { name: 'hr-private', kind: 'group', owner: 'alice', encrypted: true },
    { name: 'finance', kind: 'group', owner: 'alice' },
    { name: 'sales-leads', kind: 'group', owner: 'alice' },
    { name: 'release-planning', kind: 'group', owner: 'alice' },
    { name: 'old-project', kind: 'group', owner: 'alice', archived: true },
    { name: 'legacy-archive', kind: 'group', owner: 'alice', encrypted: true, archived: true },
    { name: 'bobs-corner', kind: 'group', owner: 'bob' },
    { name: 'platform-team', kind: 'team', owner: 'alice' },
    { name: 'security-team', kind: 'team', owner: 'alice', encrypted: true },
    { name: 'project-x-launch', kind: 'discussion', owner: 'alice' },
];

export interface DemoAccount {
    username: string;
    password: string;
    id: string;
    token: string;
}

export interface Demo {
    url: string;
    appId: string;
    admin: DemoAccount;
    alice: DemoAccount;
    bob: DemoAccount;
    service: { username: string; id: string; writes: boolean };
    /** Every seeded private group by name: its id and kind. */
    groups: Record<string, { id: string; kind: Kind; owner: string; encrypted: boolean; archived: boolean }>;
    /** alice's direct messages with the app's bot. */
    dmId: string;
}

export interface DemoOptions {
    admin: { username: string; password: string };
    /** Makes the first admin (with the roles `admin` and `user`) before the REST API is used. */
    createFirstAdmin: (username: string, password: string) => void;
    /** The packaged app, as `POST /api/apps` takes it. */
    zip: { bytes: Buffer; filename: string };
    /**
     * Whether the server writes an app's room update whole (before Rocket.Chat 7.4) or only the
     * fields changed through the builder (7.4 on): only the wording of `Demo.service` depends on it.
     */
    changesOnly: boolean;
}

export async function seedDemo(url: string, options: DemoOptions): Promise<Demo> {
    options.createFirstAdmin(options.admin.username, options.admin.password);
    const admin = await RestClient.login(url, options.admin.username, options.admin.password);
    await admin.post('settings/API_Enable_Rate_Limiter', { value: false });
    try {
        return await seed(url, admin, options);
    } finally {
        await admin.post('settings/API_Enable_Rate_Limiter', { value: true });
    }
}

async function seed(url: string, admin: RestClient, options: DemoOptions): Promise<Demo> {
    await admin.post('settings/E2E_Enable', { value: true });
    for (const username of ['alice', 'bob']) {
        await admin.post('users.create', { username, name: username, email: `${username}@example.com`, password: DEMO_PASSWORD });
    }
    const people = {
        alice: await RestClient.login(url, 'alice', DEMO_PASSWORD),
        bob: await RestClient.login(url, 'bob', DEMO_PASSWORD),
    };

    const groups: Demo['groups'] = {};
    for (const seed of GROUPS) {
        const owner = people[seed.owner];
        const other = seed.owner === 'alice' ? 'bob' : 'alice';
        let id: string;
        if (seed.kind === 'team') {
            const { team } = await owner.post('teams.create', { name: seed.name, type: 1, members: [other] });
            id = team.roomId;
        } else if (seed.kind === 'discussion') {
            const { discussion } = await owner.post('rooms.createDiscussion', { prid: groups[WALKTHROUGH_GROUP].id, t_name: seed.name, users: [other] });
            id = discussion._id;
        } else {
            const { group } = await owner.post('groups.create', { name: seed.name, members: [other] });
            id = group._id;
        }
        if (seed.encrypted) {
            await owner.post('groups.setEncrypted', { roomId: id, encrypted: true });
        }
        if (seed.archived) {
            await owner.post('groups.archive', { roomId: id });
        }
        groups[seed.name] = { id, kind: seed.kind, owner: seed.owner, encrypted: seed.encrypted === true, archived: seed.archived === true };
    }

    const app = await admin.installApp(options.zip.bytes, options.zip.filename);
    await admin.post('users.create', {
        username: SERVICE_USERNAME,
        name: 'Encrypt Group service',
        email: 'svc@example.com',
        password: DEMO_PASSWORD,
        roles: ['bot'],
    });
    const { update: table } = await admin.get('permissions.listAll');
    const withBot = (id: string) => [...new Set([...table.find((permission: { _id: string }) => permission._id === id).roles, 'bot'])];
    await admin.post('permissions.update', {
        permissions: ['edit-room', 'toggle-room-e2e-encryption', 'view-room-administration'].map((_id) => ({ _id, roles: withBot(_id) })),
    });
    const service = await RestClient.login(url, SERVICE_USERNAME, DEMO_PASSWORD);
    // Both halves in one request; the app checks the account once both are set.
    await admin.setAppSettings(app.id, { service_account_user_id: service.userId, service_account_token: service.authToken });
    const { room: dm } = await people.alice.post('im.create', { username: BOT_USERNAME });

    const account = (client: RestClient, username: string, password: string): DemoAccount => ({
        username,
        password,
        id: client.userId,
        token: client.authToken,
    });
    return {
        url,
        appId: app.id,
        admin: account(admin, options.admin.username, options.admin.password),
        alice: account(people.alice, 'alice', DEMO_PASSWORD),
        bob: account(people.bob, 'bob', DEMO_PASSWORD),
        service: { username: SERVICE_USERNAME, id: service.userId, writes: options.changesOnly },
        groups,
        dmId: dm._id,
    };
}

/** The demo as lines a POSIX shell can `source`: exported variables, values single-quoted. */
export function demoEnv(demo: Demo): string {
    const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
    const values: Array<[string, string]> = [
        ['RC_URL', demo.url],
        ['APP', demo.appId],
        ['APP_ID', demo.appId],
        ['ADMIN_USER', demo.admin.username],
        ['ADMIN_PASSWORD', demo.admin.password],
        ['ADMIN_ID', demo.admin.id],
        ['ADMIN_TOKEN', demo.admin.token],
        ['ALICE_ID', demo.alice.id],
        ['ALICE_TOKEN', demo.alice.token],
        ['BOB_ID', demo.bob.id],
        ['BOB_TOKEN', demo.bob.token],
        ['GROUP', WALKTHROUGH_GROUP],
        ['GROUP_ID', demo.groups[WALKTHROUGH_GROUP].id],
        ['DM_ID', demo.dmId],
        ['BOT', BOT_USERNAME],
    ];
    return [
        '# Written by `npm start` when the stand-in is ready, removed when it stops: `source .standin.env`.',
        ...values.map(([name, value]) => `export ${name}=${quote(value)}`),
        '',
    ].join('\n');
}
