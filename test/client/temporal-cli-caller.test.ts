// A caller with nothing but the `temporal` CLI and plain JSON: start with --input-file, query
// `progress`, read the result, find it with `list --query` on every search attribute; every JSON
// read is checked against the committed schemas (schema/), as a caller in another language would.
// At 10,000 resources, with payload sizes: test/reliability/temporal-cli-10k.test.ts.
import { FIXTURES } from '../helpers/kinds';
import { seedEcs } from './cli-harness';
import { schemaErrors } from '../helpers/json-schemas';
import { eventually, startStack, testId, type Stack } from '../helpers/stack';
import {
  listByEverySearchAttribute,
  queryRaw,
  readPayload,
  searchAttributes,
  startTeardownByCli,
  temporal,
  updateAnswer,
} from '../helpers/temporal-cli';

const fx = FIXTURES['alibabacloud.ecs.instance'];
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ prefix: 'tcli' });
});

afterAll(async () => {
  await stack?.stop();
});

describe('a teardown driven by the temporal CLI only', () => {
  it('starts from a JSON file, answers progress and its result in the committed schemas, and is found by query', async () => {
    const ids = seedEcs(stack, 3);
    const request = {
      resources: [{ kind: fx.kind, region: fx.region, ids }],
      options: { pollInterval: '300ms' },
      requestedBy: 'svc-cli',
    };
    expect(schemaErrors('teardown-request.json', request)).toEqual([]);
    const workflowId = `teardown-${testId('tcli')}`;
    await startTeardownByCli(stack.taskQueue, workflowId, request);

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

    // The workflow set every search attribute itself (the CLI set none); each one finds it.
    expect(await searchAttributes(workflowId)).toMatchObject({
      TeardownStatus: 'completed',
      TeardownKinds: [fx.kind],
      TeardownResourceCount: 3,
      TeardownRequestedBy: 'svc-cli',
      TeardownFailedCount: 0,
    });
    expect(await listByEverySearchAttribute(workflowId)).toContain('TeardownRequestedBy = "svc-cli"');
  });

  it('postpones and approves through CLI updates: each argument and answer in its schema, json/plain', async () => {
    const ids = seedEcs(stack, 2);
    const startAt = new Date(Date.now() + 3_600_000).toISOString();
    const request = {
      resources: [{ kind: fx.kind, region: fx.region, ids }],
      options: { pollInterval: '300ms', requireApproval: true, startAt },
      requestedBy: 'svc-cli',
    };
    const workflowId = `teardown-${testId('tcli-upd')}`;
    await startTeardownByCli(stack.taskQueue, workflowId, request);
    const plainReport = ({ encoding, value }: { encoding: string; value: any }) => {
      expect(encoding).toBe('json/plain');
      expect(schemaErrors('teardown-report.json', value)).toEqual([]);
      return value;
    };
    await eventually(
      () =>
        queryRaw(workflowId, 'progress').then(
          (raw) => plainReport(readPayload(raw)),
          () => undefined,
        ),
      'the progress query',
    );

    // Postponed to now: it starts, runs its preflight and waits for approval.
    const until = { until: new Date(Date.now() + 3_000).toISOString() };
    expect(schemaErrors('update-postpone.json', until)).toEqual([]);
    expect(plainReport(await updateAnswer(workflowId, 'postpone', until))).toMatchObject({
      phase: 'waiting',
      startAt: until.until,
    });
    await eventually(async () => {
      const report = plainReport(readPayload(await queryRaw(workflowId, 'progress')));
      return report.status === 'awaiting-approval' ? report : undefined;
    }, 'awaiting approval');

    const approval = { approvedBy: 'svc-cli', comment: 'from the temporal CLI' };
    expect(schemaErrors('update-approve.json', approval)).toEqual([]);
    // The answer is the report as the update was accepted (the run takes the approval on its next step).
    expect(plainReport(await updateAnswer(workflowId, 'approve', approval)).totals.requested).toBe(2);
    const result = JSON.parse(await temporal(['workflow', 'result', '-w', workflowId, '-o', 'json']));
    expect(result.result).toMatchObject({ status: 'completed', totals: { requested: 2, deleted: 2 } });
  });
});
