/** The test servers themselves: installed binaries, the shared dev server's search attributes, time skipping. */
import { execFileSync } from 'node:child_process';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../../src/contract';
import {
  TEST_NAMESPACE,
  connectTestClient,
  createTimeSkippingEnv,
  readPathsEnv,
  temporalCliPath,
} from '../helpers/temporal';

const { IndexedValueType } = temporal.api.enums.v1;

// design.md §2, written out here on purpose: this is the contract, not a copy of the code under test.
const EXPECTED: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  TeardownStatus: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  TeardownKinds: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  TeardownResourceCount: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  TeardownFailedCount: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  TeardownRequestedBy: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  TeardownBlockedOn: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  TeardownAccounts: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

describe('installed Temporal binaries', () => {
  test('the CLI is the pinned build recorded in .tools/paths.env', () => {
    const version = execFileSync(temporalCliPath(), ['--version'], { encoding: 'utf8' }).trim();
    expect(version).toMatch(/^temporal version \S+ \(Server \d+\.\d+\.\d+, UI \d+\.\d+\.\d+\)$/);
    const recorded = readPathsEnv().TEMPORAL_CLI_VERSION;
    if (recorded && !process.env.TEMPORAL_CLI_PATH) expect(version).toBe(recorded);
  });
});

test('the contract names the same five search attributes', () => {
  expect(Object.values(SEARCH_ATTRIBUTES).sort()).toEqual(Object.keys(EXPECTED).sort());
});

// Set by test/global-setup.ts (always under `npm test`); absent under jest.unit.config.js, which has no server.
const describeWithDevServer = process.env.TEMPORAL_TEST_ADDRESS ? describe : describe.skip;

describeWithDevServer('shared dev server (global setup)', () => {
  test('has the five search attributes of the contract, with their types', async () => {
    const { connection } = await connectTestClient();
    try {
      const res = await connection.operatorService.listSearchAttributes({ namespace: TEST_NAMESPACE });
      const custom = res.customAttributes ?? {};
      const registered = Object.fromEntries(
        Object.keys(EXPECTED).map((name) => [name, IndexedValueType[custom[name] ?? 0]]),
      );
      const expected = Object.fromEntries(
        Object.entries(EXPECTED).map(([name, t]) => [name, IndexedValueType[t]]),
      );
      expect(registered).toEqual(expected);
    } finally {
      await connection.close();
    }
  });
});

describe('time-skipping test server', () => {
  test('starts from the installed binary and skips time', async () => {
    const env = await createTimeSkippingEnv();
    try {
      expect(env.supportsTimeSkipping).toBe(true);
      const before = await env.currentTimeMs();
      await env.sleep('3 days');
      const after = await env.currentTimeMs();
      expect(after - before).toBeGreaterThanOrEqual(3 * 24 * 3600 * 1000);
      // Three days passed for the server; the test's own timeout (far less) shows none passed here.
    } finally {
      await env.teardown();
    }
  });
});
