import { randomUniform } from 'd3-random';
import type { Distribution } from './distribution.ts';

/** Uniform on [min, max): mean (min+max)/2, variance (max−min)²/12. */
export function uniform(min: number, max: number): Distribution {
  if (!(max >= min)) throw new RangeError(`uniform needs min <= max, got ${min} > ${max}`);
  const w = max - min;
  return {
    kind: 'uniform',
    mean: (min + max) / 2,
    variance: (w * w) / 12,
    source: (rng) => randomUniform.source(rng)(min, max),
  };
}
