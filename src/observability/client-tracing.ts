// Client-side tracing: a span per client call (start, signal, query, update) whose context travels
// in the request headers, so the workflow's, its children's and its activities' spans join the
// caller's trace. Without a registered tracer provider the spans are no-ops.
import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';

export function tracingClientInterceptors(): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };
}
