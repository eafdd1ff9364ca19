/** Tests that need no Temporal server (emulator, providers, pure logic): `npx jest -c jest.unit.config.js`. */
const base = require('./jest.config.js');
module.exports = { ...base, globalSetup: undefined, globalTeardown: undefined };
