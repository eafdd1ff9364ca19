// The phases of a resource group run over a fake provider (test/workflows/fakes/group.ts), in the
// manner of cloud-nuke's deleter tests: bisection, re-send, confirm before blaming, prepare order.
import { runGroup } from '../../src/workflows/resource-group';
import { fakeGroup, providerFailure } from './fakes/group';

const byId = (reports: Array<{ id: string }>) => Object.fromEntries(reports.map((r) => [r.id, r]));

it('bisects a batch the provider refuses whole until only the culprit is blamed', async () => {
  const ids = Array.from({ length: 8 }, (_, i) => `i-ok${i}`);
  const { ctx, cloud } = fakeGroup(Object.fromEntries([...ids, 'i-bad'].map((id) => [id, 'Stopped'])));
  const accept = cloud.onDelete;
  cloud.onDelete = (batch, generation) => {
    if (batch.includes('i-bad')) throw providerFailure('DependencyViolation.RouteEntry', 'permanent');
    return accept(batch, generation);
  };
  const reports = byId(await runGroup(ctx));
  expect(reports['i-bad']).toMatchObject({ outcome: 'failed', errorCode: 'DependencyViolation.RouteEntry' });
  for (const id of ids) expect(reports[id]).toMatchObject({ outcome: 'deleted' });
  const deletes = cloud.calls.filter((c) => c.call === 'delete').map((c) => c.ids.length);
  // 9 -> 5 + 4 -> the half with i-bad keeps splitting down to the single id.
  expect(deletes[0]).toBe(9);
  expect(deletes).toContain(1);
  expect(
    cloud.calls.filter((c) => c.call === 'delete' && c.ids.length === 1 && c.ids[0] === 'i-bad'),
  ).toHaveLength(1);
});

it('re-sends ids the provider answers "retry" with a new generation until accepted', async () => {
  const { ctx, cloud } = fakeGroup({ 'i-a': 'Stopped', 'i-b': 'Stopped' });
  const accept = cloud.onDelete;
  cloud.onDelete = (batch, generation) => {
    if (generation > 0) return accept(batch, generation);
    cloud.resources.delete('i-a');
    return {
      outcomes: [
        { id: 'i-a', result: 'accepted' },
        { id: 'i-b', result: 'retry', errorCode: 'IncorrectInstanceStatus', message: 'busy' },
      ],
    };
  };
  const reports = byId(await runGroup(ctx));
  expect(reports['i-a']).toMatchObject({ outcome: 'deleted', attempts: 1 });
  expect(reports['i-b']).toMatchObject({ outcome: 'deleted', attempts: 2 });
  expect(cloud.calls.filter((c) => c.call === 'delete').map((c) => [c.ids, c.generation])).toEqual([
    [['i-a', 'i-b'], 0],
    [['i-b'], 1],
  ]);
});

it('re-sends a busy batch while time is left instead of failing it', async () => {
  const { ctx, cloud } = fakeGroup({ 'i-a': 'Stopped' });
  const accept = cloud.onDelete;
  let refusals = 0;
  cloud.onDelete = (batch, generation) => {
    if (refusals++ < 2) throw providerFailure('OperationConflict', 'busy');
    return accept(batch, generation);
  };
  const reports = byId(await runGroup(ctx));
  expect(reports['i-a']).toMatchObject({ outcome: 'deleted', attempts: 3 });
  expect(cloud.calls.filter((c) => c.call === 'delete').map((c) => c.generation)).toEqual([0, 1, 2]);
});

it('confirms before blaming: a failed call whose ids are gone reports them deleted', async () => {
  const { ctx, cloud } = fakeGroup({ 'i-a': 'Stopped', 'i-b': 'Stopped' });
  // The provider deleted them, but our answer was lost (retries exhausted on a timeout).
  cloud.onDelete = (batch) => {
    for (const id of batch) cloud.resources.delete(id);
    throw providerFailure('InternalError', 'transient');
  };
  const reports = byId(await runGroup(ctx));
  expect(reports['i-a']).toMatchObject({ outcome: 'deleted' });
  expect(reports['i-b']).toMatchObject({ outcome: 'deleted' });
  expect(cloud.calls.map((c) => c.call)).toEqual(['describe', 'delete', 'describe']);
});

it('blames every id of a transient failure still there after the re-check', async () => {
  const { ctx, cloud } = fakeGroup({ 'i-a': 'Stopped', 'i-b': 'Stopped' });
  cloud.onDelete = () => {
    throw providerFailure('InternalError', 'transient');
  };
  const reports = byId(await runGroup(ctx));
  expect(reports['i-a']).toMatchObject({ outcome: 'failed', errorCode: 'InternalError' });
  expect(reports['i-b']).toMatchObject({ outcome: 'failed', errorCode: 'InternalError' });
});

