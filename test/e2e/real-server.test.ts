// The same suites against a real Rocket.Chat: set RC_URL, RC_ADMIN_USER and RC_ADMIN_PASSWORD
// (docs/tests.md: "Against a real server"). Without them this file reports one skipped test, never a pass.
import { test } from 'node:test';

import { realServerSuites } from './run';
import { REAL_SERVER_CONFIGURED } from './target';

if (REAL_SERVER_CONFIGURED) {
    realServerSuites();
} else {
    test(
        'real Rocket.Chat server',
        { skip: 'skipped: set RC_URL, RC_ADMIN_USER and RC_ADMIN_PASSWORD to run the suites against a real server' },
        () => undefined,
    );
}
