// The same suites against a real Rocket.Chat: set RC_URL, RC_ADMIN_USER and RC_ADMIN_PASSWORD
// (README: "Against a real server"). Without them this file reports one skipped test, never a pass.
import { test } from 'node:test';

import { onTarget } from './scenario';
import { abuseSuite } from './hardening/abuse';
import { concurrencySuite } from './hardening/concurrency';
import { roleMatrixSuite } from './hardening/roleMatrix';
import { endToEndSuite } from './suite';
import { REAL_SERVER_CONFIGURED, realServerTarget } from './target';

if (REAL_SERVER_CONFIGURED) {
    onTarget(`real Rocket.Chat at ${process.env.RC_URL}`, realServerTarget, [endToEndSuite, roleMatrixSuite, abuseSuite, concurrencySuite]);
} else {
    test(
        'real Rocket.Chat server',
        { skip: 'skipped: set RC_URL, RC_ADMIN_USER and RC_ADMIN_PASSWORD to run the suites against a real server' },
        () => undefined,
    );
}
