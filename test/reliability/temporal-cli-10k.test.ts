// A caller with only the `temporal` CLI and plain JSON, at 10,000 resources: start with
// --input-file, query `progress`, approve with an update, read the result and every page of the
// `resources` query, find it with `list --query` on every search attribute of the contract (none
// set by the caller). Payloads are read raw (--no-json-shorthand-payloads; `update execute` prints
// json/plain answers decoded): each must be json/plain, match its committed schema and be under
// 512 KB (Temporal's payload warning size); the sizes are printed.
// In test:reliability: it takes over a minute on a loaded machine (test/client/temporal-cli-caller
// covers the same calls, postpone too, at 3 resources in npm test).
import { MAX_RESOURCES_PAGE } from '../../src/contract';
import { seedEcs } from '../client/cli-harness';
import { FIXTURES } from '../helpers/kinds';
import { schemaErrors } from '../helpers/json-schemas';
import { eventually, startStack, testId, type Stack } from '../helpers/stack';
import {
  listByEverySearchAttribute,
  queryRaw,
  readPayload,
  resultRaw,
  searchAttributes,
  startTeardownByCli,
  temporal,
  updateAnswer,
  type RawPayload,
} from '../helpers/temporal-cli';

const fx = FIXTURES['alibabacloud.ecs.instance'];
const COUNT = 10_000;
const PAYLOAD_LIMIT = 512 * 1024;
const REQUESTED_BY = 'svc-cli-10k';
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ prefix: 'tcli10k' });
  stack.emulator.setSettings({
    durations: {
      'alibabacloud.ecs.delete': 200,
      'alibabacloud.ecs.stop': 200,
      'alibabacloud.ecs.convert': 200,
    },
  });
});

afterAll(async () => {
  await stack?.stop();
});

type ReadPayload = ReturnType<typeof readPayload>;
const sizes: Array<[string, number]> = [];

/** Checks one public payload: json/plain, under 512 KB, valid against schema/<schema>; returns its value. */
function expectPublic(name: string, raw: RawPayload | ReadPayload, schema: string): any {
  const payload = 'encoding' in raw ? raw : readPayload(raw);
  expect({ name, encoding: payload.encoding }).toEqual({ name, encoding: 'json/plain' });
  expect({ name, errors: schemaErrors(schema, payload.value) }).toEqual({ name, errors: [] });
  expect({ name, under512KB: payload.bytes < PAYLOAD_LIMIT }).toEqual({ name, under512KB: true });
  sizes.push([name, payload.bytes]);
  return payload.value;
}

async function startFromFile(workflowId: string, request: unknown): Promise<void> {
  sizes.push(['input file', await startTeardownByCli(stack.taskQueue, workflowId, request)]);
}

describe('a 10,000-resource teardown driven by the temporal CLI only', () => {
  it(
    'carries every search attribute and answers in plain JSON under 512 KB, as the schemas say',
    async () => {
      const ids = seedEcs(stack, COUNT);
      const request = {
        resources: [{ kind: fx.kind, region: fx.region, ids }],
        options: { pollInterval: '1s', deadline: '15m', requireApproval: true },
        requestedBy: REQUESTED_BY,
      };
      expect(schemaErrors('teardown-request.json', request)).toEqual([]);
      const workflowId = `teardown-${testId('tcli10k')}`;
      await startFromFile(workflowId, request);

      // Preflight done, it waits for a person (a query is answered once the first workflow task has run).
      const waiting = await eventually(
        async () => {
          const raw = await queryRaw(workflowId, 'progress').catch(() => undefined);
          return raw && readPayload(raw).value.status === 'awaiting-approval' ? raw : undefined;
        },
        'the progress query awaiting approval',
        10 * 60_000,
        500,
      );
      expectPublic('progress awaiting approval', waiting, 'teardown-report.json');
      const approval = { approvedBy: REQUESTED_BY };
      expect(schemaErrors('update-approve.json', approval)).toEqual([]);
      expectPublic(
        'approve answer',
        await updateAnswer(workflowId, 'approve', approval),
        'teardown-report.json',
      );

      // Progress while it deletes.
      const running = await eventually(
        async () => {
          const raw = await queryRaw(workflowId, 'progress').catch(() => undefined);
          const phase = raw && readPayload(raw).value.phase;
          return ['deleting', 'polling'].includes(phase) ? raw : undefined;
        },
        'the progress query in the deleting or polling phase',
        10 * 60_000,
        500,
      );
      expect(expectPublic('progress while running', running, 'teardown-report.json').totals.requested).toBe(
        COUNT,
      );

      const report = expectPublic('result', await resultRaw(workflowId, 15 * 60_000), 'teardown-report.json');
      expect(report).toMatchObject({
        status: 'completed',
        totals: { requested: COUNT, deleted: COUNT, failed: 0, pending: 0 },
      });
      expectPublic('progress when done', await queryRaw(workflowId, 'progress'), 'teardown-report.json');

      // The input as the server stored it: the first event of the history.
      const history = JSON.parse(
        await temporal(['workflow', 'show', '-w', workflowId, '-o', 'json', '--no-json-shorthand-payloads']),
      );
      const started = history.events[0].workflowExecutionStartedEventAttributes;
      expectPublic('input', started.input.payloads[0], 'teardown-request.json');

      // Every page of the resources query, each checked, together every id once.
      const seen = new Set<string>();
      for (let offset = 0; offset < COUNT; offset += MAX_RESOURCES_PAGE) {
        const argument = { offset, limit: MAX_RESOURCES_PAGE };
        expect(schemaErrors('query-resources.json', argument)).toEqual([]);
        const page = expectPublic(
          `resources page ${offset / MAX_RESOURCES_PAGE + 1}`,
          await queryRaw(workflowId, 'resources', argument),
          'query-resources-answer.json',
        );
        expect(page.total).toBe(COUNT);
        for (const r of page.resources) seen.add(r.id);
      }
      expect(seen).toEqual(new Set(ids));
      const failedOnly = await queryRaw(workflowId, 'resources', { outcome: 'failed', offset: 0, limit: 10 });
      expect(expectPublic('resources, failed only', failedOnly, 'query-resources-answer.json')).toEqual({
        total: 0,
        resources: [],
      });

      // Every search attribute of the contract was set by the workflow (the CLI set none), and each
      // finds this teardown through `list --query`.
      expect(await searchAttributes(workflowId)).toMatchObject({
        TeardownStatus: 'completed',
        TeardownKinds: [fx.kind],
        TeardownResourceCount: COUNT,
        TeardownRequestedBy: REQUESTED_BY,
        TeardownFailedCount: 0,
      });
      const found = await listByEverySearchAttribute(workflowId);

      process.stderr.write(
        `[temporal CLI, ${COUNT} resources] payload bytes (limit 512 KB, json/plain): ` +
          sizes.map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(1)} KB`).join(', ') +
          `\n[temporal CLI] list --query found it by: ${found.join('; ')}\n`,
      );
    },
    20 * 60_000,
  );
});
