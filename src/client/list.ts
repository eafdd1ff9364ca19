// Finding teardowns by visibility query: shared by TeardownClient.list and schedules' runs.
import type { Client } from '@temporalio/client';
import { TEARDOWN_WORKFLOW_TYPE } from '../contract';
import {
  accountsKey,
  blockedOnKey,
  failedCountKey,
  kindsKey,
  requestedByKey,
  resourceCountKey,
  statusKey,
} from '../search-attributes';

export interface TeardownSummary {
  workflowId: string;
  runId: string;
  status: string;
  teardownStatus?: string;
  kinds: string[];
  resourceCount?: number;
  failedCount?: number;
  requestedBy?: string;
  /** What the teardown waits on (TeardownBlockedOn); absent while it progresses. */
  blockedOn?: string;
  /** The accounts it works in (TeardownAccounts); empty when the request named none. */
  accounts: string[];
  startTime: Date;
  closeTime?: Date;
}

/** Teardowns (workflow type `teardown`) matching `query`, newest first, at most `limit`. */
export async function listTeardowns(client: Client, query?: string, limit = 100): Promise<TeardownSummary[]> {
  const base = `WorkflowType = "${TEARDOWN_WORKFLOW_TYPE}"`;
  const out: TeardownSummary[] = [];
  for await (const wf of client.workflow.list({ query: query ? `${base} AND (${query})` : base })) {
    const attrs = wf.typedSearchAttributes;
    out.push({
      workflowId: wf.workflowId,
      runId: wf.runId,
      status: wf.status.name,
      teardownStatus: attrs.get(statusKey),
      kinds: attrs.get(kindsKey) ?? [],
      resourceCount: attrs.get(resourceCountKey),
      failedCount: attrs.get(failedCountKey),
      requestedBy: attrs.get(requestedByKey),
      blockedOn: attrs.get(blockedOnKey) || undefined,
      accounts: attrs.get(accountsKey) ?? [],
      startTime: wf.startTime,
      closeTime: wf.closeTime,
    });
    if (out.length >= limit) break;
  }
  return out;
}
