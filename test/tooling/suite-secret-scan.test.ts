// The end-of-run secrets scan (test/helpers/suite-secret-scan.ts) finds a credential planted in a
// workflow history on the run's dev server and in a worker log, and names where; the run's own
// scan (test/global-teardown.ts) then asserts zero hits over everything the suite wrote.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { scanSuite } from '../helpers/suite-secret-scan';
import { TEST_NAMESPACE, testServerAddress, uniqueTaskQueue } from '../helpers/temporal';

let connection: Connection;
let scanDir: string;

beforeAll(async () => {
  connection = await Connection.connect({ address: testServerAddress() });
  scanDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-scan-test-'));
});

afterAll(async () => {
  await connection?.close();
  fs.rmSync(scanDir, { recursive: true, force: true });
});

it('finds a secret planted in a history (base64 inside a payload) and in a worker log', async () => {
  // Planted only here: the run's own scan does not know this value, so it stays green.
  const planted = { name: 'planted test secret', value: `planted-${randomBytes(12).toString('hex')}` };
  const client = new Client({ connection, namespace: TEST_NAMESPACE });
  const workflowId = `secret-scan-${randomBytes(4).toString('hex')}`;
  const handle = await client.workflow.start('noSuchWorkflow', {
    taskQueue: uniqueTaskQueue('secret-scan'),
    workflowId,
    args: [{ note: Buffer.from(`key=${planted.value}`).toString('base64') }, { raw: planted.value }],
  });
  await handle.terminate('planted for the secrets scan test');
  fs.mkdirSync(path.join(scanDir, 'logs'));
  fs.writeFileSync(path.join(scanDir, 'logs', 'worker-1.log'), `{"msg":"signing with ${planted.value}"}\n`);

  const scan = await scanSuite(connection, scanDir, [planted], `WorkflowId = "${workflowId}"`);
  expect(scan.namespaces).toContain(TEST_NAMESPACE);
  expect(scan.histories).toBeGreaterThanOrEqual(1);
  expect(scan.logs).toBe(1);
  const mine = scan.hits.filter((h) => h.includes('planted test secret'));
  expect(mine).toEqual(
    expect.arrayContaining([
      expect.stringMatching(new RegExp(`^default/${workflowId}: planted test secret \\(raw at \\d+\\)$`)),
      expect.stringMatching(new RegExp(`^default/${workflowId}: planted test secret \\(base64 at \\d+\\)$`)),
      expect.stringMatching(/^log worker-1\.log: planted test secret \(raw at 21\)$/),
    ]),
  );
});
