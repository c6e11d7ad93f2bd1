// Every UI-Kit view the Encryption panel sends, got the way Rocket.Chat gets them: by driving the
// panel's own handlers (the room button, the switches, the confirmation) over the fake workspace.
// Each state the panel can show appears once per language, so a renderer sees all of them.
import { PANEL_BUTTON, SWITCH_OFF, SWITCH_ON, confirmOffViewId } from '../../lib/panel/ids';
import type { FakeWorkspace } from '../fakes/FakeWorkspace';
import { panelDoor, withPlainServiceAccount, workspace } from '../fakes/harness';

/** Where Rocket.Chat's client shows a view: the room's contextual bar, or a modal over the room. */
export type Surface = 'contextual-bar' | 'modal';

export interface RenderCase {
    /** A file-name-safe name: the state, then the language. */
    name: string;
    language: 'en' | 'de';
    surface: Surface;
    /** The view as the handler answered or pushed it (id, title, blocks, and a modal's submit/close). */
    view: Record<string, unknown>;
}

export const LANGUAGES = ['en', 'de'] as const;

type Door = ReturnType<typeof panelDoor>;
type Scene = { ws: FakeWorkspace; call: Door['call']; pushed: Door['pushed'] };

/**
 * The states, each from a fresh workspace: `secret` is a private group owned by olivia, mia is a
 * plain member, otto is not in it. The guard's three policies come from the app setting and from
 * whether the server honours the app's write (what the guard keeps on needs that).
 */
const STATES: Array<{
    name: string;
    /** Without the plain service account the panel reads the permission table with (set up unless false). */
    serviceAccount?: false;
    setup?: (ws: FakeWorkspace) => void;
    act: (scene: Scene) => Promise<{ surface: Surface; view: unknown }>;
}> = [
    { name: 'off-owner', act: ({ ws, call }) => open(call, ws, 'olivia') },
    { name: 'off-member', act: ({ ws, call }) => open(call, ws, 'mia') },
    { name: 'switched-on', act: ({ ws, call }) => click(call, ws, 'olivia', SWITCH_ON) },
    { name: 'refused-on', act: ({ ws, call }) => click(call, ws, 'mia', SWITCH_ON) },
    { name: 'already-on', setup: encrypted, act: ({ ws, call }) => click(call, ws, 'olivia', SWITCH_ON) },
    { name: 'on-owner', setup: encrypted, act: ({ ws, call }) => open(call, ws, 'olivia') },
    { name: 'on-member', setup: encrypted, act: ({ ws, call }) => open(call, ws, 'mia') },
    { name: 'confirm-off', setup: encrypted, act: ({ ws, call }) => click(call, ws, 'olivia', SWITCH_OFF) },
    { name: 'confirm-off-member', setup: encrypted, act: ({ ws, call }) => click(call, ws, 'mia', SWITCH_OFF) },
    { name: 'switched-off', setup: encrypted, act: (scene) => confirm(scene, 'olivia') },
    { name: 'kept-on', setup: keptOn, act: ({ ws, call }) => open(call, ws, 'olivia') },
    { name: 'confirm-off-forbidden', setup: keptOn, act: ({ ws, call }) => click(call, ws, 'olivia', SWITCH_OFF) },
    { name: 'refused-off', setup: keptOn, act: (scene) => confirm(scene, 'olivia') },
    { name: 'app-refuses', serviceAccount: false, setup: appRefuses, act: ({ ws, call }) => open(call, ws, 'olivia') },
    {
        name: 'archived',
        setup: (ws) => ws.addRoom({ id: 'old', archived: true, members: ['olivia'], owners: ['olivia'] }),
        act: ({ ws, call }) => open(call, ws, 'olivia', 'old'),
    },
    { name: 'not-a-member', act: ({ ws, call }) => open(call, ws, 'otto') },
    { name: 'not-a-member-off', setup: encrypted, act: ({ ws, call }) => click(call, ws, 'otto', SWITCH_OFF, 'town') },
];

/** All the views, every state in every language. */
export async function renderCases(): Promise<Array<RenderCase>> {
    const cases: Array<RenderCase> = [];
    for (const language of LANGUAGES) {
        for (const state of STATES) {
            // A door without a session acts only on the permission table: a plain account reads it.
            const ws = state.serviceAccount === false ? workspace() : withPlainServiceAccount(workspace());
            state.setup?.(ws);
            speaking(ws, language);
            const { call, pushed } = panelDoor(ws);
            const { surface, view } = await state.act({ ws, call, pushed });
            if (!view || typeof view !== 'object') {
                throw new Error(`the panel sent no view for ${state.name} (${language})`);
            }
            cases.push({ name: `${state.name}-${language}`, language, surface, view: view as Record<string, unknown> });
        }
    }
    return cases;
}

function encrypted(ws: FakeWorkspace): void {
    ws.setEncryptedFlag('secret', true);
}

/** Turning off is forbidden and the server honours the app's write, so the guard keeps groups on. */
function keptOn(ws: FakeWorkspace): void {
    encrypted(ws);
    ws.appSettings.allow_turning_off = false;
    ws.instance.memory.modifierHonoured = true;
}

/**
 * Turning off is forbidden, but only the app's own doors refuse it: the server drops what the app
 * writes (Rocket.Chat 7.4 on) and no service account could switch a group back.
 */
function appRefuses(ws: FakeWorkspace): void {
    encrypted(ws);
    ws.appSettings.allow_turning_off = false;
    ws.roomModifier = 'ignored';
}

function speaking(ws: FakeWorkspace, language: string): void {
    for (const user of ws.users.values()) {
        Object.assign(user, { settings: { preferences: { language } } });
    }
}

async function open(call: Door['call'], ws: FakeWorkspace, userId: string, roomId = 'secret') {
    const answer = await call.button({ actionId: PANEL_BUTTON, user: ws.users.get(userId), room: ws.rooms.get(roomId) });
    return { surface: surfaceOf(answer.kind), view: answer.view };
}

async function click(call: Door['call'], ws: FakeWorkspace, userId: string, actionId: string, roomId = 'secret') {
    const answer = await call.block({ actionId, value: 'secret', user: ws.users.get(userId), room: ws.rooms.get(roomId) });
    return { surface: surfaceOf(answer.kind), view: answer.view };
}

/** The confirmed switch-off answers with a bare success and pushes the panel: the pushed panel is the view. */
async function confirm({ ws, call, pushed }: Scene, userId: string) {
    await call.submit({ view: { id: confirmOffViewId('secret') }, user: ws.users.get(userId), triggerId: 'trigger' });
    return { surface: 'contextual-bar' as const, view: pushed.at(-1) };
}

function surfaceOf(kind: string): Surface {
    if (kind === 'modal') {
        return 'modal';
    }
    if (kind === 'open-bar' || kind === 'update-bar') {
        return 'contextual-bar';
    }
    throw new Error(`the panel answered "${kind}", which shows no view`);
}
