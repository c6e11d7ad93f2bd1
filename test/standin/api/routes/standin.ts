// The stand-in's own routes, outside Rocket.Chat's API: what a web client would show (private
// replies), what REST cannot set up (federation), and knobs for tests and the benchmark.
import { success } from '../answers';
import type { ApiRouter } from '../ApiRouter';
import type { HostState } from '../../apps/bridges';
import { requirePermission } from '../../core/authorization';
import type { ServerContext } from '../../core/context';
import { MeteorError } from '../../core/errors';
import { FAULTS, type Fault } from '../../../support/faults';

export function standinRoutes(api: ApiRouter, server: ServerContext, state: HostState): void {
    const { storage } = server;

    api.addRoute(
        'notices',
        { authRequired: true },
        { get: ({ user }) => success({ notices: storage.notices.filter((notice) => notice.userId === user._id) }) },
    );

    api.addRoute(
        'faults',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                requirePermission(storage, user._id, 'manage-apps');
                const asked = Array.isArray(bodyParams.faults) ? bodyParams.faults : [];
                const unknown = asked.filter((fault: unknown) => !FAULTS.includes(fault as Fault));
                if (unknown.length) {
                    throw new MeteorError(undefined, `Unknown faults: ${unknown.join(', ')} (known: ${FAULTS.join(', ')})`);
                }
                state.faults.clear();
                for (const fault of asked) {
                    state.faults.add(fault);
                }
                return success({ faults: [...state.faults] });
            },
        },
    );

    // Federation cannot be set up through REST; this marks a group as a federated one would be stored.
    api.addRoute(
        'rooms.federate',
        { authRequired: true },
        {
            post: ({ user, bodyParams }) => {
                requirePermission(storage, user._id, 'manage-apps');
                const room = storage.rooms.get(String(bodyParams.roomId));
                if (!room) {
                    throw new MeteorError('error-invalid-room', 'Invalid room');
                }
                room.federated = true;
                return success();
            },
        },
    );

    api.addRoute(
        'stats',
        { authRequired: false },
        {
            get: () =>
                success({
                    bridgeCalls: Object.fromEntries(state.bridgeCalls),
                    memory: process.memoryUsage(),
                    siteUrl: storage.settings.get('Site_Url'),
                }),
        },
    );
}
