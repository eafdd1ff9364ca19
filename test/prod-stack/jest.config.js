/** `npm run test:prod-stack`: jest against the stack scripts/prod-stack.sh started (no dev server). */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/prod-stack'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 15 * 60_000,
  maxWorkers: 1,
};
