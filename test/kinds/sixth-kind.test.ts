// Issue 14's proof that a kind is one place: a test-only sixth kind, tencentcloud.fake.widget, is
// added by its three files alone (test/kinds/widget/: metadata, provider module, emulator product)
// and runs end to end: the client schema accepts it, the worker serves its activity queue, the
// workflow follows its declared prepare step, and the shared test tables include it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WIDGET } from './widget/widget.kind';
import './widget/widget';
import './widget/product';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { resourceGroupSchema } from '../../src/contract';
import { KIND_NAMES } from '../../src/kinds';
import { FIXTURES, fixtureOf, idsInCall } from '../helpers/kinds';
import { fastDurations, startStack, testId, type Stack } from '../helpers/stack';

let stack: Stack;
const bundleFile = path.join(os.tmpdir(), `sixth-kind-bundle-${process.pid}.js`);
const widget = fixtureOf(WIDGET);

beforeAll(async () => {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./widget/workflows'),
    logger: new DefaultLogger('WARN'),
  });
  fs.writeFileSync(bundleFile, code);
  stack = await startStack({ prefix: 'sixth-kind', workflowBundle: { codePath: bundleFile } });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  fs.rmSync(bundleFile, { force: true });
});

it('is in every table derived from the registry', () => {
  expect(KIND_NAMES).toContain(WIDGET.kind);
  expect(FIXTURES[WIDGET.kind]?.deleteAction).toBe('DeleteWidgets');
  expect(fastDurations()).toMatchObject({ 'tencentcloud.fake.stop': 400, 'tencentcloud.fake.delete': 400 });
  expect(idsInCall({ WidgetIds: ['wdg-b', 'wdg-a'] })).toEqual(['wdg-a', 'wdg-b']);
  expect(resourceGroupSchema.safeParse({ kind: WIDGET.kind, ids: ['wdg-1234'] }).success).toBe(true);
  const refused = resourceGroupSchema.safeParse({ kind: WIDGET.kind, ids: ['nope'] });
  expect(refused.error?.issues[0]?.message).toBe('"nope" is not a widget id like "wdg-1234abcd"');
});

it('stops, deletes and confirms widgets end to end', async () => {
  const running = widget.newId();
  const stopped = widget.newId();
  widget.seed(stack, running, {}, 'RUNNING');
  widget.seed(stack, stopped);
  const id = testId('sixth-kind');
  await stack.teardown.startTeardown(id, {
    resources: [widget.group([running, stopped])],
    options: { pollInterval: '300ms', deadline: '2m' },
  });
  const report = await stack.teardown.waitForReport(id);

  expect(report.status).toBe('completed');
  expect(report.totals).toMatchObject({ requested: 2, deleted: 2, failed: 0, pending: 0 });
  expect(stack.emulator.resources(WIDGET.kind).filter((r) => [running, stopped].includes(r.id))).toEqual([]);
  const calls = stack.emulator.calls({}).filter((c) => c.service === 'fake');
  const stops = calls.filter((c) => c.action === 'StopWidgets');
  expect(stops.map((c) => idsInCall(c.params))).toEqual([[running]]);
  const deletes = calls.filter((c) => c.action === 'DeleteWidgets' && !c.errorCode);
  expect(deletes.flatMap((c) => idsInCall(c.params)).sort()).toEqual([running, stopped].sort());
  for (const c of [...stops, ...deletes]) expect(c.clientToken).toMatch(/^ct-/);
});
