// One real Apps-Engine `AppManager` per process (it is a singleton), over the stand-in's bridges:
// the engine release of the server generation (../generations.ts) runs the app, in-process under
// vm2 or in its Deno subprocess.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

import AdmZip from 'adm-zip';

import { type HostState, createBridges, engineModule } from './bridges';
import { toAppMessage, toAppRoom, toAppUser } from './converters';
import { createStorages } from './engineStorage';
import type { AppEvent } from '../cluster/Peers';
import { parseParameters } from '../core/parseParameters';
import { childProcesses } from '../../support/processes';
import type { RawMessage, RawRoom, RawUser } from '../storage/Storage';

export interface ApiCall {
    method: string;
    headers: Record<string, string>;
    query: Record<string, string>;
    content: unknown;
    user?: RawUser;
}

export class AppHost {
    private readonly tempDir = mkdtempSync(join(tmpdir(), 'standin-apps-'));
    private readonly manager: any;
    private readonly storages: ReturnType<typeof createStorages>;

    constructor(private readonly state: HostState) {
        // 1.62 spawns `deno` from PATH; the npm package `deno` (2.x) puts it in node_modules/.bin. 1.46
        // spawns <dirname(require.resolve('deno-bin'))>/bin/deno whatever PATH says: the deno-bin
        // stand-in (test/standin/deno-bin), which runs Deno 1.46. 1.46 ignores `tempFilePath`.
        const bin = join(__dirname, '..', '..', '..', 'node_modules', '.bin');
        if (!(process.env.PATH ?? '').split(delimiter).includes(bin)) {
            process.env.PATH = `${bin}${delimiter}${process.env.PATH ?? ''}`;
        }
        const { AppManager } = engineModule(state, 'server/AppManager');
        this.storages = createStorages(state);
        this.manager = new AppManager({
            ...this.storages,
            bridges: createBridges(state),
            tempFilePath: this.tempDir,
        });
    }

    public async load(): Promise<void> {
        await this.manager.load();
    }

    /** `POST /api/apps`: install and enable, granting the permissions the app asks for (what the admin accepts). */
    public async install(zip: Buffer, by: RawUser): Promise<any> {
        const info = appInfoOf(zip);
        const existing = this.manager.getOneById(info.id);
        const result = existing
            ? await this.manager.update(zip, info.permissions)
            : await this.manager.add(zip, { enable: true, user: toAppUser(by), permissionsGranted: info.permissions });
        const problems = installProblems(result);
        if (problems) {
            throw new Error(`the engine refused the app: ${problems}`);
        }
        if (existing) {
            await this.manager.enable(info.id).catch(() => undefined);
        }
        await this.state.peers?.broadcast({ type: existing ? 'updated' : 'added', appId: info.id });
        return info;
    }

    /** The interfaces the installed app's app.json declares (the runtime registers its event handlers from them). */
    public implementsOf(appId: string): Array<string> | undefined {
        return this.manager.getOneById(appId)?.getInfo().implements;
    }

    public isInstalled(appId: string): boolean {
        return Boolean(this.manager.getOneById(appId));
    }

    /** 1.46 and 1.62 ask the Deno subprocess (a promise; 1.62 caches it); 1.42 answers directly. */
    public async status(appId: string): Promise<string | undefined> {
        return this.manager.getOneById(appId)?.getStatus();
    }

    /**
     * `POST /api/apps/:id/status`: Rocket.Chat calls the engine's `manager.changeStatus(id, status)`
     * (all three engines have it): only `manually_disabled` / `manually_enabled`, and only from an
     * enabled (disabled) app; it runs `disable(id, MANUALLY_DISABLED)` — `onDisable`, then
     * `purgeAppConfig(app, {keepScheduledJobs: true})`: endpoints, listeners (and before 1.62 slash
     * commands) unregistered, stored jobs kept — or `enable(id)`, which runs the app's start-up again
     * (`initialize`, `extendConfiguration`: endpoints, commands and job processors registered anew).
     * Rejects with the engine's own message; answers the status after.
     */
    public async setStatus(appId: string, status: string): Promise<string> {
        const app = await this.manager.changeStatus(appId, status);
        await this.state.peers?.broadcast({ type: 'status', appId, status });
        return app.getStatus();
    }

    /**
     * What another instance of the cluster made of an app, applied to this instance's copy as
     * Rocket.Chat's `AppServerListener` applies it: an added app is loaded from the database
     * (`addLocal`), an updated one replaced by the stored package (`updateLocal`, its jobs kept), a
     * status reached through the engine (when this copy is not there already), a setting saved
     * through the settings manager, which tells the app as the first instance did.
     */
    public async applyPeerEvent(event: AppEvent): Promise<void> {
        if (event.type === 'added' && !this.isInstalled(event.appId)) {
            await this.manager.addLocal(event.appId);
        } else if (event.type === 'added' || event.type === 'updated') {
            const stored = await this.storages.metadataStorage.retrieveOne(event.appId);
            const zip = await this.storages.sourceStorage.fetch(stored);
            // 1.62's `updateLocal` only replaces the app; Rocket.Chat then starts it with `updateAndStartupLocal`.
            await (this.manager.updateAndStartupLocal ? this.manager.updateAndStartupLocal(stored, zip) : this.manager.updateLocal(stored, zip));
        } else if (event.type === 'status') {
            if ((await this.status(event.appId)) !== event.status) {
                await this.manager.changeStatus(event.appId, event.status);
            }
        } else {
            await this.manager.getSettingsManager().updateAppSetting(event.appId, event.setting);
        }
    }

