import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    { ignores: ['node_modules/', 'dist/', 'reports/', 'lib/i18n/catalog.ts'] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
            eqeqeq: 'error',
            'no-console': 'off',
        },
    },
    {
        // The stand-in hosts two Apps-Engine generations loaded at run time, and the suites read
        // JSON from a server: there, untyped values are the honest type.
        files: ['test/standin/**', 'test/e2e/**', 'test/support/**'],
        rules: { '@typescript-eslint/no-explicit-any': 'off' },
    },
    {
        // The render page, and the callbacks render.mjs hands to it, run in the browser.
        files: ['tools/render/*.mjs'],
        languageOptions: { globals: { window: 'readonly', document: 'readonly' } },
    },
    {
        files: ['**/*.mjs'],
        languageOptions: { globals: { process: 'readonly', console: 'readonly', fetch: 'readonly', FormData: 'readonly', Blob: 'readonly', URL: 'readonly' } },
    },
);
