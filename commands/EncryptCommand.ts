import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { ISlashCommand, ISlashCommandPreview, ISlashCommandPreviewItem, SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { AdminReporter, EncryptionServiceFactory, HistoryReader, PickerFactory, SummaryReader } from '../lib/compositionRoot';
import type { GroupTarget } from '../lib/EncryptionService';
import { describeError } from '../lib/describeError';
import { NO_MATCH_ITEM, UNSUPPORTED_ITEM, groupPreview } from '../lib/picker/GroupPicker';
import { isRefusal } from '../lib/Refusal';
import { parseArguments } from './parseArguments';
import { Replies } from '../lib/i18n/Replies';

/**
 * `/encrypt on|off|status|history|help [#group]`, and `/encrypt report` for the workspace. A group can be named because clients refuse to send
 * commands inside an encrypted group: `/encrypt off #secret` works from any other room or a DM.
 * While `/encrypt on ` or `/encrypt off ` is typed, the caller's groups are offered as previews
 * (see GroupPicker); choosing one runs the command for that group.
 */
export class EncryptCommand implements ISlashCommand {
    public command = 'encrypt';
    public i18nParamsExample = 'command_params';
    public i18nDescription = 'command_description';
    public providesPreview = true;

    constructor(
        private readonly app: IApp,
        private readonly services: EncryptionServiceFactory,
        private readonly adminReport: AdminReporter,
        private readonly history: HistoryReader,
        private readonly summary: SummaryReader,
        private readonly picker: PickerFactory,
    ) {}

    /** Previews for `/encrypt on|off <typed>`; nothing for the other options (Rocket.Chat then shows none). */
    public async previewer(context: SlashCommandContext, read: IRead, modify: IModify, http: IHttp): Promise<ISlashCommandPreview> {
        const request = parseArguments(context.getArguments());
        if (request.action !== 'set') {
            return { i18nTitle: '', items: [] };
        }
        try {
            return await groupPreview(this.picker(read, modify, http), context.getSender(), request.encrypted ? 'on' : 'off', request.group ?? '');
        } catch (error) {
            this.app.getLogger().error('Encrypt Group: the /encrypt group picker failed', describeError(error));
            return { i18nTitle: '', items: [] };
        }
    }

    /** A group was picked: `/encrypt on|off` for it, answered as the typed command is. */
    public async executePreviewItem(
        item: ISlashCommandPreviewItem,
        context: SlashCommandContext,
        read: IRead,
        modify: IModify,
        http: IHttp,
        persistence: IPersistence,
    ): Promise<void> {
        const sender = context.getSender();
        const here = context.getRoom();
        const replies = new Replies(sender);
        const request = parseArguments(context.getArguments());
        if (item.id === NO_MATCH_ITEM) {
            // The item that says no group of the caller's matches: choosing it picks nothing.
            return this.reply(modify, sender, here, replies.nonePicked());
        }
        if (request.action !== 'set' || item.id === UNSUPPORTED_ITEM) {
            return this.reply(modify, sender, here, replies.usage());
        }
        let text: string;
        try {
            const result = await this.services(read, modify, http, persistence).setEncrypted({
                caller: sender,
                target: { roomId: item.id },
                encrypted: request.encrypted,
                door: 'command',
            });
            if (isRefusal(result)) {
                // Named only once the caller may see the group: the id of a group they are not in stays an id.
                const name = result.reason === 'room-not-found' ? item.id : ((await read.getRoomReader().getById(item.id))?.slugifiedName ?? item.id);
                text = replies.refusal(result, name, here.slugifiedName);
            } else {
                text = replies.changed(result);
            }
        } catch (error) {
            this.app.getLogger().error('Encrypt Group: /encrypt from the group picker failed', describeError(error));
            text = replies.internalError();
        }
        await this.reply(modify, sender, here, text);
    }

    /** A private reply in the room the command was typed in. */
    private async reply(modify: IModify, sender: IUser, here: IRoom, text: string): Promise<void> {
        const message = modify.getCreator().startMessage().setRoom(here).setText(text).setGroupable(false).getMessage();
        await modify.getNotifier().notifyUser(sender, message);
    }

    public async executor(context: SlashCommandContext, read: IRead, modify: IModify, http: IHttp, persistence: IPersistence): Promise<void> {
        const sender = context.getSender();
        const here = context.getRoom();
        const replies = new Replies(sender);
        const reply = (text: string): Promise<void> => this.reply(modify, sender, here, text);

        const request = parseArguments(context.getArguments());
        if (request.action === 'help') {
            return reply(replies.usage());
        }
        if (request.action === 'invalid') {
            return reply(
                request.problem === 'too-many-arguments'
                    ? replies.tooManyArguments()
                    : request.problem === 'option-as-group'
                      ? replies.optionNotGroup(request.argument)
                      : replies.unknownOption(request.argument),
            );
        }

        const target: GroupTarget = request.group === undefined ? { roomId: here.id } : { roomName: request.group };
        let text: string;
        try {
            const service = this.services(read, modify, http, persistence);
            if (request.action === 'report') {
                const summary = await this.summary(read, http, sender);
                text = isRefusal(summary) ? replies.refusal(summary, undefined, here.slugifiedName) : replies.summary(summary);
            } else if (request.action === 'history') {
                const found = await this.history(read, modify, http, sender, target);
                text = isRefusal(found) ? replies.refusal(found, request.group, here.slugifiedName) : replies.history(found);
            } else if (request.action === 'status') {
                const status = await service.status(sender, target);
                text = isRefusal(status) ? replies.refusal(status, request.group, here.slugifiedName) : replies.status(status);
                if ((sender.roles ?? []).includes('admin')) {
                    // The status above looked at the server's runtime when it named a group.
                    text = [text, ...replies.admin(await this.adminReport(read, http))].join('\n');
                }
                if (request.withUsage) {
                    text = `${text}\n${replies.usage()}`;
                }
            } else {
                const result = await service.setEncrypted({ caller: sender, target, encrypted: request.encrypted, door: 'command' });
                text = isRefusal(result) ? replies.refusal(result, request.group, here.slugifiedName) : replies.changed(result);
            }
        } catch (error) {
            this.app.getLogger().error('Encrypt Group: /encrypt failed', describeError(error));
            text = replies.internalError();
        }
        await reply(text);
    }
}
