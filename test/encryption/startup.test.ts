// A malformed TEARDOWN_ENCRYPTION_KEYS stops the client library (and so the CLI) and the worker at
// start, before anything is sent, naming the entry at fault.
import type { NativeConnection } from '@temporalio/worker';
import { connectTeardownClient } from '../../src/client';
import { loadWorkerConfig } from '../../src/config';
import { createTeardownWorkers } from '../../src/workers/worker';

const saved = process.env.TEARDOWN_ENCRYPTION_KEYS;
beforeEach(() => {
  process.env.TEARDOWN_ENCRYPTION_KEYS = 'k1:dG9vLXNob3J0';
});
afterEach(() => {
  if (saved === undefined) delete process.env.TEARDOWN_ENCRYPTION_KEYS;
  else process.env.TEARDOWN_ENCRYPTION_KEYS = saved;
});

it('the client refuses to connect', async () => {
  await expect(connectTeardownClient({ overrides: { address: '127.0.0.1:1' } })).rejects.toThrow(
    /^TEARDOWN_ENCRYPTION_KEYS: key "k1" must be 32 bytes/,
  );
});

it('the worker refuses to start', async () => {
  const never = {} as NativeConnection; // not touched: the key ring is checked first
  await expect(createTeardownWorkers({ connection: never, config: loadWorkerConfig({}) })).rejects.toThrow(
    /^TEARDOWN_ENCRYPTION_KEYS: key "k1" must be 32 bytes/,
  );
});
