// setupFiles of jest.unit.config.js: no Temporal server is offered to unit suites. The helpers
// (test/helpers/temporal.ts) read these variables to find the dev server and the workflow bundle;
// with them unset, a suite that needs a server fails with a message saying so.
for (const name of ['TEMPORAL_TEST_ADDRESS', 'TEMPORAL_TEST_UI_URL', 'TEMPORAL_WORKFLOW_BUNDLE']) {
  delete process.env[name];
}
