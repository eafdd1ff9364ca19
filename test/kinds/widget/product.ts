// The test-only kind's emulator product: widgets that stop and then disappear after the kind's
// durations (its metadata's emulator defaults).
import { tencentError, rejectUnknown, stringList } from '../../../src/emulator/tencentcloud/family';
import { kindDuration, registerProduct } from '../../../src/emulator/products';
import type { ActionHandler, ApiCall, EmulatorContext } from '../../../src/emulator/types';
import { emulatorDurations } from '../../../src/providers/kind';
import { WIDGET } from './widget.kind';

function widgets(call: ApiCall, ctx: EmulatorContext, ids: string[]) {
  return ids.flatMap((id) => ctx.store.get(WIDGET.kind, call.account, id) ?? []);
}

const describe: ActionHandler = (call, ctx) => {
  rejectUnknown(call.params, ['WidgetIds']);
  const ids = stringList(call.params, 'WidgetIds', { max: WIDGET.describeLimit });
  const found = ids ? widgets(call, ctx, ids) : ctx.store.list(WIDGET.kind, call.account);
  return {
    TotalCount: found.length,
    WidgetSet: found.map((w) => ({ WidgetId: w.id, Status: w.status, Name: w.name })),
  };
};

const stop: ActionHandler = (call, ctx) => {
  rejectUnknown(call.params, ['WidgetIds', 'ClientToken']);
  const ids = stringList(call.params, 'WidgetIds', { max: WIDGET.prepareLimit, required: true })!;
  for (const w of widgets(call, ctx, ids)) {
    if (w.status !== 'RUNNING') continue;
    ctx.store.put({ ...w, status: 'STOPPING' });
    ctx.store.schedule(WIDGET.kind, call.account, w.id, kindDuration(ctx, WIDGET, 'stop'), {
      status: 'STOPPED',
    });
  }
  return {};
};

const remove: ActionHandler = (call, ctx) => {
  rejectUnknown(call.params, ['WidgetIds', 'ClientToken']);
  const ids = stringList(call.params, 'WidgetIds', { max: WIDGET.batchLimit, required: true })!;
  const found = widgets(call, ctx, ids);
  if (found.some((w) => w.status !== 'STOPPED'))
    throw tencentError('ResourceInUse', 'Only stopped widgets can be deleted.');
  for (const w of found) {
    ctx.store.put({ ...w, status: 'DELETING' });
    ctx.store.schedule(WIDGET.kind, call.account, w.id, kindDuration(ctx, WIDGET, 'delete'), {
      remove: true,
    });
  }
  return {};
};

export const widgetProduct = registerProduct({
  provider: 'tencentcloud',
  service: 'fake',
  version: '2024-01-01',
  actions: { DescribeWidgets: describe, StopWidgets: stop, DeleteWidgets: remove },
  idempotentActions: ['StopWidgets', 'DeleteWidgets'],
  resourceDefaults: { [WIDGET.kind]: { status: 'STOPPED' } },
  durations: emulatorDurations(WIDGET),
});