    public async executeApi(appId: string, path: string, call: ApiCall): Promise<{ status: number; headers?: Record<string, string>; content?: unknown }> {
        return this.manager.getApiManager().executeApi(appId, path, {
            method: call.method.toLowerCase(),
            headers: call.headers,
            query: call.query,
            params: {},
            content: call.content,
            user: toAppUser(call.user),
        });
    }

    /** What Rocket.Chat's command bridge does for an app command (`_appCommandExecutor`): a SlashCommandContext from the raw params. */
    public async executeCommand(command: string, user: RawUser, room: RawRoom, params: string, threadId?: string, triggerId?: string): Promise<void> {
        const { SlashCommandContext } = engineModule(this.state, 'definition/slashcommands');
        const args = parseParameters(params);
        const context = new SlashCommandContext(toAppUser(user), toAppRoom(this.state.server.storage, room), args, threadId, triggerId);
        await this.manager.getCommandManager().executeCommand(command, context);
    }

    /**
     * What Rocket.Chat's command bridge does for a command's previews (`_appCommandPreviewer`,
     * apps/meteor/app/apps/server/bridges/commands.ts): a SlashCommandContext from the raw params,
     * without a trigger id, to the engine's `getPreviews`.
     */
    public async commandPreviews(command: string, user: RawUser, room: RawRoom, params: string, threadId?: string): Promise<any> {
        const { SlashCommandContext } = engineModule(this.state, 'definition/slashcommands');
        const context = new SlashCommandContext(toAppUser(user), toAppRoom(this.state.server.storage, room), parseParameters(params), threadId);
        return this.manager.getCommandManager().getPreviews(command, context);
    }

    /** `_appCommandPreviewExecutor`: the chosen item and the context, with the trigger id, to the engine's `executePreview`. */
    public async executeCommandPreview(
        command: string,
        item: unknown,
        user: RawUser,
        room: RawRoom,
        params: string,
        threadId?: string,
        triggerId?: string,
    ): Promise<void> {
        const { SlashCommandContext } = engineModule(this.state, 'definition/slashcommands');
        const context = new SlashCommandContext(toAppUser(user), toAppRoom(this.state.server.storage, room), parseParameters(params), threadId, triggerId);
        await this.manager.getCommandManager().executePreview(command, item, context);
    }

    /**
     * `GET /api/apps/actionButtons`: every app's registered UI action buttons, each with its
     * `appId` (the engine's `getAllActionButtons`; 1.62 answers a promise and leaves out apps that
     * are not enabled).
     */
    public async actionButtons(): Promise<Array<Record<string, unknown>>> {
        return this.manager.getUIActionButtonManager().getAllActionButtons();
    }

    /**
     * A UI-kit interaction for an app, built as Rocket.Chat's route builds it
     * (apps/meteor/ee/server/apps/communication/uikit.ts), handed to the listener bridge, which
     * calls the engine's `executeListener('IUIKitInteractionHandler', action)`
     * (apps/meteor/app/apps/server/bridges/listeners.ts, `defaultEvent`). The app's answer is
     * what the route sends back.
     */
    public async uiInteraction(action: Record<string, unknown>): Promise<unknown> {
        const { AppInterface } = engineModule(this.state, 'definition/metadata');
        return this.manager.getListenerManager().executeListener(AppInterface.IUIKitInteractionHandler, action);
    }

    /** The app's settings as its storage item holds them (each an ISetting), without hidden ones; undefined for an unknown app. */
    public appSettings(appId: string): Record<string, any> | undefined {
        const settings = this.manager.getOneById(appId)?.getStorageItem().settings;
        return settings && Object.fromEntries(Object.entries(settings).filter(([, setting]: [string, any]) => !setting.hidden));
    }

    public async updateAppSetting(appId: string, setting: any): Promise<void> {
        await this.manager.getSettingsManager().updateAppSetting(appId, setting);
        await this.state.peers?.broadcast({ type: 'setting', appId, setting });
    }

    /** Whether this engine release has the listener interface `name` in its `AppInterface` enum. */
    public hasInterface(name: string): boolean {
        return Object.prototype.hasOwnProperty.call(engineModule(this.state, 'definition/metadata').AppInterface, name);
    }

