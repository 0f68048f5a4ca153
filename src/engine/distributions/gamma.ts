import { randomGamma } from 'd3-random';
import type { Distribution } from './distribution.ts';

/**
 * Gamma given by mean and coefficient of variation: shape k = 1/cv², scale
 * θ = mean·cv², so kθ = mean and kθ² = (mean·cv)². cv = 1 is the exponential,
 * cv = 1/√k the Erlang-k. Laplace–Stieltjes transform (1 + θs)^{−k}.
 */
export function gamma(mean: number, cv: number): Distribution {
  if (!(mean > 0)) throw new RangeError(`gamma mean must be > 0, got ${mean}`);
  if (!(cv > 0)) throw new RangeError(`gamma cv must be > 0, got ${cv}`);
  const k = 1 / (cv * cv);
  const theta = mean * cv * cv;
  return {
    kind: 'gamma',
    mean,
    variance: (mean * cv) ** 2,
    source: (rng) => randomGamma.source(rng)(k, theta),
    lst: (s) => (1 + theta * s) ** -k,
  };
}
