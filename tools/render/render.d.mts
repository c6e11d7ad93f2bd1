/** The folder of the renderer's own package (package.json, page.mjs). */
export const RENDER_DIR: string;
/** The Chromium binary the renderer launches. */
export const CHROMIUM: string;
/** Why rendering cannot run on this machine, or undefined when it can. */
export function missing(): string | undefined;
/** Installs the renderer's packages from its lock file when they are missing or older than it (or always, with force). */
export function setup(options?: { force?: boolean }): void;

export interface RenderRequest {
    surface: 'contextual-bar' | 'modal';
    view: Record<string, unknown>;
    language?: string;
    screenshot?: boolean;
}

export interface RenderResult {
    /** Console errors and warnings, page errors, the error boundary's catches: empty when the render was clean. */
    errors: Array<string>;
    /** The text the blocks were drawn as (the view's title and frame excluded). */
    text: string;
    /** The labels of the buttons drawn among the blocks. */
    buttons: Array<string>;
    /** All the text the surface shows: its title, the blocks, a modal's buttons. */
    surfaceText: string;
    png?: Buffer;
}

export function openRenderer(options?: { iconPath?: string }): Promise<{ render(request: RenderRequest): Promise<RenderResult>; close(): Promise<void> }>;
