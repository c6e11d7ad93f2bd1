// What every end-to-end suite needs on a target: people, groups and rooms made through Rocket.Chat's
// REST API with unique names (so a real server can be reused), and the calls the suites compare.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';

import { SettingId } from '../../lib/AppSettings';
import { type RestAnswer, RestClient } from '../support/RestClient';
import { appLogCheck } from './appLog';
import type { Target } from './target';

const PASSWORD = 'e2e-password-1';
let sequence = 0;

export interface Person {
    client: RestClient;
    username: string;
    id: string;
}

export interface Room {
    _id: string;
    name: string;
}

export interface World {
    owner: Person;
    moderator: Person;
    member: Person;
    outsider: Person;
    adminMember: Person;
    adminOutsider: Person;
    group: Room;
    channel: Room;
    archived: Room;
    /** The owner's DM with the app's bot: where `/encrypt off #group` is typed. */
    botDm: { _id: string };
}

/** What a check needs of the running test (node:test's context): a way to mark it skipped. */
export interface Skippable {
    skip(message?: string): void;
}

export class Scenario {
    /** Every secret this run hands the server, with what it is: the app's log must hold none of them (appLog.ts). */
    public readonly secrets = new Map<string, string>([[PASSWORD, 'the password of every e2e user']]);
    /** The app's log records already searched for them. */
    public readonly logRecordsRead = new Set<string>();

    constructor(public readonly target: Target) {
        this.secrets.set(target.admin.authToken, "the admin's login token");
    }

    public unique(label: string): string {
        return `e2e-${label}-${process.pid}-${++sequence}`;
    }

    public async person(label: string, roles?: Array<string>): Promise<Person> {
        const username = this.unique(label);
        await this.target.admin.post('users.create', {
            username,
            name: username,
            email: `${username}@example.com`,
            password: PASSWORD,
            ...(roles && { roles }),
        });
        const client = await RestClient.login(this.target.url, username, PASSWORD);
        this.secrets.set(client.authToken, `the login token of ${username}`);
        return { client, username, id: client.userId };
    }

    public async world(): Promise<World> {
        const [owner, moderator, member, outsider, adminMember, adminOutsider] = await Promise.all([
            this.person('owner'),
            this.person('moderator'),
            this.person('member'),
            this.person('outsider'),
            this.person('admin-member', ['admin', 'user']),
            this.person('admin-outsider', ['admin', 'user']),
        ]);
        const { group } = await owner.client.post('groups.create', {
            name: this.unique('group'),
            members: [moderator.username, member.username, adminMember.username],
        });
        await owner.client.post('groups.addModerator', { roomId: group._id, userId: moderator.id });
        const { channel } = await owner.client.post('channels.create', { name: this.unique('channel'), members: [member.username] });
        const { group: archived } = await owner.client.post('groups.create', { name: this.unique('archived'), members: [member.username] });
        await owner.client.post('groups.archive', { roomId: archived._id });
        const { room: botDm } = await owner.client.post('im.create', { username: 'encrypt-group.bot' });
        return { owner, moderator, member, outsider, adminMember, adminOutsider, group, channel, archived, botDm };
    }

    public viaApp(who: Person, body: unknown, headers?: Record<string, string>) {
        return who.client.appCall(this.target.appId, 'groups.setEncrypted', 'POST', body, headers);
    }

    public viaCore(who: Person, body: unknown) {
        return who.client.request('POST', '/api/v1/groups.setEncrypted', body);
    }

    /** The group's flag as `groups.info` shows it to one of its members. */
    public async encryptedOf(member: Person, roomId: string): Promise<unknown> {
        return (await member.client.get('groups.info', { roomId })).group.encrypted;
    }

    /** The group's `room_e2e_*` system messages, oldest first, as "<type> by <username>". */
    public async e2eNotices(member: Person, roomId: string): Promise<Array<string>> {
        return (await member.client.get('groups.messages', { roomId })).messages
            .filter((message: any) => message.t === 'room_e2e_enabled' || message.t === 'room_e2e_disabled')
            .map((message: any) => `${message.t} by ${message.u.username}`)
            .reverse();
    }

    /**
     * Sets these app settings and gives back what puts the values in force before back: suites
     * that share a server (a real one, or a stand-in started apart) depend on no setting they did
     * not set themselves.
     */
    public async holdAppSettings(values: Record<string, unknown>): Promise<() => Promise<void>> {
        const token = values[SettingId.ServiceAccountToken];
        if (typeof token === 'string' && token) {
            this.secrets.set(token, 'a service-account token set in the app settings');
        }
        const before = await this.target.admin.appSettings(this.target.appId);
        await this.target.admin.setAppSettings(this.target.appId, values);
        return () => this.target.admin.setAppSettings(this.target.appId, Object.fromEntries(Object.keys(values).map((id) => [id, before[id]])));
    }

    /** `run` with these app settings, then the earlier values back. */
    public async withAppSettings<T>(values: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
        return during(await this.holdAppSettings(values), run);
    }

