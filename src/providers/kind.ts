// What a resource kind is, as facts workflows, the client schema, the emulator and tests share
// (design.md section 2), and the registry each kind's metadata file adds itself to with
// defineKind(). A leaf module: no SDK or Node imports, so workflow bundles may load it.
import { echo } from '../echo';
import type { CloudName } from './cloud';
import type { ErrorClass } from './errors';

/** A kind name, '<cloud>.<product>.<resource>'. Known kinds are those registered with defineKind(). */
export type KindName = string;
export type { CloudName };

export interface KindMeta {
  kind: KindName;
  cloud: CloudName;
  /** The product's service name on the wire and in the emulator's call log ('ecs', 'gaap'). */
  service: string;
  /** Most ids one delete call accepts. */
  batchLimit: number;
  /** Most ids one describe / poll call accepts. */
  describeLimit: number;
  /**
   * Set where describe and poll page the provider's whole listing because it cannot filter by id
   * (MS): one call answers any number of ids, so a group is described in one call and a kind's ids
   * share as few groups as keep each history small (`groupLimit` ids each): every group pays for
   * the whole listing each round.
   */
  describesByListing?: { groupLimit: number };
  /** Most ids one prepare call (stop / convert) accepts. */
  prepareLimit: number;
  requiresRegion: boolean;
  /** The provider's real region ids, for kinds that need one (extended by regionsFromEnv). */
  regions?: readonly string[];
  requiresAppId: boolean;
  /** What a well-formed id looks like, with a human description for error messages. */
  idPattern: RegExp;
  idDescription: string;
  /** Kinds not yet wired end to end are refused by the client schema with a clear message. */
  enabled: boolean;
  /** The provider actions behind each step, named in activity summaries so the UI shows the real call. */
  calls: {
    describe: string;
    delete: string;
    poll: string;
    discover: string;
    /**
     * Prepare step -> its action, in the order the steps must run (e.g. convert, then stop): the
     * one declaration of a kind's prepare steps.
     */
    prepare?: Record<string, string>;
  };
  /** Whether the delete call carries a ClientToken (SAE and MS have none). */
  deleteTakesClientToken: boolean;
  /** Request parameters that carry resource ids (indexed 'X.1', list, JSON or comma-separated). */
  idParameters: readonly string[];
  /**
   * The emulator's defaults for this kind: transition durations (ms) by step, named
   * '<cloud>.<service>.<step>' in its settings (see emulatorDurations).
   */
  emulator: { durations: Readonly<Record<string, number>> };
  /** A deletable resource as the emulator seeds it, for the demo and the tests. */
  example: {
    region?: string;
    /** Ids made for tests start with this (and then satisfy idPattern). */
    idPrefix: string;
    status: string;
    attributes?: Readonly<Record<string, unknown>>;
    /** A resource the example lives in (SAE application), named by this attribute, default `app-<id>`. */
    parent?: { type: string; status: string; attribute: string };
  };
  /** Every code of the kind's seed document: code, HTTP status, the class design.md gives it. */
  documentedErrors: ReadonlyArray<readonly [code: string, httpStatus: number, errorClass: ErrorClass]>;
}

/** Most ids one describe or poll call of the kind takes (a listing answers a whole group). */
export function describeLimitOf(meta: KindMeta): number {
  return meta.describesByListing?.groupLimit ?? meta.describeLimit;
}

/** Every registered kind by name; filled by the metadata files as they load. */
export const KINDS: Record<KindName, KindMeta> = {};
/** Registered kind names, in registration order. */
export const KIND_NAMES: KindName[] = [];

/** Registers a kind (its metadata file calls this once); a second, different definition is a bug. */
export function defineKind<M extends KindMeta>(meta: M): M {
  const known = KINDS[meta.kind];
  if (known && known !== meta) throw new Error(`kind ${meta.kind} is defined twice`);
  if (!known) {
    KINDS[meta.kind] = meta;
    KIND_NAMES.push(meta.kind);
  }
  return meta;
}

export function isKindName(name: unknown): name is KindName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(KINDS, name);
}

/** The setting name of one of a kind's emulator durations, e.g. 'alibabacloud.ecs.stop'. */
export function durationName(meta: KindMeta, step: string): string {
  return `${meta.cloud}.${meta.service}.${step}`;
}

/** A kind's emulator durations under their setting names. */
export function emulatorDurations(meta: KindMeta): Record<string, number> {
  return Object.fromEntries(
    Object.entries(meta.emulator.durations).map(([step, ms]) => [durationName(meta, step), ms]),
  );
}

/** A kind's prepare steps in the order they run. */
export function prepareSteps(meta: KindMeta): string[] {
  return Object.keys(meta.calls.prepare ?? {});
}

/** Regions a deployment added through its environment (new regions), per cloud. */
const EXTRA_REGIONS: Partial<Record<CloudName, Set<string>>> = {};

/** Adds region ids a cloud has beyond the kinds' lists (the worker's and client's environment). */
export function addRegions(cloud: CloudName, ids: readonly string[]): void {
  const set = (EXTRA_REGIONS[cloud] ??= new Set());
  for (const id of ids) if (id.trim()) set.add(id.trim());
}

/** Every region id a kind accepts: its list and the cloud's added ones (empty: it has no regions). */
export function regionsOf(meta: KindMeta): string[] {
  if (!meta.requiresRegion) return [];
  return [...new Set([...(meta.regions ?? []), ...(EXTRA_REGIONS[meta.cloud] ?? [])])];
}

/**
 * Why `region` is wrong for the kind, or undefined when it is right: a regional kind takes one of
 * its provider's real region ids (naming the nearest ones), a regionless kind takes none.
 */
export function regionProblem(meta: KindMeta, region: string | undefined): string | undefined {
  if (!meta.requiresRegion) {
    return region === undefined ? undefined : `is not used by ${meta.kind}, which has no regions: remove it`;
  }
  if (region === undefined) return undefined; // "required" is the schema's message
  const known = regionsOf(meta);
  if (known.includes(region)) return undefined;
  // Region ids are short: a prefix finds the nearest as well and keeps an oversized value cheap.
  const probe = region.slice(0, 64);
  const distance = new Map(known.map((id) => [id, editDistance(probe, id)]));
  const nearest = [...known]
    .sort((a, b) => distance.get(a)! - distance.get(b)! || a.localeCompare(b))
    .slice(0, 3);
  return (
    `${echo(region)} is not a region of ${meta.cloud} (nearest: ${nearest.join(', ')}); a region newer than ` +
    `this list is added with CLOUD_TEARDOWN_${meta.cloud.toUpperCase()}_EXTRA_REGIONS`
  );
}

/** Levenshtein distance, for naming the regions nearest a typo. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}
