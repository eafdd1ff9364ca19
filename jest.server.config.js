/**
 * Suites that need the Temporal dev server (or start a time-skipping one): the complement of
 * jest.unit.config.js. `npm test` runs the unit run first, then this one.
 */
const base = require('./jest.config.js');
const { exactPathPatterns, partitionSuites } = require('./jest.suites.js');

module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/', ...exactPathPatterns(partitionSuites().unit)],
};
