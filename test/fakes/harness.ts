// Calls the app's real entry points (endpoint classes, slash command) against a FakeWorkspace.
import { lastMoment } from '../../lib/history/ChangeLog';
import type { IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { type IModify, RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';
import type { IApiEndpointInfo } from '@rocket.chat/apps-engine/definition/api';
import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { type ISlashCommandPreview, type ISlashCommandPreviewItem, SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';

import { EncryptCommand } from '../../commands/EncryptCommand';
import { SettingId } from '../../lib/AppSettings';
import {
    adminReporter,
    createEncryptionService,
    guardPolicy,
    createGuard,
    type EncryptionServiceFactory,
    historyReader,
    pickerDeps,
    summaryReader,
    reconcileRun,
} from '../../lib/compositionRoot';
import { EncryptionHistoryEndpoint } from '../../endpoints/EncryptionHistoryEndpoint';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { GetEncryptedEndpoint } from '../../endpoints/GetEncryptedEndpoint';
import { SetEncryptedEndpoint } from '../../endpoints/SetEncryptedEndpoint';
import type { RunReport } from '../../lib/reconcile/WatchRecord';
import { EncryptionPanel } from '../../lib/panel/EncryptionPanel';
import { FakeWorkspace } from './FakeWorkspace';

export const TOKEN = 'secret-token-of-olivia-0123456789';
export const SERVICE_TOKEN = 'service-account-token-abcdef';

/**
 * The cast every suite starts from: group `secret` (owner olivia, moderator mo, leader lee,
 * members mia and ada the admin), channel `town`, DM `dm`, archived group `old`, federated `fed`,
 * team main group `team`. adam is an admin who is in none of the groups; otto is in nothing.
 */
export function workspace(): FakeWorkspace {
    const ws = new FakeWorkspace();
    ws.addUser('olivia');
    ws.addUser('mo');
    ws.addUser('lee');
    ws.addUser('mia');
    ws.addUser('otto');
    ws.addUser('ada', { roles: ['user', 'admin'] });
    ws.addUser('adam', { roles: ['user', 'admin'] });
    ws.addUser('svc', { roles: ['user', 'admin'] });
    ws.addUser('app-bot', { roles: ['app'] });
    const everyone = ['olivia', 'mo', 'lee', 'mia', 'ada'];
    const roles = { owners: ['olivia'], moderators: ['mo'], leaders: ['lee'] };
    ws.addRoom({ id: 'secret', members: everyone, ...roles });
    ws.addRoom({ id: 'town', type: 'c', members: everyone, ...roles });
    ws.addRoom({ id: 'dm', type: 'd', members: ['olivia', 'mia'], ...roles });
    ws.addRoom({ id: 'old', archived: true, members: everyone, ...roles });
    ws.addRoom({ id: 'fed', federated: true, members: everyone, ...roles });
    ws.addRoom({ id: 'team', teamMain: true, members: everyone, ...roles });
    ws.restTokens.set(TOKEN, 'olivia');
    ws.restTokens.set(SERVICE_TOKEN, 'svc');
    return ws;
}

export const READER_TOKEN = 'plain-reader-token-0123456789';

/**
 * The service account the README's recipe before 7.4 asks for: a plain user (no role but `user`)
 * with a personal access token, enough to read Rocket.Chat's permission table, which doors without
 * a session need. Returns the workspace.
 */
export function withPlainServiceAccount(ws: FakeWorkspace): FakeWorkspace {
    ws.addUser('reader');
    ws.restTokens.set(READER_TOKEN, 'reader');
    ws.appSettings[SettingId.ServiceAccountUserId] = 'reader';
    ws.appSettings[SettingId.ServiceAccountToken] = READER_TOKEN;
    return ws;
}

function fakeApp(ws: FakeWorkspace): IApp {
    return { getLogger: () => ws.logger() } as unknown as IApp;
}

/** The wiring EncryptGroupApp does, with the workspace's memory of the server's write ways. */
function services(ws: FakeWorkspace): EncryptionServiceFactory {
    return (read, modify, http, persistence) => createEncryptionService(read, modify, http, persistence, ws.logger(), ws.instance);
}

function apiRequest(ws: FakeWorkspace, userId: string | undefined, parts: Partial<IApiRequest>): IApiRequest {
    return {
        method: RequestMethod.POST,
        headers: {},
        query: {},
        params: {},
        content: undefined,
        user: userId ? ws.users.get(userId) : undefined,
        ...parts,
    };
}

/**
 * The headers a client logged in as `userId` sends with every REST call: its own session, which the
 * fake server accepts. Endpoint calls carry them unless a test says otherwise, as on a real server,
 * where an endpoint call is authenticated by them (a call without them carries no session the app
 * could check the caller's rights with).
 */
export function sessionOf(ws: FakeWorkspace, userId: string): Record<string, string> {
    const token = userId === 'olivia' ? TOKEN : `session-token-of-${userId}`;
    ws.restTokens.set(token, userId);
    return { 'x-user-id': userId, 'x-auth-token': token };
}

/** POST groups.setEncrypted as `userId` (undefined: not logged in), with these headers (default: the caller's session) and query string. */
export function setEncrypted(
    ws: FakeWorkspace,
    userId: string | undefined,
    content: unknown,
    headers: Record<string, string> = userId ? sessionOf(ws, userId) : {},
    query: Record<string, string> = {},
): Promise<IApiResponse> {
    const endpoint = new SetEncryptedEndpoint(fakeApp(ws), services(ws));
    return endpoint.post(apiRequest(ws, userId, { content, headers, query }), {} as IApiEndpointInfo, ws.read(), ws.modify(), ws.http(), ws.persistence());
}

/** GET groups.getEncrypted as `userId`, with these headers (default: the caller's session). */
export function getEncrypted(
    ws: FakeWorkspace,
    userId: string | undefined,
    query: Record<string, string>,
    headers: Record<string, string> = userId ? sessionOf(ws, userId) : {},
): Promise<IApiResponse> {
    const endpoint = new GetEncryptedEndpoint(fakeApp(ws), services(ws));
    return endpoint.get(
        apiRequest(ws, userId, { method: RequestMethod.GET, query, headers }),
        {} as IApiEndpointInfo,
        ws.read(),
        ws.modify(),
        ws.http(),
        ws.persistence(),
    );
}

/** `/encrypt <args>` typed by `userId` in room `roomId`; resolves to the ephemeral reply. */
export async function runCommand(ws: FakeWorkspace, userId: string, roomId: string, args: Array<string>): Promise<string> {
    return privateReply(ws, userId, roomId, (command, context) => command.executor(context, ws.read(), ws.modify(), ws.http(), ws.persistence()), args);
}

/** The command as EncryptGroupApp wires it. */
function encryptCommand(ws: FakeWorkspace): EncryptCommand {
    return new EncryptCommand(
        fakeApp(ws),
        services(ws),
        adminReporter(ws.instance),
        historyReader(ws.logger(), ws.instance),
        summaryReader(ws.instance),
        pickerDeps(ws.logger(), ws.instance),
    );
}

/** What `/encrypt <args>` typed (not yet sent) by `userId` in `roomId` offers as previews. */
export function preview(ws: FakeWorkspace, userId: string, roomId: string, args: Array<string>): Promise<ISlashCommandPreview> {
    const context = new SlashCommandContext(ws.users.get(userId)!, ws.rooms.get(roomId)!, args);
    return encryptCommand(ws).previewer(context, ws.read(), ws.modify(), ws.http());
}

/** `userId` picks a preview item of `/encrypt <args>`; resolves to the ephemeral reply. */
export function pickPreview(ws: FakeWorkspace, userId: string, roomId: string, args: Array<string>, item: ISlashCommandPreviewItem): Promise<string> {
    return privateReply(
        ws,
        userId,
        roomId,
        (command, context) => command.executePreviewItem(item, context, ws.read(), ws.modify(), ws.http(), ws.persistence()),
        args,
    );
}

async function privateReply(
    ws: FakeWorkspace,
    userId: string,
    roomId: string,
    run: (command: EncryptCommand, context: SlashCommandContext) => Promise<void>,
    args: Array<string>,
): Promise<string> {
    const sender = ws.users.get(userId)!;
    const room = ws.rooms.get(roomId)!;
    const before = ws.ephemeral.length;
    await run(encryptCommand(ws), new SlashCommandContext(sender, room, args));
    const replies = ws.ephemeral.slice(before);
    if (replies.length !== 1 || replies[0].userId !== userId || replies[0].roomId !== roomId) {
        throw new Error(`expected one private reply to ${userId} in ${roomId}, got ${JSON.stringify(replies)}`);
    }
    return replies[0].text;
}

let messages = 0;

/** Rocket.Chat 7.4+ tells the app it saved a system message in a room (IPostSystemMessageSent). */
export async function systemMessage(ws: FakeWorkspace, roomId: string, type: string, senderId: string, createdAt?: Date): Promise<void> {
    const message = {
        id: `system-message-${++messages}`,
        // The server saves its notice once a write's request has reached it: after whatever the app recorded before writing.
        createdAt: createdAt ?? new Date(Math.max(Date.now(), lastMoment(roomId) + 1)),
        room: ws.rooms.get(roomId)!,
        sender: ws.users.get(senderId)!,
        _unmappedProperties_: { t: type },
    } as unknown as IMessage;
    await createGuard(ws.read(), ws.modify(), ws.http(), ws.persistence(), ws.logger(), ws.instance).onSystemMessage(message);
}

/** One run of the reconcile, as the scheduler runs it: at a start, the recurring one, or the rest of a run (the groups after `after`). */
export function reconcileNow(ws: FakeWorkspace, start = false, after?: string): Promise<RunReport> {
    return reconcileRun(ws.read(), ws.modify(), ws.http(), ws.persistence(), ws.logger(), ws.instance, { start, after });
}

/** GET groups.encryptionHistory as `userId`. */
export function encryptionHistory(ws: FakeWorkspace, userId: string, query: Record<string, string>): Promise<IApiResponse> {
    const endpoint = new EncryptionHistoryEndpoint(fakeApp(ws), historyReader(ws.logger(), ws.instance));
    return endpoint.get(
        apiRequest(ws, userId, { method: RequestMethod.GET, query }),
        {} as IApiEndpointInfo,
        ws.read(),
        ws.modify(),
        ws.http(),
        ws.persistence(),
    );
}

/** A responder that answers with what was asked of it, so a test sees which response a handler chose. */
const responder = {
    successResponse: () => ({ kind: 'success' }),
    errorResponse: () => ({ kind: 'error' }),
    openContextualBarViewResponse: (view: { id: string }) => ({ kind: 'open-bar', view }),
    updateContextualBarViewResponse: (view: { id: string }) => ({ kind: 'update-bar', view }),
    openModalViewResponse: (view: { id: string }) => ({ kind: 'modal', view }),
};

export type PanelAnswer = { kind: string; view?: { id: string; blocks: Array<unknown> } };

/**
 * The Encryption panel as EncryptGroupApp wires it, over the workspace, with a responder that
 * answers with what was asked of it (a test sees which response a handler chose), the views pushed
 * to the user, and the errors logged. `failing`: building the service breaks.
 */
export function panelDoor(ws: FakeWorkspace, failing = false) {
    const errors: Array<string> = [];
    const panel = new EncryptionPanel({
        services: (read, modify, http, persistence) => {
            if (failing) {
                throw new Error('bridge down');
            }
            return createEncryptionService(read, modify, http, persistence, ws.logger(), ws.instance);
        },
        guardPolicy: guardPolicy(ws.instance),
        appId: 'encrypt-group-app',
        logger: { error: (...parts: Array<unknown>) => errors.push(parts.join(' ')) },
    });
    const pushed: Array<{ id: string; triggerId?: string }> = [];
    // The fake's modify, plus the UI controller the confirmed switch-off pushes the panel through.
    const modify = Object.assign(Object.create(ws.modify()), {
        getUiController: () => ({
            updateContextualBarView: async (view: { id: string }, trigger: { triggerId?: string }) =>
                void pushed.push({ ...view, triggerId: trigger.triggerId }),
        }),
    }) as IModify;
    const context = (data: Record<string, unknown>) => ({ getInteractionData: () => data, getInteractionResponder: () => responder }) as never;
    const call = {
        button: (data: Record<string, unknown>) =>
            panel.actionButton(context(data), ws.read(), ws.http(), ws.persistence(), modify) as unknown as Promise<PanelAnswer>,
        block: (data: Record<string, unknown>) =>
            panel.blockAction(context(data), ws.read(), ws.http(), ws.persistence(), modify) as unknown as Promise<PanelAnswer>,
        submit: (data: Record<string, unknown>) =>
            panel.viewSubmit(context(data), ws.read(), ws.http(), ws.persistence(), modify) as unknown as Promise<PanelAnswer>,
    };
    return { call, pushed, errors };
}
