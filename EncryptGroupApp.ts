import type {
    IAppAccessors,
    IConfigurationExtend,
    IConfigurationModify,
    IEnvironmentRead,
    IHttp,
    ILogger,
    IModify,
    IPersistence,
    IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { ApiSecurity, ApiVisibility } from '@rocket.chat/apps-engine/definition/api';
import { App } from '@rocket.chat/apps-engine/definition/App';
import type { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import type { ISettingUpdateContext } from '@rocket.chat/apps-engine/definition/settings/ISettingUpdateContext';
import { RoomTypeFilter, UIActionButtonContext } from '@rocket.chat/apps-engine/definition/ui';
import type {
    IUIKitInteractionHandler,
    IUIKitResponse,
    UIKitActionButtonInteractionContext,
    UIKitBlockInteractionContext,
    UIKitViewCloseInteractionContext,
    UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';

import { type IJobContext, StartupType } from '@rocket.chat/apps-engine/definition/scheduler';

import { EncryptCommand } from './commands/EncryptCommand';
import { EncryptAllCancelEndpoint } from './endpoints/EncryptAllCancelEndpoint';
import { EncryptAllEndpoint } from './endpoints/EncryptAllEndpoint';
import { EncryptionReportEndpoint } from './endpoints/EncryptionReportEndpoint';
import { GetEncryptedEndpoint } from './endpoints/GetEncryptedEndpoint';
import { EncryptionHistoryEndpoint } from './endpoints/EncryptionHistoryEndpoint';
import { SetEncryptedEndpoint } from './endpoints/SetEncryptedEndpoint';
import type { IPostSystemMessageSent } from './lib/events/IPostSystemMessageSent';
import { AppSettings, ROLE_SETTINGS, SETTINGS, SettingId, normaliseRoles } from './lib/AppSettings';
import { isBuiltInRole } from './lib/authority/RoleIds';
import { describeError } from './lib/describeError';
import { describeServiceAccount } from './lib/authority/ServiceAccountCheck';
import { ENCRYPT_ALL_PROCESSOR, ENCRYPT_ALL_WATCH } from './lib/bulk/EncryptAllChunk';
import { RECONCILE, RECONCILE_START, RECONCILE_START_DELAY_MS } from './lib/reconcile/Reconcile';
import {
    type AppInstanceState,
    type EncryptionServiceFactory,
    adminReporter,
    bulkJobs,
    coverageReporter,
    createEncryptionService,
    encryptAllChunk,
    createGuard,
    guardPolicy,
    historyReader,
    newInstanceState,
    pickerDeps,
    reconcileRun,
    scheduleReconcile,
    serviceAccountCheck,
    summaryReader,
    unknownRoles,
} from './lib/compositionRoot';
import { EncryptionPanel } from './lib/panel/EncryptionPanel';
import { PANEL_BUTTON } from './lib/panel/ids';

/**
 * `onPreSettingUpdate`'s "keep the admin's value". Every engine the app supports stores
 * `(await rl.call(ON_PRE_SETTING_UPDATE, …)) || setting` — `updateAppSetting` in
 * server/managers/AppSettingsManager.js of Apps-Engine 1.42.1, 1.46.0 and 1.62.0 alike — and the
 * Deno runtimes (1.46, 1.62) hand an undefined result back as undefined (`successResponse` in
 * deno-runtime/lib/messenger.ts wraps it as `{ value }`). The definitions type the result as a
 * setting, hence the cast.
 */
const KEEP_NEW_SETTING = undefined as unknown as ISetting;

export class EncryptGroupApp extends App implements IPostSystemMessageSent, IUIKitInteractionHandler {
    /** What lives as long as this app instance (see AppInstanceState). */
    private readonly instance: AppInstanceState;
    /** The room's Encryption panel (see EncryptionPanel). */
    private readonly panel: EncryptionPanel;

    constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
        super(info, logger, accessors);
        this.instance = newInstanceState(info.id);
        this.panel = new EncryptionPanel({
            services: (read, modify, http, persistence) => createEncryptionService(read, modify, http, persistence, this.getLogger(), this.instance),
            guardPolicy: guardPolicy(this.instance),
            appId: info.id,
            logger: this.getLogger(),
        });
    }

    public async executeActionButtonHandler(
        context: UIKitActionButtonInteractionContext,
        read: IRead,
        http: IHttp,
        persistence: IPersistence,
        modify: IModify,
    ): Promise<IUIKitResponse> {
        return this.panel.actionButton(context, read, http, persistence, modify);
    }

    public async executeBlockActionHandler(
        context: UIKitBlockInteractionContext,
        read: IRead,
        http: IHttp,
        persistence: IPersistence,
        modify: IModify,
    ): Promise<IUIKitResponse> {
        return this.panel.blockAction(context, read, http, persistence, modify);
    }

    public async executeViewSubmitHandler(
        context: UIKitViewSubmitInteractionContext,
        read: IRead,
        http: IHttp,
        persistence: IPersistence,
        modify: IModify,
    ): Promise<IUIKitResponse> {
        return this.panel.viewSubmit(context, read, http, persistence, modify);
    }

    public async executeViewClosedHandler(context: UIKitViewCloseInteractionContext): Promise<IUIKitResponse> {
        return this.panel.viewClosed(context);
    }

    /**
     * A role setting is about to be saved: spelled as the app reads it. The admin cannot be shown an
     * error here, so what was corrected is said in the app's log (and `/encrypt status` for admins
     * names roles that do not exist). Any other setting is left as the admin gave it, by returning
     * nothing: the engine logs what this returns, and one of those settings is the service account's
     * token.
     */
    public async onPreSettingUpdate(context: ISettingUpdateContext): Promise<ISetting> {
        const { newSetting } = context;
        const fallback = ROLE_SETTINGS[newSetting.id];
        if (fallback === undefined) {
            return KEEP_NEW_SETTING;
        }
        const { value, notes } = normaliseRoles(newSetting.value, fallback, isBuiltInRole);
        for (const note of notes) {
            this.getLogger().warn(`Encrypt Group: setting ${newSetting.id}: ${note}`);
        }
        return { ...newSetting, value };
    }

    /**
     * The app starts, or is enabled again: a reconcile a moment later, once the app is enabled
     * (see reconcile). Not a start-up job of the processor: the engine skips a job that comes due
     * while an app that was disabled is still initializing (AppSchedulerManager.isNotToRunJob,
     * Apps-Engine 1.62), and drops it as done — the runs after an enable are the ones that matter.
     */
    public async onEnable(_environment: IEnvironmentRead, configurationModify: IConfigurationModify): Promise<boolean> {
        try {
            await configurationModify.scheduler.scheduleOnce({ id: RECONCILE_START, when: new Date(Date.now() + RECONCILE_START_DELAY_MS) });
        } catch (error) {
            this.getLogger().error(`Encrypt Group: the reconcile could not be scheduled: ${describeError(error)}`);
        }
        return true;
    }

    /** An admin changed a setting: check what can be checked at once and say the result in the app's log. */
    public async onSettingUpdated(setting: ISetting, configurationModify: IConfigurationModify, read: IRead, http: IHttp): Promise<void> {
        if (setting.id === SettingId.ReconcileMinutes) {
            await scheduleReconcile(configurationModify.scheduler, new AppSettings(read.getEnvironmentReader().getSettings()));
            return;
        }
        if (ROLE_SETTINGS[setting.id] !== undefined) {
            // The names may now be other roles': they are looked up again, not kept (see RoleIds).
            this.instance.roleIds.forget();
            const unknown = await unknownRoles(this.instance, read);
            if (unknown.length) {
                this.getLogger().warn(`Encrypt Group: the role settings name roles this workspace does not have: ${unknown.join(', ')}`);
            }
            return;
        }
        if (setting.id !== SettingId.ServiceAccountUserId && setting.id !== SettingId.ServiceAccountToken) {
            return;
        }
        // Saved one setting at a time, the pair is half set in between: that is no account missing,
        // and the check waits until both halves are there (or both are cleared).
        const missing = await new AppSettings(read.getEnvironmentReader().getSettings()).serviceAccountMissingHalf();
        if (missing) {
            this.getLogger().info(`Encrypt Group: the service account is half set: its ${missing} is still empty; it is checked once both are set`);
            return;
        }
        const report = await serviceAccountCheck(this.instance)(read, http);
        const fine = report.state === 'checked' && report.missing.length === 0 && !report.fullAdmin;
        this.getLogger()[fine ? 'info' : 'warn'](`Encrypt Group: ${describeServiceAccount(report)}`);
    }

    /** Rocket.Chat 7.4+ saved a system message: an encryption change by any route (see EncryptionGuard). */
    public async executePostSystemMessageSent(message: IMessage, read: IRead, http: IHttp, persistence: IPersistence, modify: IModify): Promise<void> {
        await createGuard(read, modify, http, persistence, this.getLogger(), this.instance).onSystemMessage(message);
    }

    protected async extendConfiguration(configuration: IConfigurationExtend): Promise<void> {
        const services: EncryptionServiceFactory = (read, modify, http, persistence) =>
            createEncryptionService(read, modify, http, persistence, this.getLogger(), this.instance);
        await Promise.all(SETTINGS.map((setting) => configuration.settings.provideSetting(setting)));
        // The room panel, in private groups: the web client's filter for PRIVATE_CHANNEL is `room.t === 'p'`
        // (client/hooks/useApplyButtonFilters.ts), private teams and discussions included. A client
        // that shows no app buttons (mobile, for much of its history) still has `/encrypt`.
        configuration.ui.registerButton({
            actionId: PANEL_BUTTON,
            labelI18n: 'action_button_encryption',
            context: UIActionButtonContext.ROOM_ACTION,
            when: { roomTypes: [RoomTypeFilter.PRIVATE_CHANNEL] },
        });
        await configuration.api.provideApi({
            visibility: ApiVisibility.PUBLIC,
            security: ApiSecurity.UNSECURE,
            endpoints: [
                new SetEncryptedEndpoint(this, services),
                new GetEncryptedEndpoint(this, services),
                new EncryptionHistoryEndpoint(this, historyReader(this.getLogger(), this.instance)),
                new EncryptionReportEndpoint(this, coverageReporter(this.instance)),
                new EncryptAllEndpoint(this, bulkJobs(this.instance)),
                new EncryptAllCancelEndpoint(this, bulkJobs(this.instance)),
            ],
        });
        // The encryptAll job runs here, a chunk per run; a watch — when a job starts, and when the
        // app starts with none waiting — carries on a job whose runs stopped (see runChunk).
        const chunk = (processor: string) => (context: IJobContext, read: IRead, modify: IModify, http: IHttp, persistence: IPersistence) =>
            encryptAllChunk(read, modify, http, persistence, this.getLogger(), this.instance, { processor, line: context.line });
        // The reconcile (see reconcile): a start whenever the app starts or is enabled (onEnable),
        // which also (re)schedules its recurring run; a recurring run that runs out of time goes on
        // in a one-time job of the same processor, from the group after `after`.
        const reconciling = (start: boolean) => async (context: IJobContext, read: IRead, modify: IModify, http: IHttp, persistence: IPersistence) => {
            // A one-time job that throws is kept as failed, and Rocket.Chat schedules a start only while none is stored.
            try {
                const after = typeof context.after === 'string' ? context.after : undefined;
                await reconcileRun(read, modify, http, persistence, this.getLogger(), this.instance, { start, after });
                if (start) {
                    await scheduleReconcile(modify.getScheduler(), new AppSettings(read.getEnvironmentReader().getSettings()));
                }
            } catch (error) {
                this.getLogger().error(`Encrypt Group: the reconcile stopped: ${describeError(error)}`);
            }
        };
        await configuration.scheduler.registerProcessors([
            { id: ENCRYPT_ALL_PROCESSOR, processor: chunk(ENCRYPT_ALL_PROCESSOR) },
            { id: ENCRYPT_ALL_WATCH, processor: chunk(ENCRYPT_ALL_WATCH), startupSetting: { type: StartupType.ONETIME, when: 'now' } },
            { id: RECONCILE_START, processor: reconciling(true) },
            { id: RECONCILE, processor: reconciling(false) },
        ]);
        // Last, and allowed to fail: Apps-Engine 1.62 keeps an app's commands across a disable, so
        // on enabling again `encrypt` is still there and providing it throws. Thrown out of here,
        // that would leave the app disabled with an error.
        try {
            await configuration.slashCommands.provideSlashCommand(
                new EncryptCommand(
                    this,
                    services,
                    adminReporter(this.instance),
                    historyReader(this.getLogger(), this.instance),
                    summaryReader(this.instance),
                    pickerDeps(this.getLogger(), this.instance),
                ),
            );
        } catch (error) {
            this.getLogger().warn(`Encrypt Group: /encrypt was not registered again: ${describeError(error)}`);
        }
    }
}
