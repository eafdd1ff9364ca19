// The worker's log output (issue 9 "Logs"): one JSON object per line with the fields an operator
// filters by, or the SDK's human format. Every line passes through redaction first, so neither a
// credential value from the worker's configuration nor a field named like a secret is ever written.
import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import { runtimeSecrets } from './runtime-secrets';

export const LOG_LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/** Field names whose values are never logged, whatever they hold. */
const SECRET_KEY = /secret|password|passwd|credential|authorization|api[-_]?key|access[-_]?key|signature/i;
/** The SDK's activity task token: opaque bytes that mean nothing to a reader. */
const DROPPED_KEYS = new Set(['taskToken']);
export const REDACTED = '[REDACTED]';

/** Replaces every secret value (and secret-named field) in `value`, recursively. */
export class Redactor {
  private readonly secrets: string[];
  constructor(secrets: Iterable<string | undefined>) {
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets = [...new Set([...secrets].filter((s): s is string => !!s && s.length >= 4))].sort(
      (a, b) => b.length - a.length,
    );
  }

  text(s: string): string {
    let out = s;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    // Keys learnt at run time (assumed roles' secrets and tokens) are hidden too.
    for (const secret of runtimeSecrets()) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  value(v: unknown, depth = 0): unknown {
    if (typeof v === 'string') return this.text(v);
    if (v === null || typeof v !== 'object') return v;
    if (depth > 6) return '[nested too deep]';
    if (v instanceof Error) {
      const cause = (v as { cause?: unknown }).cause;
      return this.value({ name: v.name, message: v.message, stack: v.stack, cause }, depth + 1);
    }
    if (Array.isArray(v)) return v.map((x) => this.value(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (DROPPED_KEYS.has(k) || x === undefined) continue;
      out[k] = SECRET_KEY.test(k) ? REDACTED : this.value(x, depth + 1);
    }
    return out;
  }
}

export interface JsonLoggerOptions {
  level?: LogLevel;
  secrets?: Iterable<string | undefined>;
  /** Where lines go (stdout by default). */
  write?: (line: string) => void;
  now?: () => Date;
}

/**
 * One JSON object per line: level, time, message, then the operator's fields under stable names
 * (workflowId, runId, activity, kind, region, action, code), then whatever else the caller gave.
 */
export class JsonLogger implements Logger {
  private readonly threshold: number;
  private readonly redactor: Redactor;
  private readonly write: (line: string) => void;
  private readonly now: () => Date;

  constructor(opts: JsonLoggerOptions = {}) {
    this.threshold = LOG_LEVELS.indexOf(opts.level ?? 'INFO');
    this.redactor = new Redactor(opts.secrets ?? []);
    this.write = opts.write ?? ((line) => process.stdout.write(line));
    this.now = opts.now ?? (() => new Date());
  }

  log(level: LogLevel, message: string, meta: LogMetadata = {}): void {
    if (LOG_LEVELS.indexOf(level) < this.threshold) return;
    const m = meta as Record<string, unknown>;
    const { workflowRunId, runId, activityType, activity, ...rest } = m;
    const entry = {
      level,
      time: this.now().toISOString(),
      message,
      workflowId: m.workflowId,
      runId: runId ?? workflowRunId,
      activity: activity ?? activityType,
      kind: m.kind,
      region: m.region,
      action: m.action,
      code: m.code,
      ...rest,
    };
    this.write(`${JSON.stringify(this.redactor.value(entry))}\n`);
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
