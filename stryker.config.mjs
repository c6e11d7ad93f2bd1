// `npm run mutate`: mutation testing with StrykerJS (README, "Mutation testing"). Not part of CI: a
// run over one area takes minutes to tens of minutes, and it measures the tests rather than the app.
// Nothing here reaches the zip: scripts/package-app.mjs stages only the app's own files.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
    // catalog.ts is generated from i18n/*.json (`npm run i18n`); its strings are data, not logic.
    // `npm run mutate -- --mutate 'lib/guard/**/*.ts'` replaces this list for one run.
    mutate: ['lib/**/*.ts', '!lib/i18n/catalog.ts'],

    // Node's own test runner speaks TAP, so the tap runner drives it: one node process per test
    // file, with tsx compiling the TypeScript as `npm run test:unit` does. The runner's hook (for
    // coverage and the active mutant) must be loaded before the file, hence the placeholders.
    testRunner: 'tap',
    tap: {
        testFiles: ['test/unit/*.test.ts'],
        nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
    },
    // The tap runner measures coverage per test file: a mutant runs only the files that reach it.
    coverageAnalysis: 'perTest',
    // No type checker: tsx strips types, and a mutant that would not compile is just killed or
    // survives like any other; `npm run typecheck` guards the real code. For the same reason no
    // `// @ts-nocheck` is written into the sandbox's files: it would also change the generated
    // catalog, which test/unit/i18n.test.ts compares with what the generator writes.
    disableTypeChecks: false,

    // The machine is shared (e2e runs on two cores): one test process at a time unless asked for
    // more, e.g. `npm run mutate -- --concurrency 2`.
    concurrency: 1,
    // A loaded machine makes test files slower than in the dry run; a generous margin keeps a
    // slow file from counting as a "timeout" kill.
    timeoutMS: 15000,

    // Later runs reuse the results of mutants whose code and tests did not change; runs of one
    // area keep the other areas' earlier results. `--force` runs everything again.
    incremental: true,
    incrementalFile: 'reports/stryker-incremental.json',
    reporters: ['clear-text', 'progress', 'html'],
    htmlReporter: { fileName: 'reports/mutation/index.html' },
    clearTextReporter: { allowColor: false, logTests: false },
    thresholds: { high: 85, low: 70, break: null },

    // The sandbox is a copy of the project: the built zip and earlier reports are not needed there.
    ignorePatterns: ['dist', 'reports'],
    tempDirName: 'reports/.stryker-tmp',
    cleanTempDir: true,
};
