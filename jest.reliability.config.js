/**
 * `npm run test:reliability`: fault tests and long end-to-end runs (test/reliability) against the
 * dev server of the global setup and emulators they start themselves; `.ci/run` runs it after
 * `npm test`. One file at a time: each test loads both cores on its own.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/reliability'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 15 * 60_000,
  maxWorkers: 1,
};
