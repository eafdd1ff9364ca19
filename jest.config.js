/** Jest runs against the real Temporal dev server (started once in globalSetup) and in-process emulators. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/prod-stack runs on the real server and PostgreSQL: `npm run test:prod-stack` (its own config).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/prod-stack/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // Records the secrets in-process workers learned, for the global teardown's secrets scan.
  setupFilesAfterEnv: ['<rootDir>/test/helpers/record-secrets.ts'],
  testTimeout: 120_000,
  maxWorkers: 2,
  // End-to-end cases marked concurrent share one stack and mostly wait on timers.
  maxConcurrency: 12,
};