    /**
     * Changes Rocket.Chat's permission table (`permissions.update`) and gives back the update's
     * answer and what puts the roles back: every suite reads the same table.
     */
    public async holdPermissions(changes: Record<string, Array<string>>): Promise<{ answer: RestAnswer; restore: () => Promise<void> }> {
        const admin = this.target.admin;
        const table: Array<{ _id: string; roles: Array<string> }> = (await admin.get('permissions.listAll')).update;
        const previous = Object.keys(changes).map((_id) => ({ _id, roles: table.find((permission) => permission._id === _id)?.roles ?? [] }));
        const permissions = Object.entries(changes).map(([_id, roles]) => ({ _id, roles }));
        const answer = await admin.request('POST', '/api/v1/permissions.update', { permissions });
        return { answer, restore: async () => void (await admin.post('permissions.update', { permissions: previous })) };
    }

    /** `run` with the table changed (it gets the update's answer), then the roles back. */
    public async withPermissions<T>(changes: Record<string, Array<string>>, run: (answer: RestAnswer) => Promise<T>): Promise<T> {
        const { answer, restore } = await this.holdPermissions(changes);
        return during(restore, () => run(answer));
    }

    /** The same for server settings (`GET|POST /api/v1/settings/:id`). */
    public async holdServerSettings(values: Record<string, unknown>): Promise<() => Promise<void>> {
        const admin = this.target.admin;
        const before = await Promise.all(Object.keys(values).map(async (id) => [id, (await admin.get(`settings/${id}`)).value] as const));
        for (const [id, value] of Object.entries(values)) {
            await admin.post(`settings/${id}`, { value });
        }
        return async () => {
            for (const [id, value] of before) {
                await admin.post(`settings/${id}`, { value });
            }
        };
    }

    public async withServerSettings<T>(values: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
        return during(await this.holdServerSettings(values), run);
    }

    /**
     * Runs `check` on the private replies `who` has been sent, oldest first. Where the server shows
     * them (`target.canReadReplies`) the check is required; where it cannot, the test is marked
     * skipped with `what` was not checked — counted in the report, never a pass.
     */
    public checkReplies(who: Person, t: Skippable, what: string, check: (replies: Array<string>) => void): Promise<void> {
        return this.checkShown(who, t, what, '/standin/notices', (body) => body.notices.map((notice: { msg: string }) => notice.msg), check);
    }

    /** `check` on the last private reply to `who`, which must be there (see checkReplies). */
    public checkLastReply(who: Person, t: Skippable, what: string, check: (reply: string) => void): Promise<void> {
        return this.checkReplies(who, t, what, (replies) => {
            assert.ok(replies.length > 0, `no private reply to ${who.username}: ${what}`);
            check(replies.at(-1)!);
        });
    }

    /** `check` on the UI-kit views pushed to `who` (`updateContextualBarView` and the like), oldest first; required as replies are. */
    public checkPushed(who: Person, t: Skippable, what: string, check: (pushed: Array<any>) => void): Promise<void> {
        return this.checkShown(who, t, what, '/standin/uiInteractions', (body) => body.interactions.map((pushed: any) => pushed.interaction), check);
    }

    private async checkShown<T>(
        who: Person,
        t: Skippable,
        what: string,
        path: string,
        read: (body: any) => Array<T>,
        check: (shown: Array<T>) => void,
    ): Promise<void> {
        if (!this.target.canReadReplies) {
            t.skip(`not checked, the server does not show what the app sends a user alone: ${what}`);
            return;
        }
        // What the app sends a user after answering (the guard's word, a pushed view) may come a
        // moment later: the check is asked again for a few seconds, and its last failure stands.
        const end = Date.now() + SHOWN_WITHIN_MS;
        for (;;) {
            const answer = await who.client.request('GET', path);
            assert.equal(answer.status, 200, JSON.stringify(answer.body));
            try {
                check(read(answer.body));
                return;
            } catch (error) {
                if (Date.now() > end) {
                    throw error;
                }
            }
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
    }
}

/** How long what the app sends a user alone may take to show (see checkShown). */
const SHOWN_WITHIN_MS = 3000;

/** `run`, then `restore`, whatever happened. */
async function during<T>(restore: () => Promise<void>, run: () => Promise<T>): Promise<T> {
    try {
        return await run();
    } finally {
        await restore();
    }
}

export type Suite = (scenario: () => Scenario) => void;

/** One server for all the suites of a file (the Apps-Engine allows one AppManager per process). */
export function onTarget(name: string, makeTarget: () => Promise<Target>, suites: Array<Suite>): void {
    describe(name, () => {
        let scenario: Scenario | undefined;
        let restore: (() => Promise<void>) | undefined;
        before(async () => {
            scenario = new Scenario(await makeTarget());
            // The suites make many calls per minute as non-admins: the REST rate limiter (on by
            // default) is off while they run; a test that wants it switches it on itself.
            restore = await scenario.holdServerSettings({ E2E_Enable: true, API_Enable_Rate_Limiter: false });
        });
        after(async () => {
            await restore?.();
            await scenario?.target.close();
        });
        for (const suite of suites) {
            suite(() => scenario!);
            appLogCheck(() => scenario!, suite.name);
        }
    });
}
