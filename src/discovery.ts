// Selector matching for discovery (issue 5): whether a discovered resource is one a teardown's
// selector asks for, and if not, why. Pure and deterministic (the time is an argument), with no
// Node imports: it runs inside workflows, which apply every selector here whatever the provider
// pushed down.
import { parseDurationMs } from './contract';
import type { DiscoveredResource, DiscoveryQuery } from './providers/types';

/** The tag that keeps a resource out of every discovery, whatever its selector says. */
export const DEFAULT_PROTECT_TAG = 'teardown:protect=true';

/** A tag condition: the key must be present, with this value when one is given. */
export interface TagSelector {
  key: string;
  value?: string;
}

/** What a selector matches on; every condition given must hold. */
export interface ResourceSelector {
  /** 'key' (present, any value) or 'key=value'. */
  tags?: string[];
  namePrefix?: string;
  /** A duration ('4h', '30m', '2d'): the resource was created longer ago than this. */
  olderThan?: string;
}

export type MatchResult = { matched: true } | { matched: false; reason: string };

/**
 * 'key=value' -> { key, value } (split at the first '=', so values may hold '='; 'key=' is the
 * empty value); 'key' -> { key }. Surrounding spaces are trimmed. Throws on an empty key.
 */
export function parseTagSelector(text: string): TagSelector {
  const at = text.indexOf('=');
  const key = (at < 0 ? text : text.slice(0, at)).trim();
  if (key === '') throw new Error(`tag selector "${text}" has no key (expected "key" or "key=value")`);
  return at < 0 ? { key } : { key, value: text.slice(at + 1).trim() };
}

/** The provider-side filters a selector allows (what `KindProvider.discover` may push down). */
export function discoveryQueryOf(selector: ResourceSelector): DiscoveryQuery {
  const query: DiscoveryQuery = {};
  if (selector.tags && selector.tags.length > 0) query.tags = selector.tags.map(parseTagSelector);
  if (selector.namePrefix) query.namePrefix = selector.namePrefix;
  return query;
}

function formatTag(tag: TagSelector): string {
  return tag.value === undefined ? tag.key : `${tag.key}=${tag.value}`;
}

function hasTag(resource: DiscoveredResource, tag: TagSelector): boolean {
  if (!Object.prototype.hasOwnProperty.call(resource.tags, tag.key)) return false;
  return tag.value === undefined || resource.tags[tag.key] === tag.value;
}

/** A compact human duration: 90_000 -> '1m30s', 5_400_000 -> '1h30m', 2 days 3 hours -> '2d3h'. */
export function formatDuration(ms: number): string {
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ];
  let rest = Math.floor(Math.abs(ms));
  if (rest < 1_000) return `${rest}ms`;
  const parts: string[] = [];
  for (const [unit, size] of units) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    } else if (parts.length > 0) {
      // Two adjacent units at most: '2d3h', never '2d0h5m'.
      break;
    }
  }
  return parts.join('');
}

function ageReason(resource: DiscoveredResource, olderThan: string, nowMs: number): string | undefined {
  const limit = parseDurationMs(olderThan);
  if (limit === undefined || limit <= 0) return `olderThan "${olderThan}" is not a duration like "4h"`;
  const created = resource.createdAt === undefined ? NaN : Date.parse(resource.createdAt);
  if (Number.isNaN(created)) {
    return resource.createdAt === undefined
      ? `creation time unknown, so not known to be older than ${olderThan}`
      : `creation time "${resource.createdAt}" unreadable, so not known to be older than ${olderThan}`;
  }
  const age = nowMs - created;
  if (age > limit) return undefined;
  const when = age >= 0 ? `${formatDuration(age)} ago` : `${formatDuration(-age)} in the future`;
  return `created ${new Date(created).toISOString()} (${when}), not older than ${olderThan}`;
}

/**
 * Whether `resource` matches `selector` at `nowMs`. The protect tag wins over everything; then the
 * first failing condition, in order: tags, name prefix, age. A malformed condition never matches
 * (fail closed). A resource without a creation time never matches an `olderThan` selector.
 */
export function matchSelector(
  resource: DiscoveredResource,
  selector: ResourceSelector,
  nowMs: number,
  protectTag: string = DEFAULT_PROTECT_TAG,
): MatchResult {
  const protect = parseTagSelector(protectTag);
  if (hasTag(resource, protect)) return { matched: false, reason: `protected by tag ${formatTag(protect)}` };

  for (const text of selector.tags ?? []) {
    let tag: TagSelector;
    try {
      tag = parseTagSelector(text);
    } catch {
      return { matched: false, reason: `tag selector "${text}" has no key` };
    }
    if (hasTag(resource, tag)) continue;
    const present = Object.prototype.hasOwnProperty.call(resource.tags, tag.key);
    return {
      matched: false,
      reason: present
        ? `tag ${formatTag(tag)} missing (${tag.key}=${resource.tags[tag.key]})`
        : `tag ${formatTag(tag)} missing`,
    };
  }

  if (selector.namePrefix !== undefined && !resource.name.startsWith(selector.namePrefix)) {
    return {
      matched: false,
      reason: `name "${resource.name}" does not start with "${selector.namePrefix}"`,
    };
  }

  if (selector.olderThan !== undefined) {
    const reason = ageReason(resource, selector.olderThan, nowMs);
    if (reason) return { matched: false, reason };
  }
  return { matched: true };
}
