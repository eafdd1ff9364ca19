// Settings of the worker process itself (not of teardowns): how long in-flight activities get on
// shutdown, which prebuilt workflow bundle to load. Environment only. (/healthz and /metrics listen
// on TEARDOWN_METRICS_ADDRESS: src/workers/telemetry.ts.)
import { z } from 'zod';

export interface ProcessSettings {
  /** In-flight activities get this long to finish after SIGTERM / SIGINT before they are cancelled. */
  shutdownGraceMs: number;
  /** A file written by src/workers/bundle.ts; undefined bundles the workflows from source at start. */
  workflowBundlePath?: string;
  /** Stop when the parent process dies (set when `npm run worker` started us: npm cannot forward SIGKILL). */
  exitWithParent: boolean;
}

const grace = z.coerce.number().int().min(0).max(3_600_000);

export function loadProcessSettings(env: NodeJS.ProcessEnv = process.env): ProcessSettings {
  const value = (name: string) => env[name]?.trim() || undefined;
  const parse = <T>(name: string, schema: z.ZodType<T>, fallback: T): T => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const parsed = schema.safeParse(raw);
    if (!parsed.success)
      throw new Error(`${name}: ${parsed.error.issues[0]?.message ?? 'invalid value'} (got "${raw}")`);
    return parsed.data;
  };
  return {
    shutdownGraceMs: parse('TEARDOWN_SHUTDOWN_GRACE_MS', grace, 30_000),
    workflowBundlePath: value('TEARDOWN_WORKFLOW_BUNDLE'),
    exitWithParent: value('TEARDOWN_EXIT_WITH_PARENT') === '1',
  };
}

/** Calls `onOrphaned` once the process that started this one has gone (checked every second). */
export function watchParent(onOrphaned: () => void): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    let gone = process.ppid !== parent;
    if (!gone) {
      try {
        process.kill(parent, 0);
      } catch {
        gone = true;
      }
    }
    if (gone) {
      clearInterval(timer);
      onOrphaned();
    }
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}
