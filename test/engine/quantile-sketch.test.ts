/**
 * QuantileSketch (log-linear buckets with DDSketch's guarantees, Masson, Rim & Lee,
 * VLDB 2019) against exact order statistics: every quantile within 0.1 % relative of the value of rank ⌊q·(n−1)⌋,
 * exact count/sum/min/max, exact merges, and memory that does not grow with count.
 */
import { describe, expect, it } from 'vitest';
import { QuantileSketch, RandomStreams, SKETCH_RELATIVE_ACCURACY, type Rng } from '../../src/engine/index.ts';

const QS = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

/** The exact q-quantile as the sketch defines it: sorted[⌊q·(n−1)⌋]. */
function exactQuantile(sorted: Float64Array, q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

function sketchOf(values: Iterable<number>): QuantileSketch {
  const s = new QuantileSketch();
  for (const v of values) s.record(v);
  return s;
}

/** Log-uniform over [10^lo, 10^hi]: equal mass in every decade. */
function logUniform(rng: Rng, n: number, lo: number, hi: number): Float64Array {
  return Float64Array.from({ length: n }, () => 10 ** (lo + (hi - lo) * rng()));
}

describe('QuantileSketch accuracy', () => {
  it.each([
    { name: 'log-uniform over 12 decades (1e-6 to 1e6)', values: logUniform(RandomStreams.independent(1, 'qs/wide'), 100_000, -6, 6) },
    { name: 'latencies around 1 s (1e-3 to 10)', values: logUniform(RandomStreams.independent(2, 'qs/narrow'), 100_000, -3, 1) },
    { name: 'few distinct values with many repeats', values: Float64Array.from({ length: 20_000 }, (_, i) => [0.001, 0.5, 2, 300][i % 4]!) },
    { name: 'tiny sample (n = 3)', values: Float64Array.from([5, 1e-4, 42]) },
  ])('every quantile is within 0.1 % of the exact rank-⌊q(n−1)⌋ value: $name', ({ values }) => {
    const sk = sketchOf(values);
    const sorted = Float64Array.from(values).sort();
    for (const q of QS) {
      const exact = exactQuantile(sorted, q);
      const got = sk.quantile(q);
      // The sketch guarantees |got − exact| ≤ α·exact with α = 0.001 (the worst bucket
      // gives 0.0976 %); 1e-12 absorbs floating-point rounding of the bucket's value.
      expect(Math.abs(got - exact), `q=${q}: ${got} vs ${exact}`).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY * exact * (1 + 1e-12));
    }
  });

  it('uses the floor rank, not an interpolated or ceiling rank, clamped to [min, max]', () => {
    // Values 1, 2, ..., 10 (relative spacing ≥ 10 % ≫ 0.1 %): q = 0.5 has rank
    // ⌊4.5⌋ = 4, the value 5 (interpolation would give 5.5, the ceiling rank 6);
    // q = 0.99 has rank ⌊8.91⌋ = 8, the value 9.
    const sk = sketchOf([3, 1, 4, 10, 5, 9, 2, 6, 8, 7]);
    const within = (got: number, exact: number) => Math.abs(got - exact) <= SKETCH_RELATIVE_ACCURACY * exact * (1 + 1e-12);
    expect(within(sk.quantile(0.5), 5)).toBe(true);
    expect(within(sk.quantile(0.99), 9)).toBe(true);
    for (const q of [0, 1]) {
      expect(sk.quantile(q)).toBeGreaterThanOrEqual(1);
      expect(sk.quantile(q)).toBeLessThanOrEqual(10);
    }
    expect(within(sk.quantile(0), 1)).toBe(true);
    expect(within(sk.quantile(1), 10)).toBe(true);
  });

  it('count, sum, mean, min and max are exact', () => {
    const values = [0.002, 7, 0, 1e-5, 350, 0.3];
    const sk = sketchOf(values);
    expect(sk.count).toBe(6);
    expect(sk.sum).toBe(values.reduce((a, b) => a + b, 0));
    expect(sk.mean).toBe(sk.sum / 6);
    expect(sk.min).toBe(0);
    expect(sk.max).toBe(350);
  });

  it('zeros (requests that never waited) are kept exactly', () => {
    // 40 % zeros: every quantile below rank 0.4·n is exactly 0, the rest positive.
    const values = Float64Array.from({ length: 10_000 }, (_, i) => (i % 5 < 2 ? 0 : 0.001 * (1 + (i % 7))));
    const sk = sketchOf(values);
    const sorted = Float64Array.from(values).sort();
    expect(sk.quantile(0.3)).toBe(0);
    expect(sk.quantile(0.39)).toBe(0);
    for (const q of [0.41, 0.5, 0.99, 1]) {
      const exact = exactQuantile(sorted, q);
      expect(Math.abs(sk.quantile(q) - exact)).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY * exact * (1 + 1e-12));
    }
  });

  it('is NaN everywhere when empty', () => {
    const sk = new QuantileSketch();
    expect(sk.count).toBe(0);
    expect(sk.quantile(0.5)).toBeNaN();
    expect(sk.mean).toBeNaN();
    expect(sk.min).toBeNaN();
    expect(sk.max).toBeNaN();
  });
});

