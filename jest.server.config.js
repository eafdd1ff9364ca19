/**
 * Suites that need the Temporal dev server (or start a time-skipping one): the complement of
 * jest.unit.config.js. `npm test` runs the unit run first, then this one.
 */
const base = require('./jest.config.js');
const { exactPathPatterns, partitionSuites } = require('./jest.suites.js');

module.exports = {
  ...base,
  // test/prod-stack and test/reliability run in npm run test:prod-stack and test:reliability only.
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/prod-stack/',
    '<rootDir>/test/reliability/',
    ...exactPathPatterns(partitionSuites().unit),
  ],
};
