// The resource kinds of the public contract (design.md section 2), assembled: each kind's facts
// live in its metadata file next to its provider module (src/providers/<cloud>/<product>.kind.ts),
// which registers itself; the generated list below loads them all. No SDK or Node imports:
// workflows, the client schema and providers all read this file.
import './kinds.generated';

export {
  addRegions,
  defineKind,
  describeLimitOf,
  durationName,
  emulatorDurations,
  isKindName,
  KIND_NAMES,
  KINDS,
  prepareSteps,
  regionProblem,
  regionsOf,
  type CloudName,
  type KindMeta,
  type KindName,
} from './providers/kind';
