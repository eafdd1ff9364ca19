// Secrets the worker learns while it runs (keys of an assumed role, session tokens): every log
// redactor also hides these, so temporary keys are as safe from logs as configured ones.
const known = new Set<string>();

/** Remembers secret values to hide from every log line from now on. */
export function rememberSecrets(...values: Array<string | undefined>): void {
  for (const v of values) if (v && v.length >= 4) known.add(v);
}

export function runtimeSecrets(): ReadonlySet<string> {
  return known;
}
