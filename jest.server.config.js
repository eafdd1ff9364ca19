/**
 * Suites that need the Temporal dev server (or start a time-skipping one): the complement of
 * jest.unit.config.js. `npm test` runs the unit run first, then this one.
 */
const base = require('./jest.config.js');
const { exactPathPatterns, partitionSuites } = require('./jest.suites.js');

module.exports = {
  ...base,
  // test/prod-stack runs in npm run test:prod-stack only.
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/prod-stack/',
    ...exactPathPatterns(partitionSuites().unit),
  ],
};
