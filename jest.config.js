// Three projects so that each kind of test gets the servers it needs and no more:
// unit tests are pure; workflow tests run on the time-skipping server; integration tests
// run against the Temporal dev server, FerretDB (or MONGODB_URI) and Chromium.
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60_000,
  // Once per run, whatever projects are selected: servers are skipped when ENVCASE_NO_SERVERS=1
  // (the unit-only script), so pure tests stay instant.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  transform,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'workflow',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/workflow/**/*.test.ts', '<rootDir>/test/replay/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
  ],
};
