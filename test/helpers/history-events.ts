// Reading a workflow's history by event order (tests assert "before the next try" this way, not
// with wall-clock margins): its events and the search attributes each upsert set.
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export async function historyEvents(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return history.events ?? [];
}

/** Each UpsertWorkflowSearchAttributes event: its index in `events` and the values it set (null: removed). */
export function searchAttributeUpserts(
  events: readonly HistoryEvent[],
): Array<{ index: number; values: Record<string, unknown> }> {
  const upserts: Array<{ index: number; values: Record<string, unknown> }> = [];
  events.forEach((e, index) => {
    const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
    if (!fields) return;
    const values: Record<string, unknown> = {};
    for (const [key, payload] of Object.entries(fields)) {
      const data = payload.data ? Buffer.from(payload.data).toString('utf8') : '';
      const value: unknown = data === '' ? null : JSON.parse(data);
      // A removed attribute is written as an empty value (or list).
      values[key] = Array.isArray(value) && value.length === 0 ? null : value;
    }
    upserts.push({ index, values });
  });
  return upserts;
}
