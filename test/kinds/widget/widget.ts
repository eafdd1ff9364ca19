// The test-only kind's provider module: DescribeWidgets / StopWidgets / DeleteWidgets over the
// Tencent wire (TC3, JSON), through the same shared client as the real Tencent products.
import { z } from 'zod';
import type { ErrorClass } from '../../../src/providers/errors';
import { registerProvider } from '../../../src/providers/registered';
import {
  callTencent,
  makeTencentClassifier,
  type TencentProduct,
} from '../../../src/providers/tencentcloud/client';
import type { Assessment, CallContext, KindProvider } from '../../../src/providers/types';
import { WIDGET } from './widget.kind';

const WIDGET_ERRORS: Record<string, ErrorClass> = { 'FailedOperation.WidgetLocked': 'needs-operator' };
const FAKE: TencentProduct = {
  service: 'fake',
  version: '2024-01-01',
  classify: makeTencentClassifier(WIDGET_ERRORS),
};

const listSchema = z.object({
  TotalCount: z.number().int(),
  WidgetSet: z.array(z.object({ WidgetId: z.string(), Status: z.string(), Name: z.string() })),
});
const acceptedSchema = z.object({});

/** Widgets by exact id: the answer lists only those that exist. */
async function statuses(ctx: CallContext, ids: string[]): Promise<Map<string, string>> {
  const answer = await callTencent(ctx, FAKE, 'DescribeWidgets', { WidgetIds: ids }, listSchema);
  return new Map(answer.WidgetSet.filter((w) => ids.includes(w.WidgetId)).map((w) => [w.WidgetId, w.Status]));
}

export const widgetProvider: KindProvider = registerProvider({
  meta: WIDGET,
  classify: FAKE.classify,
  async describe(ctx, ids) {
    const found = await statuses(ctx, ids);
    return ids.map((id): Assessment => {
      const status = found.get(id);
      if (status === undefined) return { id, state: 'gone' };
      if (status === 'STOPPED') return { id, state: 'ready', status };
      if (status === 'RUNNING') return { id, state: 'needs-prepare', step: 'stop', status };
      return { id, state: 'transitional', status };
    });
  },
  async prepare(ctx, _step, ids, clientToken) {
    await callTencent(ctx, FAKE, 'StopWidgets', { WidgetIds: ids, ClientToken: clientToken }, acceptedSchema);
    return ids.map((id) => ({ id, result: 'accepted' as const }));
  },
  async delete(ctx, ids, clientToken) {
    const answer = await callTencent(
      ctx,
      FAKE,
      'DeleteWidgets',
      { WidgetIds: ids, ClientToken: clientToken },
      acceptedSchema,
    );
    return { outcomes: ids.map((id) => ({ id, result: 'accepted' as const })), requestId: answer.RequestId };
  },
  async poll(ctx, ids) {
    const found = await statuses(ctx, ids);
    return ids.map((id) => {
      const status = found.get(id);
      return status === undefined
        ? { id, result: 'gone' as const }
        : { id, result: 'pending' as const, status };
    });
  },
  async discover(ctx, query) {
    const answer = await callTencent(ctx, FAKE, 'DescribeWidgets', {}, listSchema);
    return {
      resources: answer.WidgetSet.filter((w) => !query.namePrefix || w.Name.startsWith(query.namePrefix)).map(
        (w) => ({ id: w.WidgetId, name: w.Name, tags: {}, status: w.Status }),
      ),
    };
  },
});
