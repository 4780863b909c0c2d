// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

/** Modules with I/O or global state: never in workflow or domain code (Temporal's sandbox replays it). */
const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https', 'stream', 'worker_threads'];
const sideEffectPackages = [
  'mongoose', 'express', 'puppeteer-core', 'handlebars', 'pino', 'bcryptjs', 'chinese-days',
  '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing',
];

const noModelsOutsideReadModel = { group: ['**/models/*'], message: 'Reach the database through read-model/ repositories, not models/.' };

module.exports = tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', '.temporal/**', 'test-artifacts/**', 'coverage/**', 'scripts/ferretdb-launcher/**'] },
  js.configs.recommended,
  {
    // A mongo shell script: its globals are the shell's.
    files: ['docker/mongo/**/*.js'],
    languageOptions: { globals: { rs: 'readonly', print: 'readonly', quit: 'readonly', sleep: 'readonly', db: 'readonly' } },
  },
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...nodeBuiltins.map((name) => `node:${name}`), ...sideEffectPackages].map((name) => ({
            name,
            message: 'Workflow and domain code must stay deterministic: do I/O in an activity.',
          })),
          patterns: [
            { group: ['**/activities/*', '!**/activities/*.types'], message: 'Import only types from activities/ (import type).', allowTypeImports: true },
            { group: ['**/models/*', '**/api/*', '**/config/*'], message: 'Workflow and domain code may not import models, api or config.' },
          ],
        },
      ],
    },
  },
  {
    // The HTTP edge calls read-model/ for data and Temporal for actions; never activities/ or models/.
    files: ['api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/activities', '**/activities/*', '**/activities/**'], message: 'api/ may not import activities/: share through read-model/ or domain/.' },
            noModelsOutsideReadModel,
          ],
        },
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noModelsOutsideReadModel] }],
    },
  },
);
