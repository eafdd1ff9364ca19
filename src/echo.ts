// How messages quote a value the caller sent: in full when short, otherwise a short prefix and the
// length, so a 10,000-character id never comes back 10,000 characters long (in refusals, logs,
// CLI output). A leaf module: workflows, providers and the client all use it.

/** Longest value a message quotes in full. */
export const ECHO_MAX_CHARS = 64;

/** `"abc"`, or `"abcdef…" (10000 characters)` past `max` characters; JSON-quoted, so control characters stay visible. */
export function echo(value: unknown, max: number = ECHO_MAX_CHARS): string {
  const text = typeof value === 'string' ? value : String(value);
  if (text.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, max) + '…')} (${text.length} characters)`;
}
