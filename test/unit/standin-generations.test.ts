// The stand-in's one module that knows server generations (test/standin/generations.ts), against
// what Rocket.Chat and the Apps-Engine say, written here apart from it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { VersionError, serverProfile } from '../standin/generations';

describe('stand-in generations: which Rocket.Chat can run the app, and how each answers', () => {
    // app.json's requiredApiVersion is ^1.42.1 (set by `rc-apps package` from the engine the app is
    // built against); Apps-Engine's AppPackageParser refuses a package its engine does not satisfy.
    // Apps-Engine 1.42.1 reached npm on 2024-04-05; Rocket.Chat 6.7.0 is the first release with it.
    test('a server older than 6.7.0 is refused with one line naming the engine and the first release', () => {
        for (const version of ['6.0', '6.3.0', '6.6.9', 'v5.4']) {
            assert.throws(
                () => serverProfile(version),
                (error: unknown) =>
                    error instanceof VersionError &&
                    /cannot install this app: it needs a server with Apps-Engine 1\.42\.1 or later \(requiredApiVersion \^1\.42\.1\), that is Rocket\.Chat 6\.7\.0 or later$/.test(
                        error.message,
                    ) &&
                    !error.message.includes('\n'),
                version,
            );
        }
    });

    // 9.0 changed the 401 and 403 bodies; a later major may change anything, so it is not guessed at.
    test('a major newer than 9 is refused with one line naming the versions the stand-in knows; 9.x is known', () => {
        for (const version of ['10.0.0', '10', '11.2.3-rc.1']) {
            assert.throws(
                () => serverProfile(version),
                (error: unknown) =>
                    error instanceof VersionError &&
                    /^Rocket\.Chat [\d.]+ is not one the stand-in knows: it stands in for Rocket\.Chat 6\.7\.0 up to 9\.x \(6\.7–6\.10, 6\.11–7\.3, 7\.4–8\.7, 8\.8–9\.x\); give RC_VERSION one of those$/.test(
                        error.message,
                    ),
                version,
            );
        }
        for (const version of ['9.0', '9.9.9']) {
            assert.equal(serverProfile(version).version, `${version}${version.split('.').length === 2 ? '.0' : ''}`);
        }
    });

    test('6.7.0 up to 6.10 run on the vm2 engine (Apps-Engine 1.42.1)', () => {
        for (const version of ['6.7.0', '6.8', '6.10.5']) {
            assert.equal(serverProfile(version).generation.engineVersion, '1.42.1', version);
        }
        assert.equal(serverProfile('6.11').generation.engineVersion, '1.46.0');
    });

    // apps/meteor/app/api/server/ApiClass.ts: `applyBreakingChanges = shouldBreakInVersion('9.0.0')`
    // turns `API.v1.forbidden()`'s default into 'forbidden' and a refused `permissionsRequired` into
    // `error-forbidden`.
    test("9.0's forbidden answers; before it, 'unauthorized' and error-unauthorized", () => {
        for (const version of ['6.10', '7.2', '8.0', '8.8']) {
            const profile = serverProfile(version);
            assert.equal(profile.forbiddenError, 'unauthorized', version);
            assert.equal(profile.permissionRefusalCode, 'error-unauthorized', version);
        }
        const nine = serverProfile('9.0');
        assert.equal(nine.forbiddenError, 'forbidden');
        assert.equal(nine.permissionRefusalCode, 'error-forbidden');
    });
});
