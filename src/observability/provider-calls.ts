// Everything one provider call leaves behind besides its answer (issue 9): a span (cloud, action,
// request id, code), the call counter and duration histogram, a log line with the operator's fields,
// and the blocked-resources gauge. Activities run each call through observeProviderCall.
import { Context } from '@temporalio/activity';
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { Runtime } from '@temporalio/worker';
import { KINDS, type KindName } from '../kinds';
import { isRetryable, ProviderError } from '../providers/errors';
import { BlockedTracker } from './blocked';
import { OK_CLASS, OK_CODE, TeardownMetrics } from './metrics';

export const TRACER_NAME = 'cloud-teardown';
/** Span attribute names (OpenTelemetry's where one exists). */
export const SPAN_ATTRIBUTES = {
  cloud: 'cloud.provider',
  region: 'cloud.region',
  action: 'rpc.method',
  kind: 'teardown.kind',
  ids: 'teardown.ids',
  idCount: 'teardown.id_count',
  code: 'teardown.provider.code',
  errorClass: 'teardown.provider.error_class',
  requestId: 'teardown.provider.request_id',
  attempt: 'teardown.activity.attempt',
} as const;

const FIRST_IDS = 3;

export interface ProviderCallTarget {
  kind: KindName;
  region?: string;
  ids: readonly string[];
  /** Tries the workflow already made of this call (workflow-visible retries: one attempt each). */
  priorAttempts?: number;
}

/** "2 alibabacloud.ecs.instance in cn-hangzhou: i-a, i-b" (at most FIRST_IDS ids, then "+N more"). */
export function describeBatch(t: ProviderCallTarget): string {
  const where = t.region ? ` in ${t.region}` : '';
  if (t.ids.length === 0) return `${t.kind}${where}`;
  const first = t.ids.slice(0, FIRST_IDS).join(', ');
  const more = t.ids.length > FIRST_IDS ? `, +${t.ids.length - FIRST_IDS} more` : '';
  return `${t.ids.length} ${t.kind}${where}: ${first}${more}`;
}

/** The provider action a step of a kind calls: KINDS[kind].calls (prepare steps by name). */
export function providerAction(kind: KindName, step: string): string {
  const calls = KINDS[kind].calls;
  if (step.startsWith('prepare:')) return calls.prepare?.[step.slice('prepare:'.length)] ?? step;
  return (calls as unknown as Record<string, string | undefined>)[step] ?? step;
}

let shared: { metrics: TeardownMetrics; blocked: BlockedTracker } | undefined;

/** The worker-wide metrics, on the Runtime's meter (created on first use, after Runtime.install). */
function workerMetrics() {
  if (!shared) {
    const metrics = new TeardownMetrics(Runtime.instance().metricMeter);
    shared = { metrics, blocked: new BlockedTracker((kind, n) => metrics.blockedResources(kind, n)) };
  }
  return shared;
}

function errorFields(err: unknown): { code: string; errorClass: string; requestId?: string } {
  if (err instanceof ProviderError)
    return { code: err.code, errorClass: err.errorClass, requestId: err.requestId };
  return { code: err instanceof Error ? err.name : 'Error', errorClass: 'internal' };
}

/**
 * Runs one provider call of `step` ('describe', 'delete', 'poll', 'discover', 'prepare:<step>')
 * inside an activity, observed. `requestIdOf` reads the request id out of a successful answer.
 */
export async function observeProviderCall<T>(
  target: ProviderCallTarget,
  step: string,
  run: () => Promise<T>,
  requestIdOf?: (answer: T) => string | undefined,
): Promise<T> {
  const context = Context.current();
  const { workflowExecution } = context.info;
  // The call's attempt over all its tries: each try is its own activity when the workflow retries.
  const attempt = (target.priorAttempts ?? 0) + context.info.attempt;
  const cloud = KINDS[target.kind].cloud;
  const action = providerAction(target.kind, step);
  const { metrics, blocked } = workerMetrics();
  // One call of one batch, whichever activity (or Temporal attempt) carries its try.
  const blockedKey = `${workflowExecution?.workflowId}/${workflowExecution?.runId}/${step}/${target.ids.join(',')}`;
  const fields = { kind: target.kind, region: target.region, cloud, action, attempt };
  const tracer = trace.getTracer(TRACER_NAME);
  return tracer.startActiveSpan(
    `${cloud} ${action}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [SPAN_ATTRIBUTES.cloud]: cloud,
        [SPAN_ATTRIBUTES.action]: action,
        [SPAN_ATTRIBUTES.kind]: target.kind,
        [SPAN_ATTRIBUTES.idCount]: target.ids.length,
        [SPAN_ATTRIBUTES.ids]: target.ids.slice(0, FIRST_IDS).join(','),
        [SPAN_ATTRIBUTES.attempt]: attempt,
        ...(target.region ? { [SPAN_ATTRIBUTES.region]: target.region } : {}),
      },
    },
    async (span: Span) => {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        const answer = await run();
        const requestId = requestIdOf?.(answer);
        metrics.providerCall({ cloud, action, code: OK_CODE, errorClass: OK_CLASS, seconds: seconds() });
        blocked.cleared(blockedKey);
        span.setAttribute(SPAN_ATTRIBUTES.code, OK_CODE);
        if (requestId) span.setAttribute(SPAN_ATTRIBUTES.requestId, requestId);
        context.log.debug(`${action} answered`, { ...fields, code: OK_CODE, requestId });
        return answer;
      } catch (err) {
        const { code, errorClass, requestId } = errorFields(err);
        metrics.providerCall({ cloud, action, code, errorClass, seconds: seconds() });
        const retrying = err instanceof ProviderError && isRetryable(err.errorClass, attempt);
        if (retrying) blocked.blocked(blockedKey, target.kind, target.ids.length);
        else blocked.cleared(blockedKey);
        span.setAttributes({
          [SPAN_ATTRIBUTES.code]: code,
          [SPAN_ATTRIBUTES.errorClass]: errorClass,
          ...(requestId ? { [SPAN_ATTRIBUTES.requestId]: requestId } : {}),
        });
        span.setStatus({ code: SpanStatusCode.ERROR, message: `${code}: ${(err as Error)?.message ?? err}` });
        const log = retrying ? context.log.warn : context.log.error;
        log.call(
          context.log,
          `${action} answered ${code} (${errorClass}${retrying ? ', retrying' : ''}): ${describeBatch(target)}`,
          { ...fields, code, errorClass, requestId, error: (err as Error)?.message },
        );
        throw err;
      } finally {
        span.end();
      }
    },
  );
}
