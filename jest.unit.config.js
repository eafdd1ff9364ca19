/**
 * Suites that need no Temporal server (emulator, providers, pure logic): `npm run test:unit`. Which
 * suites those are follows from their imports (jest.suites.js); no global setup runs, and
 * test/unit-setup.ts clears the variables through which a suite would find a server, so one that
 * needs it fails here instead of passing by luck.
 */
const base = require('./jest.config.js');
const { exactPathPatterns, partitionSuites } = require('./jest.suites.js');

module.exports = {
  ...base,
  globalSetup: undefined,
  globalTeardown: undefined,
  setupFiles: ['<rootDir>/test/unit-setup.ts'],
  // test/prod-stack runs in npm run test:prod-stack only.
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/prod-stack/',
    '<rootDir>/test/reliability/',
    ...exactPathPatterns(partitionSuites().server),
  ],
};
