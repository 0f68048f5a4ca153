import type { Rng } from '../random.ts';

/** Draws one sample. */
export type Sampler = () => number;

/**
 * A probability distribution on the reals that knows its own moments (as Ciw's
 * do) and, bound to a random source, yields a sampler (the d3-random idiom
 * `factory(params).source(rng)` split in two: parameters first, source second).
 */
export interface Distribution {
  /** Registry name of the family, e.g. `"lognormal"`. */
  readonly kind: string;
  /** Expected value. */
  readonly mean: number;
  /** Variance. */
  readonly variance: number;
  /** A sampler drawing from `rng`. */
  source(rng: Rng): Sampler;
  /**
   * Laplace–Stieltjes transform E[e^{−sX}] at s ≥ 0, when the family knows it (GI/M/c
   * theory solves σ = A*(cμ(1 − σ)) with the gap distribution's); absent otherwise.
   */
  lst?(s: number): number;
}

/** Squared coefficient of variation, Var/mean², used by Pollaczek–Khinchine. */
export function scv(d: Distribution): number {
  return d.variance / (d.mean * d.mean);
}
