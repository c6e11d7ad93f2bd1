// What every end-to-end suite needs on a target: people, groups and rooms made through Rocket.Chat's
// REST API with unique names (so a real server can be reused), and the calls the suites compare.
import { after, before, describe } from 'node:test';

import { RestClient } from '../support/RestClient';
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

export class Scenario {
    constructor(public readonly target: Target) {}

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
     * Runs `run` with these app settings, then puts back the values that were in force: suites that
     * share a server (a real one, or a stand-in started apart) depend on no setting they did not set.
     */
    public async withAppSettings<T>(values: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
        const before = await this.target.admin.appSettings(this.target.appId);
        await this.target.admin.setAppSettings(this.target.appId, values);
        try {
            return await run();
        } finally {
            await this.target.admin.setAppSettings(this.target.appId, Object.fromEntries(Object.keys(values).map((id) => [id, before[id]])));
        }
    }

    /** The same for server settings (`GET|POST /api/v1/settings/:id`). */
    public async withServerSettings<T>(values: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
        const admin = this.target.admin;
        const before = await Promise.all(Object.keys(values).map(async (id) => [id, (await admin.get(`settings/${id}`)).value] as const));
        for (const [id, value] of Object.entries(values)) {
            await admin.post(`settings/${id}`, { value });
        }
        try {
            return await run();
        } finally {
            for (const [id, value] of before) {
                await admin.post(`settings/${id}`, { value });
            }
        }
    }

    /** The caller's last private reply, where the server can show it (the stand-in can; a real server has no such route). */
    public async lastReply(who: Person): Promise<string | undefined> {
        const answer = await who.client.request('GET', '/standin/notices');
        return answer.status === 200 ? answer.body.notices.at(-1)?.msg : undefined;
    }
}

export type Suite = (scenario: () => Scenario) => void;

/** One server for all the suites of a file (the Apps-Engine allows one AppManager per process). */
export function onTarget(name: string, makeTarget: () => Promise<Target>, suites: Array<Suite>): void {
    describe(name, () => {
        let scenario: Scenario | undefined;
        before(async () => {
            const target = await makeTarget();
            await target.admin.post('settings/E2E_Enable', { value: true });
            scenario = new Scenario(target);
        });
        after(async () => {
            await scenario?.target.close();
        });
        for (const suite of suites) {
            suite(() => scenario!);
        }
    });
}
