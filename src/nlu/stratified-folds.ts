import { createRandom, shuffle } from "./random.ts";

/**
 * Assigns each item a fold in [0, k) so every stratum (e.g. intent + language) is spread evenly
 * over the folds; deterministic for a seed.
 */
export function stratifiedFolds(strata: readonly string[], k: number, seed = 11): number[] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`folds must be an integer ≥ 2, got ${k}`);
  const random = createRandom(seed);
  const byStratum = new Map<string, number[]>();
  strata.forEach((stratum, i) => {
    const list = byStratum.get(stratum) ?? [];
    list.push(i);
    byStratum.set(stratum, list);
  });
  const folds = new Array<number>(strata.length).fill(0);
  let next = 0;
  for (const stratum of [...byStratum.keys()].sort()) {
    for (const i of shuffle(byStratum.get(stratum) as number[], random)) folds[i] = next++ % k;
  }
  return folds;
}
