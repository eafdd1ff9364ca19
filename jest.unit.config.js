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
  testPathIgnorePatterns: ['/node_modules/', ...exactPathPatterns(partitionSuites().server)],
};
