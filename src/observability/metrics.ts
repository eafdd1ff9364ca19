// The project's Prometheus metrics (issue 9 "Metrics"), recorded through the Temporal SDK's metric
// meter so they are exported by the same Runtime (and endpoint) as the SDK's own metrics. Names
// are final as written: the Runtime adds no prefix or suffix to user metrics (metricPrefix applies
// to the SDK's metrics only; countersTotalSuffix stays off). Names are shared with the alert rules
// and the dashboard (deploy/prometheus, deploy/grafana), whose tests read them from here.
import type { MetricCounter, MetricGauge, MetricHistogram, MetricMeter } from '@temporalio/common';

export const METRIC_NAMES = {
  resources: 'teardown_resources_total',
  providerCalls: 'teardown_provider_calls_total',
  providerCallSeconds: 'teardown_provider_call_seconds',
  blockedResources: 'teardown_blocked_resources',
} as const;

/** Provider calls take from tens of milliseconds to the request timeout (15 s by default). */
export const PROVIDER_CALL_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The `code` and `class` of a provider call that succeeded. */
export const OK_CODE = 'OK';
export const OK_CLASS = 'ok';

export interface ProviderCallSample {
  cloud: string;
  action: string;
  code: string;
  errorClass: string;
  seconds: number;
}

/** The resources counter, recorded by the workflow interceptor when a teardown ends. */
export function createResourcesCounter(meter: MetricMeter): MetricCounter {
  return meter.createCounter(
    METRIC_NAMES.resources,
    '1',
    'Resources whose teardown ended, by kind and outcome (deleted, already-gone, failed, skipped, ...)',
  );
}

/** The worker-side metrics: provider calls and the resources they keep blocked. */
export class TeardownMetrics {
  private readonly calls: MetricCounter;
  private readonly callSeconds: MetricHistogram;
  private readonly blocked: MetricGauge;

  constructor(meter: MetricMeter) {
    this.calls = meter.createCounter(
      METRIC_NAMES.providerCalls,
      '1',
      'Provider API calls by cloud, action, answer code (OK on success) and error class (ok on success)',
    );
    this.callSeconds = meter.createHistogram(
      METRIC_NAMES.providerCallSeconds,
      'float',
      's',
      'Duration of one provider API call, by cloud and action',
    );
    this.blocked = meter.createGauge(
      METRIC_NAMES.blockedResources,
      'int',
      '1',
      'Resources whose last provider call failed and is being retried, by kind (this worker)',
    );
  }

  providerCall(s: ProviderCallSample): void {
    this.calls.add(1, { cloud: s.cloud, action: s.action, code: s.code, class: s.errorClass });
    this.callSeconds.record(Math.max(0, s.seconds), { cloud: s.cloud, action: s.action });
  }

  blockedResources(kind: string, count: number): void {
    this.blocked.set(count, { kind });
  }
}