describe('QuantileSketch recordMany', () => {
  it('recording a value n times at once is the sketch of n records: identical quantiles and count', () => {
    const rng = RandomStreams.independent(5, 'qs/many');
    const one = new QuantileSketch();
    const many = new QuantileSketch();
    for (let i = 0; i < 2_000; i++) {
      const v = rng() * 0.05;
      const n = 1 + Math.floor(rng() * 20);
      for (let k = 0; k < n; k++) one.record(v);
      many.recordMany(v, n);
    }
    expect(many.count).toBe(one.count);
    for (const q of QS) expect(many.quantile(q)).toBe(one.quantile(q));
    expect([many.min, many.max]).toEqual([one.min, one.max]);
    // The sum adds v·n instead of n additions of v: equal up to rounding.
    expect(many.sum / one.sum).toBeCloseTo(1, 12);
  });
});

describe('QuantileSketch merge', () => {
  it('merging two sketches equals the sketch of the union', () => {
    // Overlapping and disjoint ranges, different sizes: bucket counts simply add, so
    // every quantile must be identical, not merely close.
    const rng = RandomStreams.independent(3, 'qs/merge');
    const a = logUniform(rng, 30_000, -4, 2);
    const b = logUniform(rng, 50_000, 0.5, 5);
    const c = Float64Array.from([0, 0, 0]); // zeros merge too
    const merged = sketchOf(a);
    merged.merge(sketchOf(b));
    merged.merge(sketchOf(c));
    const union = sketchOf([...a, ...b, ...c]);
    expect(merged.count).toBe(union.count);
    expect(merged.min).toBe(union.min);
    expect(merged.max).toBe(union.max);
    // Sums are added in a different order: equal to rounding.
    expect(merged.sum / union.sum).toBeCloseTo(1, 12);
    for (const q of QS) expect(merged.quantile(q), `q=${q}`).toBe(union.quantile(q));
  });

  it('merging into or from an empty sketch is the identity', () => {
    const values = logUniform(RandomStreams.independent(4, 'qs/empty'), 1000, -2, 2);
    const into = new QuantileSketch();
    into.merge(sketchOf(values));
    const from = sketchOf(values);
    from.merge(new QuantileSketch());
    const plain = sketchOf(values);
    for (const q of QS) {
      expect(into.quantile(q)).toBe(plain.quantile(q));
      expect(from.quantile(q)).toBe(plain.quantile(q));
    }
    expect(into.count).toBe(1000);
    expect(from.count).toBe(1000);
  });

  // Regression kept from the DDSketch days: @datadog/sketches-js 2.1.1 mis-merged a
  // sketch whose largest value was exactly 1 (its key 0). Still worth holding.
  it('merge is exact when the other sketch’s largest value is 1 (key 0)', () => {
    const a = sketchOf([0.25]);
    a.merge(sketchOf([0.5, 1]));
    const union = sketchOf([0.25, 0.5, 1]);
    for (const q of [0, 0.5, 1]) expect(a.quantile(q)).toBe(union.quantile(q));
  });
});

describe('QuantileSketch buckets', () => {
  it('the worst relative error is at an octave\'s first bucket and within 0.1 %', () => {
    // Values just above a power of two sit in the widest bucket relative to their size:
    // [1, 1 + 1/512) is reported as 2·lo·hi/(lo + hi), 0.0976 % from either end.
    for (const v of [1, 1 + 1 / 512 - 1e-12, 2 ** -20, 2 ** 20 * (1 + 1 / 1024)]) {
      const got = sketchOf([v, v * 4]).quantile(0);
      expect(Math.abs(got - v) / v, `${v}`).toBeLessThanOrEqual(0.000977);
    }
  });

  it('values below the smallest normal double count as zeros; huge values stay finite', () => {
    const sk = sketchOf([0, 1e-320, 1e300, Number.MAX_VALUE]);
    expect(sk.quantile(0)).toBe(0);
    // Rank 1 is the subnormal value; the zero bucket reports the exact minimum (0):
    // an absolute error of 1e-320 s.
    expect(sk.quantile(1 / 3)).toBe(0);
    expect(Number.isFinite(sk.quantile(1))).toBe(true);
    expect(Math.abs(sk.quantile(1) - Number.MAX_VALUE) / Number.MAX_VALUE).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY);
  });
});

describe('QuantileSketch memory', () => {
  it('bucket count depends on the range of values, not on how many were recorded', () => {
    // Values in [1 ms, 1 s] span log2(1000) ≈ 10 octaves of 512 buckets: about 5,100
    // keys whatever the count; the dense range grows by doubling, so at most twice that.
    const rng = RandomStreams.independent(5, 'qs/memory');
    const sk = new QuantileSketch();
    const keysNeeded = Math.ceil(Math.log2(1000) * 512) + 512;
    const sizes: number[] = [];
    let recorded = 0;
    for (const target of [10_000, 100_000, 1_000_000]) {
      for (; recorded < target; recorded++) sk.record(10 ** (-3 * rng()));
      sizes.push(sk.bucketCount);
    }
    expect(sk.count).toBe(1_000_000);
    // From 10k to 1M values (100×), the store does not grow once the range is covered.
    for (const n of sizes) expect(n).toBeLessThanOrEqual(2 * keysNeeded);
    expect(sizes[2]).toBe(sizes[1]);
    expect(sizes[1]).toBe(sizes[0]);
  });
});
