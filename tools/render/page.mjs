// The browser side of the render: a React root that shows one UI-Kit view the way Rocket.Chat's
// web client frames it, with the blocks drawn by @rocket.chat/fuselage-ui-kit. Bundled by
// render.mjs with esbuild; the page exposes `window.renderSurface(request)`.
//
// The published @rocket.chat/fuselage-ui-kit (0.31.23, the newest on the npm registry) has no
// contextual-bar surface: Rocket.Chat 6.x's client drew an app's contextual bar with the modal
// renderer (`<UiKitComponent render={UiKitModal} blocks={view.blocks} />` inside its own
// Contextualbar header/content frame), and so does this page. Fuselage 0.31.23 has no Contextualbar
// components either, so the frame below is built from Box with the client's measures (380 px
// wide, a 64 px header with the app's avatar, the title and a close button, 24 px padding).
//
// That renderer also prints `mrkdwn` text as it is (`*bold*`, `code` keep their marks): Rocket.Chat's
// client replaces that one method with its own Markdown parser, which is not published for use
// outside the client. The picture shows the marks; the words and the layout are the renderer's.
import { Avatar, Box, Button, ButtonGroup, IconButton, Modal } from '@rocket.chat/fuselage';
import { UiKitComponent, UiKitModal, kitContext, modalParser } from '@rocket.chat/fuselage-ui-kit';
import { BlockContext } from '@rocket.chat/ui-kit';
import React from 'react';
import ReactDOM from 'react-dom';

import './page.css';

const h = React.createElement;

/** What went wrong while rendering, for render.mjs to report: the error boundary's catches. */
window.__renderErrors = [];

class ErrorBoundary extends React.Component {
    constructor(props) {
        super(props);
        this.state = { error: undefined };
    }

    static getDerivedStateFromError(error) {
        return { error };
    }

    componentDidCatch(error, info) {
        window.__renderErrors.push(`${error && error.stack ? error.stack : error}${info && info.componentStack ? info.componentStack : ''}`);
    }

    render() {
        return this.state.error ? h('div', { 'data-render-error': true }, String(this.state.error)) : this.props.children;
    }
}

const text = (object, index) => (object ? modalParser.text(object, BlockContext.NONE, index) : null);

/** The blocks as Rocket.Chat's client hands them to the renderer: a form, under the UI-Kit context. */
function Blocks({ view, appId }) {
    const context = { action: () => undefined, state: () => undefined, appId, values: {}, errors: {}, viewId: view.id };
    return h(
        kitContext.Provider,
        { value: context },
        h(Box, { is: 'form', method: 'post', action: '#', 'data-blocks': true }, h(UiKitComponent, { render: UiKitModal, blocks: view.blocks })),
    );
}

function ContextualBar({ view, appId, iconUrl }) {
    return h(
        Box,
        {
            id: 'surface',
            display: 'flex',
            flexDirection: 'column',
            width: 'x380',
            bg: 'surface-light',
            borderInlineStartWidth: 'default',
            borderInlineStartColor: 'extra-light',
            borderInlineStartStyle: 'solid',
        },
        h(
            Box,
            {
                display: 'flex',
                alignItems: 'center',
                minHeight: 'x64',
                pi: 'x24',
                borderBlockEndWidth: 'default',
                borderBlockEndColor: 'extra-light',
                borderBlockEndStyle: 'solid',
            },
            h(Avatar, { url: iconUrl, size: 'x28' }),
            h(Box, { fontScale: 'h4', color: 'default', flexGrow: 1, mi: 'x8', withTruncatedText: true }, text(view.title, 0)),
            h(IconButton, { small: true, icon: 'cross', title: 'Close' }),
        ),
        h(Box, { pi: 'x24', pb: 'x24' }, h(Blocks, { view, appId })),
    );
}

function ModalView({ view, appId, iconUrl }) {
    return h(
        Box,
        { id: 'surface', display: 'inline-block', p: 'x24', style: { background: 'rgba(47, 52, 61, 0.5)' } },
        h(
            Modal,
            { open: true },
            h(Modal.Header, null, h(Modal.Thumb, { url: iconUrl }), h(Modal.Title, null, text(view.title, 0)), h(Modal.Close, { tabIndex: -1 })),
            h(Modal.Content, null, h(Blocks, { view, appId })),
            h(
                Modal.Footer,
                null,
                h(
                    ButtonGroup,
                    { align: 'end' },
                    view.close && h(Button, { danger: view.close.style === 'danger' }, text(view.close.text, 0)),
                    view.submit && h(Button, { primary: view.submit.style !== 'danger', danger: view.submit.style === 'danger' }, text(view.submit.text, 1)),
                ),
            ),
        ),
    );
}

const root = document.getElementById('root');

/** Renders one view, replacing the one before, and resolves once React has committed it. */
window.renderSurface = ({ surface, view, iconUrl }) =>
    new Promise((resolve) => {
        window.__renderErrors = [];
        ReactDOM.unmountComponentAtNode(root);
        const appId = view.blocks && view.blocks[0] && view.blocks[0].appId;
        const Frame = surface === 'modal' ? ModalView : ContextualBar;
        ReactDOM.render(h(ErrorBoundary, null, h(Frame, { view, appId, iconUrl })), root, () => resolve(window.__renderErrors.slice()));
    });
