// The settings every property test (fast-check) runs with: a fixed seed, so CI runs the same cases
// every time and a failure is replayed exactly (fast-check prints the seed and the path of the
// shrunk counterexample; FC_SEED=<seed> reruns it), and at least 1,000 cases per property.
import type { Parameters } from 'fast-check';

/** The seed of every property, printed in the suites' names and in fast-check's failure message. */
export const FC_SEED = Number(process.env.FC_SEED ?? 20_261_204);
/** Cases per property; FC_RUNS may raise it for a longer local hunt, never lower it below 1,000. */
export const FC_RUNS = Math.max(1_000, Number(process.env.FC_RUNS ?? 1_000));

export function fcOptions<T>(extra: Parameters<T> = {}): Parameters<T> {
  return { seed: FC_SEED, numRuns: FC_RUNS, ...extra };
}
