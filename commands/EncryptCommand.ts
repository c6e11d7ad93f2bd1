import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import type { ISlashCommand, SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';

import type { AdminReporter, EncryptionServiceFactory, HistoryReader, SummaryReader } from '../lib/createEncryptionService';
import type { GroupTarget } from '../lib/EncryptionService';
import { describeError } from '../lib/describeError';
import { isRefusal } from '../lib/Refusal';
import { parseArguments } from './parseArguments';
import { Replies } from './replies';

/**
 * `/encrypt on|off|status|history|help [#group]`, and `/encrypt report` for the workspace. A group can be named because clients refuse to send
 * commands inside an encrypted group: `/encrypt off #secret` works from any other room or a DM.
 */
export class EncryptCommand implements ISlashCommand {
    public command = 'encrypt';
    public i18nParamsExample = 'command_params';
    public i18nDescription = 'command_description';
    public providesPreview = false;

    constructor(
        private readonly app: IApp,
        private readonly services: EncryptionServiceFactory,
        private readonly adminReport: AdminReporter,
        private readonly history: HistoryReader,
        private readonly summary: SummaryReader,
    ) {}

    public async executor(context: SlashCommandContext, read: IRead, modify: IModify, http: IHttp, persistence: IPersistence): Promise<void> {
        const sender = context.getSender();
        const here = context.getRoom();
        const replies = new Replies(sender);
        const reply = async (text: string): Promise<void> => {
            const message = modify.getCreator().startMessage().setRoom(here).setText(text).setGroupable(false).getMessage();
            await modify.getNotifier().notifyUser(sender, message);
        };

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
