// The same suite against a real Rocket.Chat: set RC_URL, RC_ADMIN_USER and RC_ADMIN_PASSWORD
// (README: "Against a real server"). Without them this file reports one skipped test, never a pass.
import { test } from 'node:test';

import { endToEndSuite } from './suite';
import { REAL_SERVER_CONFIGURED, realServerTarget } from './target';

if (REAL_SERVER_CONFIGURED) {
    endToEndSuite(`real Rocket.Chat at ${process.env.RC_URL}`, realServerTarget);
} else {
    test('real Rocket.Chat server', { skip: 'skipped: set RC_URL, RC_ADMIN_USER and RC_ADMIN_PASSWORD to run the suite against a real server' }, () => undefined);
}
