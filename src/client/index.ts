// The typed library other services use to start and follow teardowns (design.md section 2).
// Everything is validated with the exported zod schemas before anything reaches Temporal.
import { loadClientConnectConfig } from '@temporalio/envconfig';
import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type WorkflowHandle,
} from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { teardownDataConverter } from '../codec';
import { taskQueueFromEnv } from '../config';
import {
  POSTPONE_UPDATE,
  TEARDOWN_WORKFLOW_TYPE,
  parseTeardownRequest,
  requestSummary,
  teardownWorkflowId,
  type TeardownReport,
} from '../contract';
import {
  failedCountKey,
  initialSearchAttributes,
  kindsKey,
  requestedByKey,
  resourceCountKey,
  statusKey,
} from '../search-attributes';
import { approveUpdate, postponeUpdate, progressQuery, rejectUpdate } from '../workflows/messages';
import type { teardown } from '../workflows/teardown';
import { tracingClientInterceptors } from '../observability/client-tracing';

export * from '../contract';
export * from './schedules';
export { KIND_NAMES, KINDS } from '../kinds';

export interface StartedTeardown {
  workflowId: string;
  runId?: string;
  /** false when a teardown with this id already existed: it was not started again. */
  started: boolean;
}

export interface TeardownSummary {
  workflowId: string;
  runId: string;
  status: string;
  teardownStatus?: string;
  kinds: string[];
  resourceCount?: number;
  failedCount?: number;
  requestedBy?: string;
  startTime: Date;
  closeTime?: Date;
}

/** Connects with Temporal's environment configuration (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS, temporal.toml). */
export async function connectTeardownClient(
  options: { profile?: string; taskQueue?: string } = {},
): Promise<TeardownClient> {
  const { connectionOptions, namespace } = loadClientConnectConfig({ profile: options.profile });
  const connection = await Connection.connect(connectionOptions);
  return new TeardownClient(
    new Client({
      connection,
      namespace: namespace ?? 'default',
      dataConverter: teardownDataConverter,
      interceptors: tracingClientInterceptors(),
    }),
    options.taskQueue,
  );
}

export class TeardownClient {
  constructor(
    readonly client: Client,
    readonly taskQueue: string = taskQueueFromEnv(),
  ) {}

  /**
   * Validates and starts a teardown. `id` is the caller's idempotency key: starting the same id
   * again returns the existing teardown (running or finished) instead of starting a second one.
   */
  async startTeardown(id: string, input: unknown): Promise<StartedTeardown> {
    const request = parseTeardownRequest(input);
    const workflowId = teardownWorkflowId(validateId(id));
    const summary = requestSummary(request);
    const existing = await this.existingRun(workflowId);
    if (existing) return { workflowId, runId: existing, started: false };
    try {
      const handle = await this.client.workflow.start<typeof teardown>(TEARDOWN_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [request],
        // FAIL, not USE_EXISTING: a concurrent start of the same id that wins the race makes this
        // one throw WorkflowExecutionAlreadyStartedError, so only one caller hears `started: true`.
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: new TypedSearchAttributes(initialSearchAttributes(request)),
        staticSummary: summary.text,
        staticDetails: request.reason ? `reason: ${request.reason}` : undefined,
      });
      return { workflowId, runId: handle.firstExecutionRunId, started: true };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        return { workflowId, runId: await this.existingRun(workflowId), started: false };
      }
      throw err;
    }
  }

  private async existingRun(workflowId: string): Promise<string | undefined> {
    try {
      return (await this.client.workflow.getHandle(workflowId).describe()).runId;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  handle(id: string): WorkflowHandle<typeof teardown> {
    return this.client.workflow.getHandle<typeof teardown>(teardownWorkflowId(validateId(id)));
  }

  /** The live report of a running teardown, or the final report of a finished one. */
  async getProgress(id: string): Promise<TeardownReport> {
    const handle = this.handle(id);
    const description = await handle.describe();
    if (description.status.name === 'RUNNING') return handle.query(progressQuery);
    return handle.result();
  }

  /** Waits for the teardown to finish and returns its report. */
  async waitForReport(id: string): Promise<TeardownReport> {
    return this.handle(id).result();
  }

  async approve(id: string, approval: { approvedBy: string; comment?: string }): Promise<TeardownReport> {
    return this.handle(id).executeUpdate(approveUpdate, { args: [approval] });
  }

  async reject(id: string, rejection: { rejectedBy: string; reason: string }): Promise<TeardownReport> {
    return this.handle(id).executeUpdate(rejectUpdate, { args: [rejection] });
  }

  /**
   * Moves the start time of a teardown still waiting for it (started with `options.startAt`).
   * Refused (WorkflowUpdateFailedError) once the teardown has started, or for a time not in the future.
   */
  async postpone(id: string, until: Date | string): Promise<TeardownReport> {
    const text = until instanceof Date ? until.toISOString() : until;
    if (Number.isNaN(Date.parse(text))) {
      throw new Error(`until: "${text}" must be an ISO 8601 time like "2026-11-27T18:00:00Z"`);
    }
    return this.handle(id).executeUpdate(postponeUpdate, { args: [{ until: text }] });
  }

  /**
   * When a teardown started with `options.startAt` is due to start: the requested time, moved by
   * every accepted `postpone`. Read from the workflow's history (the report does not carry it);
   * undefined when the request set no start time.
   */
  async scheduledStart(id: string): Promise<Date | undefined> {
    const history = await this.handle(id).fetchHistory();
    const converter = this.client.options.loadedDataConverter;
    let startAt: string | undefined;
    for (const event of history.events ?? []) {
      const started = event.workflowExecutionStartedEventAttributes;
      if (started) {
        const [request] = await decodeArrayFromPayloads(converter, started.input?.payloads);
        startAt = (request as { options?: { startAt?: string } } | undefined)?.options?.startAt;
        continue;
      }
      const accepted = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
      if (accepted?.name === POSTPONE_UPDATE) {
        const [arg] = await decodeArrayFromPayloads(converter, accepted.args?.payloads);
        const until = (arg as { until?: string } | undefined)?.until;
        if (until) startAt = until;
      }
    }
    return startAt === undefined ? undefined : new Date(startAt);
  }

  /** Temporal cancellation: no new deletions start, in-flight ones finish, the report says `cancelled`. */
  async cancel(id: string): Promise<void> {
    await this.handle(id).cancel();
  }

  /** Lists teardowns matching a visibility query, e.g. `TeardownStatus = "partially-failed"`. */
  async listTeardowns(query?: string, limit = 100): Promise<TeardownSummary[]> {
    const base = `WorkflowType = "${TEARDOWN_WORKFLOW_TYPE}"`;
    const out: TeardownSummary[] = [];
    for await (const wf of this.client.workflow.list({ query: query ? `${base} AND (${query})` : base })) {
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
        startTime: wf.startTime,
        closeTime: wf.closeTime,
      });
      if (out.length >= limit) break;
    }
    return out;
  }
}

function validateId(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/.test(id)) {
    throw new Error(`id: "${id}" must be 1-200 characters of letters, digits, ".", "_", ":" or "-"`);
  }
  return id;
}

export { WorkflowNotFoundError };
