// Workflow interceptors of every teardown worker's bundle (src/observability/workflow-modules.ts):
// OpenTelemetry's (a span per workflow run, activity and child, propagated to activities and
// children) plus one of ours that counts, when a teardown ends, its resources by kind and outcome
// (teardown_resources_total). Runs inside the workflow sandbox: deterministic, no Node imports; the
// SDK's workflow metric meter records nothing while a history is replayed.
import {
  metricMeter,
  workflowInfo,
  type Next,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
} from '@temporalio/workflow';
import { interceptors as openTelemetryInterceptors } from '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors';
import { createResourcesCounter } from './metrics';

/** The parent workflow type, whose result is the whole teardown's report. */
const TEARDOWN_WORKFLOW_TYPE = 'teardown';

interface ReportLike {
  resources?: Array<{ kind?: unknown; outcome?: unknown }>;
}

/** Counts each resource of the report by kind and outcome (reports of other shapes are ignored). */
export function countOutcomes(result: unknown): Map<string, { kind: string; outcome: string; n: number }> {
  const counts = new Map<string, { kind: string; outcome: string; n: number }>();
  const resources = (result as ReportLike | undefined)?.resources;
  if (!Array.isArray(resources)) return counts;
  for (const r of resources) {
    if (typeof r?.kind !== 'string' || typeof r.outcome !== 'string') continue;
    const key = `${r.kind}\u0000${r.outcome}`;
    const entry = counts.get(key) ?? { kind: r.kind, outcome: r.outcome, n: 0 };
    entry.n++;
    counts.set(key, entry);
  }
  return counts;
}

class ResourceOutcomeInterceptor implements WorkflowInboundCallsInterceptor {
  async execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) {
    const result = await next(input);
    if (workflowInfo().workflowType === TEARDOWN_WORKFLOW_TYPE) {
      const counter = createResourcesCounter(metricMeter);
      for (const { kind, outcome, n } of countOutcomes(result).values()) counter.add(n, { kind, outcome });
    }
    return result;
  }
}

export const interceptors = (): WorkflowInterceptors => {
  const otel = openTelemetryInterceptors();
  return {
    inbound: [...(otel.inbound ?? []), new ResourceOutcomeInterceptor()],
    outbound: otel.outbound,
    internals: otel.internals,
  };
};
