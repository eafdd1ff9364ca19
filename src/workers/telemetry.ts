// The worker process's telemetry, installed once before any connection or worker exists (the SDK's
// Runtime can be installed only once per process): logs (JSON lines or the SDK's text), Prometheus
// metrics on TEARDOWN_METRICS_ADDRESS together with /healthz (src/workers/http.ts), and OpenTelemetry
// traces when OTEL_EXPORTER_OTLP_ENDPOINT is set (src/observability/tracing.ts). docs/runbook.md
// lists the variables.
import type { Logger } from '@temporalio/common';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { accountEnvValues, readAccountMap } from '../account-map';
import { credentialEnvValues, loadWorkerConfig } from '../config';
import { JsonLogger, LOG_LEVELS } from '../observability/logger';
import { METRIC_NAMES, PROVIDER_CALL_BUCKETS_SECONDS } from '../observability/metrics';
import { tracingFromEnv, type Tracing } from '../observability/tracing';
import { freeLoopbackAddress, startWorkerHttpServer, type Health, type WorkerHttpServer } from './http';

export type LogFormat = 'json' | 'text';

export interface WorkerTelemetry {
  logger: Logger;
  logFormat: LogFormat;
  tracing: Tracing;
  /** Present when TEARDOWN_METRICS_ADDRESS is set. */
  http?: WorkerHttpServer;
  /** What /healthz answers from now on (a function is asked at every request). */
  setHealth(health: Health | (() => Health)): void;
  close(): Promise<void>;
}

const LOG_FORMATS: readonly LogFormat[] = ['json', 'text'];

/** One of `allowed` (case-insensitive), `fallback` when unset; an Error naming the variable otherwise. */
function readChoice<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const found = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
  if (!found) throw new Error(`${name}: "${raw}" is not one of ${allowed.join(', ')}`);
  return found;
}

/** Every credential value of the worker's environment: never written to a log line. */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  // Loading the config first refuses a half-set key pair before anything is logged.
  loadWorkerConfig(env);
  const accounts = accountEnvValues(readAccountMap(env), env);
  return [...credentialEnvValues(env), ...accounts, env.TEMPORAL_API_KEY ?? ''].filter(Boolean);
}

/**
 * Installs the Runtime with the telemetry the environment asks for:
 * TEARDOWN_LOG_FORMAT (json | text; json by default when stdout is not a terminal),
 * TEARDOWN_LOG_LEVEL (TRACE..ERROR, INFO by default), TEARDOWN_METRICS_ADDRESS (host:port),
 * OTEL_EXPORTER_OTLP_ENDPOINT (and the other standard OTEL_* variables).
 */
export async function installWorkerTelemetry(
  env: NodeJS.ProcessEnv = process.env,
  stdoutIsTTY = Boolean(process.stdout.isTTY),
): Promise<WorkerTelemetry> {
  const logFormat = readChoice(env, 'TEARDOWN_LOG_FORMAT', LOG_FORMATS, stdoutIsTTY ? 'text' : 'json');
  const level = readChoice(env, 'TEARDOWN_LOG_LEVEL', LOG_LEVELS, 'INFO');
  const logger: Logger =
    logFormat === 'json' ? new JsonLogger({ level, secrets: secretValues(env) }) : new DefaultLogger(level);
  const metricsAddress = env.TEARDOWN_METRICS_ADDRESS?.trim();
  const sdkMetricsAddress = metricsAddress ? await freeLoopbackAddress() : undefined;
  Runtime.install({
    logger,
    telemetryOptions: {
      logging: {
        forward: {},
        filter: makeTelemetryFilterString({ core: level === 'TRACE' ? 'DEBUG' : level }),
      },
      ...(sdkMetricsAddress
        ? {
            metrics: {
              prometheus: {
                bindAddress: sdkMetricsAddress,
                histogramBucketOverrides: {
                  [METRIC_NAMES.providerCallSeconds]: PROVIDER_CALL_BUCKETS_SECONDS,
                },
              },
            },
          }
        : {}),
    },
  });
  let health: Health | (() => Health) = { ok: true, detail: 'starting' };
  const http =
    metricsAddress && sdkMetricsAddress
      ? await startWorkerHttpServer({
          address: metricsAddress,
          sdkMetricsAddress,
          health: () => (typeof health === 'function' ? health() : health),
        })
      : undefined;
  const tracing = tracingFromEnv(env);
  return {
    logger,
    logFormat,
    tracing,
    http,
    setHealth(next) {
      health = next;
    },
    async close() {
      await tracing.shutdown();
      await http?.close();
    },
  };
}
