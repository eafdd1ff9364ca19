/** Jest runs against the real Temporal dev server (started once in globalSetup) and in-process emulators. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 120_000,
  maxWorkers: 2,
  // End-to-end cases marked concurrent share one stack and mostly wait on timers.
  maxConcurrency: 12,
};
