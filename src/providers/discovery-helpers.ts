// Small pieces every provider module's `discover` shares: page tokens for offset-paged and
// NextToken-paged list calls, creation times in ISO form, and which tag filters to push down.
import type { CloudName } from '../kinds';
import { ProviderError } from './errors';
import type { DiscoveryQuery } from './types';

/** Most resources one discovery page asks a provider for (every list call we use takes 100). */
export const DISCOVERY_PAGE_SIZE = 100;

/** The page token of an offset-paged list call (GAAP, MS): the offset, in decimal. */
export function offsetToken(offset: number): string {
  return String(offset);
}

/** The offset a token carries (0 without one); a token we did not make is refused, not guessed. */
export function parseOffsetToken(cloud: CloudName, token: string | undefined): number {
  if (token === undefined) return 0;
  if (!/^\d{1,12}$/.test(token)) throw invalidPageToken(cloud, token);
  return Number(token);
}

/** The next offset token, or undefined when this page was the last one. */
export function nextOffsetToken(offset: number, returned: number, total: number): string | undefined {
  const next = offset + returned;
  return returned > 0 && next < total ? offsetToken(next) : undefined;
}

/**
 * The next page token of a NextToken-paged list call (ECS on Alibaba and Volcengine): none when
 * the answer carries none. A provider answering the token it was given would page forever, so that
 * answer is a transient MalformedResponse.
 */
export function nextPageToken(
  cloud: CloudName,
  action: string,
  answered: string | null | undefined,
  given: string | undefined,
  requestId?: string,
): string | undefined {
  const next = answered || undefined;
  if (next !== undefined && next === given) {
    throw new ProviderError(
      cloud,
      'MalformedResponse',
      `${action} answered the same NextToken it was given`,
      'transient',
      undefined,
      requestId,
    );
  }
  return next;
}

export function invalidPageToken(cloud: CloudName, token: string): ProviderError {
  return new ProviderError(
    cloud,
    'InvalidPageToken',
    `page token "${token.slice(0, 80)}" was not made by this kind's discover`,
    'permanent',
  );
}

/** ISO 8601 from an ISO-ish string, epoch seconds or epoch milliseconds; undefined when unreadable or 0. */
export function isoTime(value: unknown, unit: 'iso' | 's' | 'ms' = 'iso'): string | undefined {
  let ms: number;
  if (unit === 'iso') {
    if (typeof value !== 'string' || value === '') return undefined;
    ms = Date.parse(value);
  } else {
    const n = typeof value === 'string' && value !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return undefined;
    ms = unit === 's' ? n * 1000 : n;
  }
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/**
 * The tag filters to push down: the first filter of each key, at most `max`. Dropping filters only
 * widens the answer (every filter is ANDed), which the caller narrows again.
 */
export function tagFiltersToPush(query: DiscoveryQuery, max: number): Array<{ key: string; value?: string }> {
  const seen = new Set<string>();
  const out: Array<{ key: string; value?: string }> = [];
  for (const tag of query.tags ?? []) {
    if (tag.key === '' || seen.has(tag.key)) continue;
    seen.add(tag.key);
    out.push(tag.value === undefined ? { key: tag.key } : { key: tag.key, value: tag.value });
    if (out.length === max) break;
  }
  return out;
}

/** Tags from a provider's list of pairs, whatever it calls the fields. */
export function tagRecord<T>(
  pairs: readonly T[] | null | undefined,
  key: (pair: T) => unknown,
  value: (pair: T) => unknown,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const k = key(pair);
    if (typeof k !== 'string' || k === '') continue;
    const v = value(pair);
    out[k] = typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
  }
  return out;
}