    /**
     * `IPostSystemMessageSent` for a system message just stored. Rocket.Chat's
     * `Message.saveSystemMessage` (apps/meteor/server/services/messages/service.ts, 7.4+) does
     * `void Apps.getBridges()?.getListenerBridge().messageEvent('IPostSystemMessageSent', message)`:
     * nobody waits for the apps, and what the caller does next goes on. So here the event leaves
     * after the current route has run (`setImmediate`) and never reaches it. The listener bridge
     * converts the message (`convertMessage`) and calls `executeListener`, which dispatches only to
     * apps whose package `implements` lists the interface. `executeListener` does not await the
     * dispatch either, so a rejection there is unhandled — Rocket.Chat's process handler logs it,
     * Node would end the stand-in — and the engine's own dispatcher (`executePostSystemMessageSent`)
     * is called and awaited instead, its failures logged.
     */
    public postSystemMessageSent(message: RawMessage): void {
        if (this.state.faults.has('events-lost')) {
            this.state.log(`IPostSystemMessageSent for ${message.t} in ${message.rid} lost (fault events-lost)`);
            return;
        }
        setImmediate(() => {
            this.dispatchSystemMessage(message).catch((error) => this.state.log(`IPostSystemMessageSent: ${(error as Error)?.message ?? String(error)}`));
        });
    }

    private async dispatchSystemMessage(message: RawMessage): Promise<void> {
        const { AppInterface } = engineModule(this.state, 'definition/metadata');
        const listeners = this.manager.getListenerManager();
        if (listeners.isEventBlocked(AppInterface.IPostSystemMessageSent)) {
            throw new Error('There is one or more apps that are essential to this event but are disabled');
        }
        const { server } = this.state;
        await listeners.executePostSystemMessageSent(toAppMessage(server.storage, message, server.profile.messageTypeMapped));
    }

    /**
     * `GET /api/apps/:id/logs`: the app's log entries as the engine stored them, newest first, one
     * page; undefined for an unknown app.
     */
    public async appLogs(appId: string, offset: number, count: number): Promise<{ logs: Array<any>; total: number } | undefined> {
        if (!this.isInstalled(appId)) {
            return undefined;
        }
        return this.manager.getLogStorage().findPaginated({ appId }, { skip: offset, limit: count });
    }

    /**
     * Unloads the apps, waiting at most `graceMs`: an engine whose runtime subprocess was already
     * killed (a signal to the whole process group) may restart it and never settle. Whatever
     * subprocess is left is then killed.
     */
    public async stop(graceMs = 2000): Promise<void> {
        // Unloading takes the apps, and their runtimes, off the engine's list.
        const runtimes = this.runtimes();
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<void>((resolve) => {
            timer = setTimeout(resolve, graceMs);
        });
        await Promise.race([this.manager.unload(false).catch(() => undefined), deadline]);
        clearTimeout(timer);
        this.kill(runtimes);
    }

    /** The apps' runtime subprocess controllers (none on 1.42, which runs apps in this process). */
    private runtimes(): Array<any> {
        return [...(this.manager.apps?.values() ?? [])].map((app: any) => app.getDenoRuntime?.() ?? app.getRuntimeController?.()).filter(Boolean);
    }

    /** Ends the app runtime's subprocesses at once and removes the temporary files (the way out on a signal). */
    public kill(runtimes = this.runtimes()): void {
        this.state.scheduler.stop();
        // A call still on its way to a runtime killed here fails writing to its pipe; the engine
        // listens for no error there, so it would end this process (a test's, the benchmark's).
        for (const runtime of runtimes) {
            runtime.deno?.stdin?.on('error', () => undefined);
        }
        for (const child of childProcesses()) {
            try {
                process.kill(child.pid, 'SIGKILL');
            } catch {
                // already gone
            }
        }
        // A call the killed runtime was still working on (a scheduled job's run) would wait for the
        // engine's 30 s request timeout, and its timer would hold this process open that long after
        // the last test. It is answered now, as the engine answers a timeout: with an error.
        for (const runtime of runtimes) {
            for (const event of runtime.eventNames().filter((name: unknown) => String(name).startsWith('result:'))) {
                runtime.emit(event, undefined, new Error('the stand-in stopped the app runtime'));
            }
        }
        rmSync(this.tempDir, { recursive: true, force: true });
    }
}

function appInfoOf(zip: Buffer): any {
    const entry = new AdmZip(zip).getEntry('app.json');
    if (!entry) {
        throw new Error('the package has no app.json');
    }
    return JSON.parse(entry.getData().toString('utf8'));
}

function installProblems(result: any): string | undefined {
    const problems = [
        result?.getStorageError?.(),
        result?.getAppUserError?.()?.message,
        ...Object.values(result?.getCompilerErrors?.() ?? {}).map((error: any) => error?.message ?? String(error)),
        result?.getLicenseValidationResult?.()?.hasErrors ? 'license' : undefined,
    ].filter(Boolean);
    return problems.length ? problems.join('; ') : undefined;
}
