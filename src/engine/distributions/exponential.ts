import { randomExponential } from './random-exponential.ts';
import type { Distribution } from './distribution.ts';

/** Exponential with the given mean (rate 1/mean); variance mean². */
export function exponential(mean: number): Distribution {
  if (!(mean > 0)) throw new RangeError(`exponential mean must be > 0, got ${mean}`);
  return {
    kind: 'exponential',
    mean,
    variance: mean * mean,
    source: (rng) => randomExponential.source(rng)(1 / mean),
    lst: (s) => 1 / (1 + mean * s),
  };
}
