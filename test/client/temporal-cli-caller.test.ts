// A caller with nothing but the `temporal` CLI and plain JSON: start with --input-file, query
// `progress`, find it with `list --query`, read the result; every JSON read is checked against the
// committed schemas (schema/), as a caller in another language would.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FIXTURES } from '../helpers/kinds';
import { seedEcs } from './cli-harness';
import { schemaErrors } from '../helpers/json-schemas';
import { eventually, startStack, testId, type Stack } from '../helpers/stack';
import { temporalCliPath, testServerAddress } from '../helpers/temporal';

const fx = FIXTURES['alibabacloud.ecs.instance'];
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ prefix: 'tcli' });
});

afterAll(async () => {
  await stack?.stop();
});

/** Runs `temporal <args>` against the dev server; asynchronous so this process's workers keep running. */
async function temporal(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    temporalCliPath(),
    [...args, '--address', testServerAddress(), '--namespace', 'default'],
    { timeout: 60_000 },
  );
  return stdout;
}

describe('a teardown driven by the temporal CLI only', () => {
  it('starts from a JSON file, answers progress and its result in the committed schemas, and is found by query', async () => {
    const ids = seedEcs(stack, 3);
    const request = {
      resources: [{ kind: fx.kind, region: fx.region, ids }],
      options: { pollInterval: '300ms' },
      requestedBy: 'svc-cli',
    };
    expect(schemaErrors('teardown-request.json', request)).toEqual([]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tcli-')), 'request.json');
    writeFileSync(file, JSON.stringify(request));
    const workflowId = `teardown-${testId('tcli')}`;
    await temporal([
      'workflow',
      'start',
      '--type',
      'teardown',
      '--task-queue',
      stack.taskQueue,
      '--workflow-id',
      workflowId,
      '--input-file',
      file,
      '--id-reuse-policy',
      'RejectDuplicate',
      '--id-conflict-policy',
      'Fail',
      '-o',
      'json',
    ]);

    // A query is answered once the first workflow task has run ("Workflow is busy" before that).
    const progress = await eventually(
      () =>
        temporal(['workflow', 'query', '--workflow-id', workflowId, '--type', 'progress', '-o', 'json']).then(
          (out) => JSON.parse(out),
          () => undefined,
        ),
      'the progress query',
    );
    const report = progress.queryResult?.[0] ?? progress;
    expect(schemaErrors('teardown-report.json', report)).toEqual([]);

    const result = JSON.parse(
      await temporal(['workflow', 'result', '--workflow-id', workflowId, '-o', 'json']),
    );
    const final = result.result ?? result;
    expect(schemaErrors('teardown-report.json', final)).toEqual([]);
    expect(final).toMatchObject({ status: 'completed', totals: { requested: 3, deleted: 3 } });

    const listed = await eventually(async () => {
      const out = await temporal([
        'workflow',
        'list',
        '--query',
        `WorkflowId = "${workflowId}" AND TeardownStatus = "completed"`,
        '-o',
        'json',
      ]);
      const rows = out.trim() ? JSON.parse(out) : [];
      return rows.length === 1 ? rows : undefined;
    }, 'the teardown by TeardownStatus');
    expect(listed[0].execution.workflowId).toBe(workflowId);
  });
});
