// ESLint 9 flat config: eslint + typescript-eslint recommended; workflow code gets Temporal's determinism rules.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

// Modules that must never be loaded by workflow code: Node built-ins (nondeterministic I/O, clocks, randomness)
// and the provider SDKs (network I/O and credentials belong to activities, design.md §3).
const WORKFLOW_FORBIDDEN_MODULES = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'http',
  'http2',
  'https',
  'inspector',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'tty',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
  'tencentcloud-sdk-nodejs-common',
];
const WORKFLOW_IMPORT_MESSAGE =
  'workflow code must be deterministic: it runs in a sandbox and is replayed, so it cannot use Node built-ins, ' +
  'provider SDKs or other I/O. Do this in an activity (src/activities) and call it through proxyActivities.';

/** The import rule of workflow-safe code; `extraPatterns` restrict more (kind metadata files). */
function workflowImportsRule(extraPatterns = []) {
  const rule = [
    'error',
    {
      paths: WORKFLOW_FORBIDDEN_MODULES.map((name) => ({
        name,
        message: WORKFLOW_IMPORT_MESSAGE,
        allowTypeImports: true,
      })),
      patterns: [
        {
          group: [
            'node:*',
            'fs/*',
            'stream/*',
            'timers/*',
            'util/*',
            'dns/*',
            'tencentcloud-sdk-nodejs-common/*',
            '@alicloud/*',
            '@volcengine/*',
          ],
          message: WORKFLOW_IMPORT_MESSAGE,
          allowTypeImports: true,
        },
        {
          // Activities, workers, clients, the emulator and per-cloud provider modules do I/O;
          // workflows may import their types only.
          group: [
            '**/activities',
            '**/activities/**',
            '**/workers/**',
            '**/client/**',
            '**/emulator/**',
            '**/providers/tencentcloud/**',
            '**/providers/alibabacloud/**',
            '**/providers/volcengine/**',
            // ...but a kind's metadata file next to them is workflow-safe (linted by this rule too).
            '!**/providers/*/*.kind',
            '@temporalio/activity',
            '@temporalio/client',
            '@temporalio/worker',
            '@temporalio/testing',
          ],
          message: WORKFLOW_IMPORT_MESSAGE + ' (`import type` is fine)',
          allowTypeImports: true,
        },
      ],
    },
  ];
  rule[1].patterns.push(...extraPatterns);
  return rule;
}

module.exports = tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'coverage/',
      'artifacts/',
      '.tools/',
      '.tmp/',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Tests poke at wire formats (JSON bodies, SDK internals); `any` there is a pragmatic choice, not a bug.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Workflow code, and what workflow bundles load besides it: kind metadata and the contract.
    files: [
      'src/workflows/**/*.ts',
      'src/kinds.ts',
      'src/kinds.generated.ts',
      'src/contract.ts',
      'src/providers/kind.ts',
      'src/providers/*/regions.ts',
    ],
    rules: { '@typescript-eslint/no-restricted-imports': workflowImportsRule() },
  },
  {
    // A kind's metadata file is loaded by workflow bundles: it may use the kind registry only.
    files: ['src/providers/*/*.kind.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': workflowImportsRule([
        {
          group: ['./*', '../*', '!../kind', '!./regions'],
          message: 'a kind metadata file is workflow-safe: import only ../kind, ./regions (and types)',
          allowTypeImports: true,
        },
      ]),
    },
  },
);
