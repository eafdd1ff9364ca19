// Per-kind test fixtures shared by the end-to-end tests, derived from each kind's metadata (its
// `example`, `calls` and `documentedErrors`): how to make a fresh id, seed it into the emulator,
// name it in a request, and which delete action carries it on the wire. A kind registered later
// (a test-only kind) gets its fixture from fixtureOf().
import type { SeedResource } from '../../src/emulator/types';
import { KINDS, type KindMeta, type KindName } from '../../src/kinds';
import type { ErrorClass } from '../../src/providers/errors';
import type { Stack } from './stack';

export interface KindFixture {
  kind: KindName;
  region?: string;
  /** The emulator action that deletes (faults are injected on it). */
  deleteAction: string;
  newId(): string;
  /** Seeds a deletable resource (plus, where it lives in one, its parent: SAE's application). */
  seed(
    stack: Pick<Stack, 'emulator'>,
    id: string,
    attributes?: Record<string, unknown>,
    status?: string,
  ): void;
  /** The request entry for these ids. */
  group(ids: string[]): { kind: KindName; region?: string; appId?: string; ids: string[] };
  /** Every code of the kind's seed document, with its HTTP status and design.md class. */
  seedCodes: Array<[code: string, httpStatus: number, errorClass: ErrorClass]>;
}

let n = 0;
const unique = () => `${Date.now().toString(36)}${(++n).toString(36).padStart(4, '0')}`;

/** The parent (application) each seeded id lives in, for kinds whose resources have one. */
const parentOf = new Map<string, string>();

/**
 * Seeds for example resources of a kind: `ids` in one parent (default `app-<first id>`) when the
 * kind's resources live in one, created unless `existing` says it is there already.
 */
export function exampleSeeds(
  meta: KindMeta,
  ids: string[],
  opts: {
    attributes?: Record<string, unknown>;
    status?: string;
    existing?: (parentId: string) => boolean;
  } = {},
): SeedResource[] {
  const { example } = meta;
  const seeds: SeedResource[] = [];
  const attributes: Record<string, unknown> = { ...example.attributes, ...opts.attributes };
  if (example.parent) {
    const named = attributes[example.parent.attribute];
    const parentId = typeof named === 'string' ? named : `app-${ids[0]}`;
    attributes[example.parent.attribute] = parentId;
    for (const id of ids) parentOf.set(id, parentId);
    if (!opts.existing?.(parentId)) {
      seeds.push({
        type: example.parent.type,
        region: example.region,
        id: parentId,
        status: example.parent.status,
      });
    }
  }
  for (const id of ids) {
    seeds.push({
      type: meta.kind,
      region: example.region,
      id,
      status: opts.status ?? example.status,
      attributes,
    });
  }
  return seeds;
}

/** The request entry naming `ids` of a kind (its example region, and their parent as appId). */
export function exampleGroup(meta: KindMeta, ids: string[]): ReturnType<KindFixture['group']> {
  return {
    kind: meta.kind,
    ...(meta.example.region ? { region: meta.example.region } : {}),
    ...(meta.requiresAppId ? { appId: parentOf.get(ids[0]!) ?? `app-${ids[0]}` } : {}),
    ids,
  };
}

export function fixtureOf(meta: KindMeta): KindFixture {
  return {
    kind: meta.kind,
    region: meta.example.region,
    deleteAction: meta.calls.delete,
    newId: () => `${meta.example.idPrefix}${unique()}`,
    // Each resource gets its own parent unless attributes name one: SAE runs one change order per
    // application at a time, so unrelated tests must not share one.
    seed: (stack, id, attributes = {}, status) =>
      stack.emulator.seed(
        exampleSeeds(meta, [id], {
          attributes,
          status,
          existing: (parentId) =>
            stack.emulator.resources(meta.example.parent!.type).some((r) => r.id === parentId),
        }),
      ),
    group: (ids) => exampleGroup(meta, ids),
    seedCodes: meta.documentedErrors.map(([code, status, errorClass]) => [code, status, errorClass]),
  };
}

export const FIXTURES: Record<KindName, KindFixture> = Object.fromEntries(
  Object.values(KINDS).map((meta) => [meta.kind, fixtureOf(meta)]),
);

/**
 * The ids one provider call named, from its wire parameters: every registered kind's
 * idParameters, indexed ('InstanceId.1'), as a list, a JSON list or comma-separated.
 */
export function idsInCall(params: Record<string, unknown>): string[] {
  const names = new Set(Object.values(KINDS).flatMap((meta) => meta.idParameters));
  const out: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    const indexed = /^(.+)\.\d+$/.exec(key);
    if (indexed && names.has(indexed[1]!)) out.push(String(value));
  }
  for (const name of names) {
    const v = params[name];
    if (Array.isArray(v)) out.push(...v.map(String));
    else if (typeof v === 'string')
      out.push(...(v.trim().startsWith('[') ? (JSON.parse(v) as string[]) : v.split(',')));
  }
  return [...new Set(out.map((s) => s.trim()).filter(Boolean))].sort();
}
