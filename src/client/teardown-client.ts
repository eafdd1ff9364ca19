// The typed library other services use to start and follow teardowns (design.md section 2).
// Everything is validated with the exported zod schemas before anything reaches Temporal; workflow
// state is read through the workflow's own queries and result, never from its history.
import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type WorkflowHandle,
} from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { currentKeyRing, teardownDataConverter } from '../codec';
import { taskQueueFromEnv } from '../config';
import {
  TEARDOWN_WORKFLOW_TYPE,
  parseTeardownRequest,
  requestSummary,
  teardownWorkflowId,
  type TeardownReport,
} from '../contract';
import { tracingClientInterceptors } from '../observability/client-tracing';
import { initialSearchAttributes } from '../search-attributes';
import { approveUpdate, postponeUpdate, progressQuery, rejectUpdate } from '../workflows/messages';
import type { teardown } from '../workflows/teardown';
import { connectConfig, type ConnectOptions } from './connection';
import { validCallerId } from './ids';
import { listTeardowns, type TeardownSummary } from './list';
import { REQUEST_HASH_MEMO_KEY, requestHash } from './request-hash';
import { TeardownSchedules } from './schedules';
import { echo } from '../echo';

export interface StartedTeardown {
  workflowId: string;
  runId?: string;
  /** false when a teardown with this id and the same request already existed: it was not started again. */
  started: boolean;
}

/** A teardown with this id exists and was started with a different request; nothing was started. */
export class TeardownConflictError extends Error {
  override readonly name = 'TeardownConflictError';
  constructor(
    readonly workflowId: string,
    readonly existingRequestHash: string,
    readonly requestHash: string,
  ) {
    super(
      `${workflowId} already exists with a different request (${existingRequestHash.slice(0, 19)}..., ` +
        `this one ${requestHash.slice(0, 19)}...); use another id, or the same request to follow it`,
    );
  }
}

/**
 * Connects with Temporal's environment configuration (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TLS, temporal.toml profiles); `overrides` win over all of them.
 */
export async function connectTeardownClient(options: ConnectOptions = {}): Promise<TeardownClient> {
  const { connectionOptions, namespace } = connectConfig(options);
  currentKeyRing(); // A malformed TEARDOWN_ENCRYPTION_KEYS fails here, before anything is sent.
  const connection = await Connection.connect(connectionOptions);
  return new TeardownClient(
    new Client({
      connection,
      namespace,
      dataConverter: teardownDataConverter,
      interceptors: tracingClientInterceptors(),
    }),
    options.taskQueue,
  );
}

export class TeardownClient {
  /** Temporal Schedules that run teardowns (as the SDK's `client.schedule`). */
  readonly schedules: TeardownSchedules;

  constructor(
    readonly client: Client,
    readonly taskQueue: string = taskQueueFromEnv(),
  ) {
    this.schedules = new TeardownSchedules(client, taskQueue);
  }

  /**
   * Validates and starts a teardown. `id` is the caller's idempotency key: starting the same id with
   * the same request returns the existing teardown (running or finished); with a different request
   * it throws TeardownConflictError. Neither starts a second teardown.
   */
  async startTeardown(id: string, input: unknown): Promise<StartedTeardown> {
    const request = parseTeardownRequest(input);
    const workflowId = teardownWorkflowId(validCallerId(id));
    const hash = requestHash(request);
    const existing = await this.existingRun(workflowId, hash);
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
        memo: { [REQUEST_HASH_MEMO_KEY]: hash },
        staticSummary: requestSummary(request).text,
        staticDetails: request.reason ? `reason: ${request.reason}` : undefined,
      });
      return { workflowId, runId: handle.firstExecutionRunId, started: true };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        return { workflowId, runId: await this.existingRun(workflowId, hash), started: false };
      }
      throw err;
    }
  }

  /** The run id of an existing teardown; throws TeardownConflictError when its request differs. */
  private async existingRun(workflowId: string, hash: string): Promise<string | undefined> {
    try {
      const description = await this.client.workflow.getHandle(workflowId).describe();
      const existingHash = description.memo?.[REQUEST_HASH_MEMO_KEY];
      // Started by another client (no hash in the memo): nothing to compare, the id decides.
      if (typeof existingHash === 'string' && existingHash !== hash) {
        throw new TeardownConflictError(workflowId, existingHash, hash);
      }
      return description.runId;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  handle(id: string): WorkflowHandle<typeof teardown> {
    return this.client.workflow.getHandle<typeof teardown>(teardownWorkflowId(validCallerId(id)));
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
      throw new Error(`until: ${echo(text)} must be an ISO 8601 time like "2026-11-27T18:00:00Z"`);
    }
    return this.handle(id).executeUpdate(postponeUpdate, { args: [{ until: text }] });
  }

  /**
   * When a teardown started with `options.startAt` is due to start: the requested time, moved by
   * every accepted `postpone` (the report's startAt); undefined when the request set no start time.
   */
  async scheduledStart(id: string): Promise<Date | undefined> {
    const { startAt } = await this.getProgress(id);
    return startAt === undefined ? undefined : new Date(startAt);
  }

  /** Temporal cancellation: no new deletions start, in-flight ones finish, the report says `cancelled`. */
  async cancel(id: string): Promise<void> {
    await this.handle(id).cancel();
  }

  /** Lists teardowns matching a visibility query, e.g. `TeardownStatus = "partially-failed"`. */
  async listTeardowns(query?: string, limit = 100): Promise<TeardownSummary[]> {
    return listTeardowns(this.client, query, limit);
  }
}
