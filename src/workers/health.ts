// Readiness of a worker process: ready once every one of its workers (one per task queue) is
// running and has had a poll outstanding on its queue; not ready while any stops or fails.
// /healthz (src/workers/http.ts) answers what health() says.
import type { Worker } from '@temporalio/worker';
import type { Health } from './http';

export interface QueueHealth {
  taskQueue: string;
  state: string;
  polled: boolean;
}

/** Reads Worker.getStatus() of each worker; remembers which queues have been polled. */
export class WorkerHealth {
  private readonly polled = new Set<Worker>();

  constructor(private readonly workers: readonly Worker[]) {}

  queues(): QueueHealth[] {
    return this.workers.map((worker) => {
      const status = worker.getStatus();
      const failed = status.workflowPollerState === 'FAILED' || status.activityPollerState === 'FAILED';
      if (
        status.runState === 'RUNNING' &&
        (status.hasOutstandingWorkflowPoll || status.hasOutstandingActivityPoll)
      )
        this.polled.add(worker);
      return {
        taskQueue: worker.options.taskQueue,
        state: failed ? 'FAILED' : status.runState,
        polled: this.polled.has(worker),
      };
    });
  }

  ready(): boolean {
    return this.queues().every((q) => q.state === 'RUNNING' && q.polled);
  }

  /** ok when ready; the detail (JSON) lists every queue either way. */
  health(): Health {
    const queues = this.queues();
    const ready = queues.every((q) => q.state === 'RUNNING' && q.polled);
    return { ok: ready, detail: JSON.stringify({ ready, queues }) };
  }
}
