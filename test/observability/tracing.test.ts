// The span tree of one teardown (issue 9 "Traces"): client → teardown workflow → child group
// workflow → activities → one span per provider call carrying cloud, action, request id and code,
// all in one trace. Spans go to an in-memory exporter through the same wiring the worker uses for
// OTLP (src/observability/tracing.ts); workflow spans leave the sandbox through the exporter sink.
import { Client } from '@temporalio/client';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { TeardownClient } from '../../src/client';
import { teardownDataConverter } from '../../src/codec';
import { tracingClientInterceptors } from '../../src/observability/client-tracing';
import { SPAN_ATTRIBUTES } from '../../src/observability/provider-calls';
import { startTracing, type Tracing } from '../../src/observability/tracing';
import { eventually, startStack, testId, type Stack } from '../helpers/stack';
import { TEST_NAMESPACE } from '../helpers/temporal';

const KIND = 'alibabacloud.ecs.instance';
const REGION = 'cn-hangzhou';

let stack: Stack | undefined;
let tracing: Tracing | undefined;
const exporter = new InMemorySpanExporter();

afterAll(async () => {
  await stack?.stop();
  await tracing?.shutdown();
});

function parentOf(span: ReadableSpan, all: ReadableSpan[]): ReadableSpan | undefined {
  return all.find((s) => s.spanContext().spanId === span.parentSpanId);
}

/** The names from a span up to the root: ['alibabacloud DeleteInstances', 'RunActivity:deleteResources', ...]. */
function ancestry(span: ReadableSpan, all: ReadableSpan[]): string[] {
  const names: string[] = [];
  for (let s: ReadableSpan | undefined = span; s; s = parentOf(s, all)) names.push(s.name);
  return names;
}

describe('traces', () => {
  it('one teardown is one trace: client, workflows, activities and a span per provider call', async () => {
    tracing = startTracing(new SimpleSpanProcessor(exporter), 'cloud-teardown-test');
    stack = await startStack({ prefix: 'trace', tracing });
    const id = testId('trace');
    const instance = `i-bp1tr${Date.now().toString(36)}`;
    stack.emulator.seed([
      {
        type: KIND,
        region: REGION,
        id: instance,
        status: 'Stopped',
        attributes: { InstanceChargeType: 'PostPaid' },
      },
    ]);
    // The worker's client interceptors, on a client of the test's connection.
    const client = new Client({
      connection: stack.client.connection,
      namespace: TEST_NAMESPACE,
      dataConverter: teardownDataConverter,
      interceptors: tracingClientInterceptors(),
    });
    const teardown = new TeardownClient(client, stack.taskQueue);
    const { workflowId } = await teardown.startTeardown(id, {
      resources: [{ kind: KIND, region: REGION, ids: [instance] }],
      options: { pollInterval: '300ms', deadline: '1m' },
    });
    const report = await teardown.waitForReport(id);
    expect(report.status).toBe('completed');

    const spans = await eventually(() => {
      const finished = exporter.getFinishedSpans();
      const runs = finished.filter((s) => s.name === 'RunWorkflow:deleteResourceGroup');
      const deletes = finished.filter((s) => s.name === 'alibabacloud DeleteInstances');
      return runs.length > 0 && deletes.length > 0 ? finished : undefined;
    }, 'the workflow and provider spans');

    const start = spans.find((s) => s.name === 'StartWorkflow:teardown');
    expect(start).toBeDefined();
    const traceId = start!.spanContext().traceId;
    const ours = spans.filter((s) => s.spanContext().traceId === traceId);

    // Every provider call of the teardown is a client span under its activity, under the group
    // workflow, under the teardown workflow, under the client's start.
    const deleteCall = ours.find((s) => s.name === 'alibabacloud DeleteInstances');
    expect(deleteCall).toBeDefined();
    const path = ancestry(deleteCall!, ours);
    expect(path[0]).toBe('alibabacloud DeleteInstances');
    expect(path[1]).toBe('RunActivity:deleteResources');
    expect(path).toContain('StartActivity:deleteResources');
    expect(path).toContain('RunWorkflow:deleteResourceGroup');
    expect(path).toContain('StartChildWorkflow:deleteResourceGroup');
    expect(path).toContain('RunWorkflow:teardown');
    expect(path[path.length - 1]).toBe('StartWorkflow:teardown');

    expect(deleteCall!.attributes).toMatchObject({
      [SPAN_ATTRIBUTES.cloud]: 'alibabacloud',
      [SPAN_ATTRIBUTES.action]: 'DeleteInstances',
      [SPAN_ATTRIBUTES.kind]: KIND,
      [SPAN_ATTRIBUTES.region]: REGION,
      [SPAN_ATTRIBUTES.code]: 'OK',
      [SPAN_ATTRIBUTES.ids]: instance,
    });
    const wireDelete = stack.emulator
      .calls({ action: 'DeleteInstances' })
      .find((c) => !c.params.DryRun || c.params.DryRun === 'false');
    expect(deleteCall!.attributes[SPAN_ATTRIBUTES.requestId]).toBe(wireDelete?.requestId);

    // Describe and poll calls too, each under its own activity, all in this trace.
    const describeCalls = ours.filter((s) => s.name === 'alibabacloud DescribeInstances');
    expect(describeCalls.length).toBeGreaterThanOrEqual(2);
    for (const call of describeCalls) {
      expect(ancestry(call, ours)[1]).toMatch(/^RunActivity:(describeResources|pollDeletion)$/);
      expect(call.attributes[SPAN_ATTRIBUTES.code]).toBe('OK');
    }
    // The teardown workflow's run span names the workflow id the operator knows.
    const run = ours.find((s) => s.name === 'RunWorkflow:teardown');
    expect(JSON.stringify(run!.attributes)).toContain(workflowId);
  });
});