it('stops the whole group at the first refused credentials', async () => {
  const { ctx, cloud } = fakeGroup({ 'i-a': 'Stopped', 'i-b': 'Running' });
  cloud.onDelete = () => {
    throw providerFailure('InvalidAccessKeyId.NotFound', 'auth');
  };
  const reports = byId(await runGroup(ctx));
  expect(reports['i-a']).toMatchObject({ outcome: 'failed', errorCode: 'InvalidAccessKeyId.NotFound' });
  expect(reports['i-b']).toMatchObject({ outcome: 'failed', errorCode: 'InvalidAccessKeyId.NotFound' });
  expect(cloud.calls.filter((c) => c.call === 'delete')).toHaveLength(1);
});

it('runs prepare steps in the declared order (convert before stop), then deletes', async () => {
  const { ctx, cloud, patches } = fakeGroup({ 'i-run': 'Running', 'i-pre': 'PrePaid', 'i-ok': 'Stopped' });
  const reports = byId(await runGroup(ctx));
  for (const id of ['i-run', 'i-pre', 'i-ok']) expect(reports[id]).toMatchObject({ outcome: 'deleted' });
  const prepares = cloud.calls.filter((c) => c.call === 'prepare').map((c) => [c.step, c.ids]);
  expect(prepares.slice(0, 2)).toEqual([
    ['convert', ['i-pre']],
    ['stop', ['i-run']],
  ]);
  // The order differs from the order asked (stop first): recorded as a patch for replay.
  expect(patches).toContain('prepare-steps-in-declared-order');
  // The ready one was deleted while the others were still being prepared.
  expect(cloud.calls.findIndex((c) => c.call === 'delete' && c.ids.includes('i-ok'))).toBeLessThan(
    cloud.calls.findIndex((c) => c.call === 'delete' && c.ids.includes('i-run')),
  );
});

it('keeps the order resources asked for when replaying a history from before the declared order', async () => {
  const { ctx, cloud } = fakeGroup({ 'i-run': 'Running', 'i-pre': 'PrePaid' });
  ctx.patched = () => false;
  await runGroup(ctx);
  expect(
    cloud.calls
      .filter((c) => c.call === 'prepare')
      .map((c) => c.step)
      .slice(0, 2),
  ).toEqual(['stop', 'convert']);
});

it('fails what is still preparing at the deadline', async () => {
  const { ctx, cloud } = fakeGroup({ 'i-slow': 'Stopping' }, { deadlineAt: 1_000_000 + 4_000 });
  const reports = byId(await runGroup(ctx));
  expect(reports['i-slow']).toMatchObject({
    outcome: 'failed',
    errorCode: 'DeadlineExceeded',
    status: 'Stopping',
  });
  expect(cloud.calls.some((c) => c.call === 'delete')).toBe(false);
});

it('dry run: splits a refused batch to find the culprit, reports the rest would be deleted', async () => {
  const { ctx, cloud } = fakeGroup(
    { 'i-a': 'Stopped', 'i-b': 'Stopped', 'i-c': 'Stopped', 'i-r': 'Running' },
    { dryRun: true },
  );
  cloud.onDryRun = (batch) => {
    if (batch.includes('i-b')) throw providerFailure('InvalidOperation.DeletionProtection', 'needs-operator');
  };
  const reports = byId(await runGroup(ctx));
  expect(reports['i-b']).toMatchObject({
    outcome: 'failed',
    errorCode: 'InvalidOperation.DeletionProtection',
  });
  expect(reports['i-a']).toMatchObject({ outcome: 'would-delete' });
  expect(reports['i-r']).toMatchObject({
    outcome: 'would-delete',
    message: 'would stop it first (now Running)',
  });
  expect(cloud.calls.some((c) => c.call === 'delete' || c.call === 'prepare')).toBe(false);
});

it('reports an id never listed at preflight as not found, one that vanished later as already gone', async () => {
  const { ctx, cloud } = fakeGroup({ 'i-a': 'Stopped', 'i-b': 'Running' }, { ids: ['i-a', 'i-b', 'i-gone'] });
  // i-b vanishes by itself while it is being stopped.
  cloud.calls.push = function (this: typeof cloud.calls, ...calls) {
    if (calls.some((c) => c.call === 'prepare')) cloud.resources.delete('i-b');
    return Array.prototype.push.apply(this, calls);
  };
  const reports = byId(await runGroup(ctx));
  expect(reports['i-gone']).toMatchObject({ outcome: 'not-found' });
  expect(reports['i-b']).toMatchObject({ outcome: 'already-gone' });
  expect(reports['i-a']).toMatchObject({ outcome: 'deleted' });
});
