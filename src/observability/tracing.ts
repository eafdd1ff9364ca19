// OpenTelemetry tracing of the worker (issue 9 "Traces"): a tracer provider registered globally
// (activities and provider calls take their tracer from it), the interceptors of
// @temporalio/interceptors-opentelemetry for activities, and the sink through which workflow spans
// leave the sandbox. Exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter
// reads the standard OTEL_EXPORTER_OTLP_* variables itself); tests pass an in-memory processor.
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { trace } from '@opentelemetry/api';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerOptions } from '@temporalio/worker';
import type { OpenTelemetrySinks as OpenTelemetryWorkflowExporterSinks } from '@temporalio/interceptors-opentelemetry';

export const SERVICE_NAME = 'cloud-teardown-worker';

export interface Tracing {
  /** Worker options for the workflow worker (the span sink) and activity workers (interceptors). */
  workflowWorkerOptions: Partial<WorkerOptions>;
  activityWorkerOptions: Partial<WorkerOptions>;
  /** Flushes and stops the exporter. */
  shutdown(): Promise<void>;
}

/**
 * The workflow bundle always carries the OpenTelemetry workflow interceptors, which hand their spans
 * to the `exporter` sink: without tracing it drops them (and no worker logs an unregistered sink).
 */
const DISCARD_WORKFLOW_SPANS: InjectedSinks<OpenTelemetryWorkflowExporterSinks> = {
  exporter: { export: { fn: () => undefined, callDuringReplay: false } },
};

export const TRACING_OFF: Tracing = {
  workflowWorkerOptions: { sinks: DISCARD_WORKFLOW_SPANS },
  activityWorkerOptions: {},
  shutdown: async () => undefined,
};

/** Tracing through `processor`: registers a global tracer provider (once per process). */
export function startTracing(processor: SpanProcessor, serviceName = SERVICE_NAME): Tracing {
  const resource = new Resource({ 'service.name': serviceName });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  return {
    workflowWorkerOptions: { sinks: { exporter: makeWorkflowExporter(processor, resource) } },
    activityWorkerOptions: {
      interceptors: {
        activity: [
          (ctx) => ({
            inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
            outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
          }),
        ],
      },
    },
    async shutdown() {
      await provider.shutdown();
      trace.disable();
    },
  };
}

/** Tracing as the environment asks: OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set, else off. */
export function tracingFromEnv(env: NodeJS.ProcessEnv = process.env): Tracing {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) return TRACING_OFF;
  return startTracing(new BatchSpanProcessor(new OTLPTraceExporter()), env.OTEL_SERVICE_NAME || SERVICE_NAME);
}
