import type { Distribution } from './distribution.ts';

/**
 * A discrete distribution over `values` with relative `weights` (all 1 when
 * omitted). Sampling is one uniform draw and a binary search over the cumulative
 * weights, so it is exact for any weights.
 */
export function empirical(values: readonly number[], weights?: readonly number[]): Distribution {
  if (values.length === 0) throw new RangeError('empirical needs at least one value');
  const w = weights ?? values.map(() => 1);
  if (w.length !== values.length) throw new RangeError(`empirical has ${values.length} values but ${w.length} weights`);
  const cumulative = new Float64Array(values.length);
  let total = 0;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i]!;
    if (!(wi >= 0) || !Number.isFinite(wi)) throw new RangeError(`empirical weight ${i} must be finite and >= 0, got ${wi}`);
    total += wi;
    cumulative[i] = total;
  }
  if (!(total > 0)) throw new RangeError('empirical weights must not all be zero');
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += (values[i]! * w[i]!) / total;
  let variance = 0;
  for (let i = 0; i < values.length; i++) variance += ((values[i]! - mean) ** 2 * w[i]!) / total;
  const vals = Float64Array.from(values);
  const last = vals.length - 1;
  return {
    kind: 'empirical',
    mean,
    variance,
    source: (rng) => () => {
      const u = rng() * total;
      // First index whose cumulative weight exceeds u; zero-weight values are never chosen.
      let lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > u) hi = mid;
        else lo = mid + 1;
      }
      return vals[lo]!;
    },
  };
}
