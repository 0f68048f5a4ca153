/**
 * Each distribution against its own declared moments and CDF (the d3-random and Ciw
 * habit: a distribution knows its mean and variance, and tests hold it to them).
 * Every case draws from its own named stream, RandomStreams.independent(seed, name).
 *
 * Tolerances. With n iid samples the sample mean has SE √(σ²/n) and the sample
 * variance has SE √((μ₄ − σ⁴)/n), μ₄ the fourth central moment (Cramér, "Mathematical
 * Methods of Statistics", ch. 27); both are near normal at n = 200k for the
 * distributions below, so |error| ≤ 5·SE fails a correct sampler with probability
 * under 10⁻⁶ per check, while a sampler off by a few SE (e.g. a rate/mean mix-up, a
 * clipped tail, a wrong σ) fails. μ₄ is computed exactly from each family's kurtosis.
 */
import { describe, expect, it } from 'vitest';
import {
  RandomStreams,
  deterministic,
  empirical,
  exponential,
  gamma,
  lognormal,
  uniform,
  type Distribution,
  type Rng,
} from '../../src/engine/index.ts';

const N = 200_000;
const K = 5;

function draw(d: Distribution, name: string, n = N, seed = 2024): Float64Array {
  const sample = d.source(RandomStreams.independent(seed, name));
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = sample();
  return xs;
}

function moments(xs: Float64Array): { mean: number; variance: number } {
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return { mean, variance: ss / (xs.length - 1) };
}

/** Lognormal kurtosis μ₄/σ⁴ = e^{4s²} + 2e^{3s²} + 3e^{2s²} − 3, s² = ln(1 + cv²). */
function lognormalKurtosis(cv: number): number {
  const s2 = Math.log1p(cv * cv);
  return Math.exp(4 * s2) + 2 * Math.exp(3 * s2) + 3 * Math.exp(2 * s2) - 3;
}

interface MomentCase {
  name: string;
  d: Distribution;
  /** Declared moments, written out by hand from the parameters. */
  mean: number;
  variance: number;
  /** μ₄/σ⁴ of the family, for the SE of the sample variance. */
  kurtosis: number;
}

const CASES: MomentCase[] = [
  // Reference: Exp(mean 2): mean 2, variance 4, kurtosis 9.
  { name: 'exponential', d: exponential(2), mean: 2, variance: 4, kurtosis: 9 },
  // Reference: U[1, 3): mean 2, variance 2²/12 = 1/3, kurtosis 9/5.
  { name: 'uniform', d: uniform(1, 3), mean: 2, variance: 1 / 3, kurtosis: 9 / 5 },
  // Reference: mean 0.01, cv 0.5: variance (0.005)² = 2.5e-5; kurtosis 8.04.
  { name: 'lognormal-cv0.5', d: lognormal(0.01, 0.5), mean: 0.01, variance: 2.5e-5, kurtosis: lognormalKurtosis(0.5) },
  // Reference: gamma mean 2, cv 0.5 (shape 4, scale 0.5): variance 1, kurtosis 3 + 6/4.
  { name: 'gamma-cv0.5', d: gamma(2, 0.5), mean: 2, variance: 1, kurtosis: 4.5 },
  // Reference: gamma mean 1, cv 2 (shape 1/4 < 1, the other branch of the sampler):
  // variance 4, kurtosis 3 + 6·4 = 27.
  { name: 'gamma-cv2', d: gamma(1, 2), mean: 1, variance: 4, kurtosis: 27 },
  // Reference: values 0.1, 0.2, 0.5, 1 with weights 1, 0, 3, 6 (total 10):
  // mean (0.1 + 1.5 + 6)/10 = 0.76, E[X²] = (0.01 + 0.75 + 6)/10 = 0.676,
  // variance 0.676 − 0.5776 = 0.0984. Kurtosis computed below from the same table.
  {
    name: 'empirical',
    d: empirical([0.1, 0.2, 0.5, 1], [1, 0, 3, 6]),
    mean: 0.76,
    variance: 0.0984,
    kurtosis: (0.1 * (0.1 - 0.76) ** 4 + 0.3 * (0.5 - 0.76) ** 4 + 0.6 * (1 - 0.76) ** 4) / 0.0984 ** 2,
  },
];

describe.each(CASES)('$name', (c) => {
  it('declares the moments of its parameters', () => {
    expect(c.d.mean).toBeCloseTo(c.mean, 12);
    expect(c.d.variance / c.variance).toBeCloseTo(1, 12);
  });

  it('sample mean and variance agree with the declared ones within 5 SE', () => {
    const xs = draw(c.d, c.name);
    const m = moments(xs);
    const seMean = Math.sqrt(c.variance / N);
    const seVar = Math.sqrt(((c.kurtosis - 1) * c.variance * c.variance) / N);
    expect(Math.abs(m.mean - c.mean), `mean ${m.mean} vs ${c.mean} (SE ${seMean})`).toBeLessThanOrEqual(K * seMean);
    expect(Math.abs(m.variance - c.variance), `variance ${m.variance} vs ${c.variance} (SE ${seVar})`).toBeLessThanOrEqual(K * seVar);
    // Power: both SEs are under 2 % of the value, so a 10 % error cannot pass.
    expect(seMean / c.mean).toBeLessThan(0.02);
    expect(seVar / c.variance).toBeLessThan(0.02);
    for (const x of xs) if (!(x >= 0)) throw new Error(`negative or NaN sample ${x}`);
  });
});

describe('lognormal with cv = 2 (heavy tail)', () => {
  it('has the declared mean, and ln X ~ N(ln(mean) − s²/2, s²) with s² = ln(1 + cv²)', () => {
    // Its kurtosis is about 10⁴, so the sample variance is useless at any practical n;
    // the log of the samples is exactly normal, and its moments are tested instead.
    const d = lognormal(1, 2);
    expect(d.variance).toBeCloseTo(4, 12);
    const xs = draw(d, 'lognormal-cv2');
    const s2 = Math.log(5); // Reference: ln(1 + 2²) = 1.6094
    const mu = -s2 / 2; // Reference: ln(1) − s²/2 = −0.8047
    const logs = moments(xs.map(Math.log));
    // ln X normal: SE of mean √(s²/n), of variance √(2s⁴/n).
    expect(Math.abs(logs.mean - mu)).toBeLessThanOrEqual(K * Math.sqrt(s2 / N));
    expect(Math.abs(logs.variance - s2)).toBeLessThanOrEqual(K * Math.sqrt((2 * s2 * s2) / N));
    // The mean itself: SE √(4/n) = 0.45 %. The lognormal's skewness is
    // (e^{s²} + 2)√(e^{s²} − 1) = 14, so the mean of 200k samples has skewness 0.03:
    // near normal, and 5 SE is a safe bound.
    expect(Math.abs(moments(xs).mean - 1)).toBeLessThanOrEqual(K * Math.sqrt(4 / N));
  });
});

// ---------------------------------------------------------------------------
// CDF checks.

/** Complementary error function (Numerical Recipes erfcc, |relative error| < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
const normalCdf = (x: number): number => 0.5 * erfc(-x / Math.SQRT2);

/** Kolmogorov–Smirnov statistic sup |F_n − F| of a sample against a continuous CDF. */
function ksStatistic(xs: Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(xs).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

interface CdfCase {
  name: string;
  d: Distribution;
  cdf: (x: number) => number;
  /** The inverse CDF, for spot checks at fixed probabilities. */
  quantile: (p: number) => number;
}

const LN_S2 = Math.log1p(0.25); // lognormal(1, cv 0.5)
const LN_MU = -LN_S2 / 2;
const CDF_CASES: CdfCase[] = [
  { name: 'exponential', d: exponential(2), cdf: (x) => 1 - Math.exp(-x / 2), quantile: (p) => -2 * Math.log(1 - p) },
  { name: 'uniform', d: uniform(1, 3), cdf: (x) => Math.min(1, Math.max(0, (x - 1) / 2)), quantile: (p) => 1 + 2 * p },
  {
    name: 'lognormal',
    d: lognormal(1, 0.5),
    cdf: (x) => normalCdf((Math.log(x) - LN_MU) / Math.sqrt(LN_S2)),
    // Reference: standard normal quantiles for the spot-check probabilities below.
    quantile: (p) => Math.exp(LN_MU + Math.sqrt(LN_S2) * ({ 0.01: -2.326348, 0.1: -1.281552, 0.5: 0, 0.9: 1.281552, 0.99: 2.326348 } as Record<number, number>)[p]!),
  },
  {
    // Shape 4 is an Erlang-4 of rate 2: F(x) = 1 − e^{−2x} Σ_{j<4} (2x)ʲ/j!.
    name: 'gamma (Erlang-4)',
    d: gamma(2, 0.5),
    cdf: (x) => 1 - Math.exp(-2 * x) * (1 + 2 * x + (2 * x) ** 2 / 2 + (2 * x) ** 3 / 6),
    // Reference: chi-square(8)/4 quantiles: χ²₈ at 0.01, 0.1, 0.5, 0.9, 0.99 = 1.6465, 3.4895, 7.3441, 13.3616, 20.0902.
    quantile: (p) => ({ 0.01: 1.6465, 0.1: 3.4895, 0.5: 7.3441, 0.9: 13.3616, 0.99: 20.0902 } as Record<number, number>)[p]! / 4,
  },
];

describe.each(CDF_CASES)('$name CDF', (c) => {
  const n = 50_000;
  const xs = draw(c.d, `${c.name}/cdf`, n, 99);

  it('passes Kolmogorov–Smirnov at α = 0.001', () => {
    // Reference: asymptotic Kolmogorov critical value √(−ln(α/2)/2)/√n = 1.949/√n
    // (0.0087 at n = 50k). For scale: a mean off by 2 % moves the exponential CDF by
    // 0.0074 near x = mean (with sampling noise, D would reach the bound), and clipping
    // gaps at 3·mean, as Vidur does, moves it by e⁻³ = 0.05.
    expect(ksStatistic(xs, c.cdf)).toBeLessThan(1.949 / Math.sqrt(n));
  });

  it('puts the right mass below fixed quantiles', () => {
    // The count below x_p is Binomial(n, p): SE √(p(1 − p)/n); 5 SE as above.
    for (const p of [0.01, 0.1, 0.5, 0.9, 0.99]) {
      const xp = c.quantile(p);
      expect(c.cdf(xp)).toBeCloseTo(p, 4); // the quantile table matches the CDF
      let below = 0;
      for (const x of xs) if (x <= xp) below++;
      expect(Math.abs(below / n - p), `P(X ≤ ${xp}) should be ${p}`).toBeLessThanOrEqual(K * Math.sqrt((p * (1 - p)) / n));
    }
  });
});

describe('empirical', () => {
  it('picks each value with frequency weight/total and never a zero-weight value', () => {
    const values = [10, 20, 30, 40, 50];
    const weights = [5, 0, 1, 3.5, 0.5]; // total 10
    const xs = draw(empirical(values, weights), 'empirical/freq');
    const counts = new Map<number, number>();
    for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
    expect(counts.get(20)).toBeUndefined();
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([10, 30, 40, 50]);
    // Each count is Binomial(N, p): 5 SE of √(p(1 − p)/N).
    values.forEach((v, i) => {
      const p = weights[i]! / 10;
      const f = (counts.get(v) ?? 0) / N;
      expect(Math.abs(f - p), `frequency of ${v}`).toBeLessThanOrEqual(K * Math.sqrt((p * (1 - p)) / N) + 1e-12);
    });
  });

  it('without weights, every value is equally likely; one value is a constant', () => {
    const xs = draw(empirical([1, 2, 3, 4]), 'empirical/equal');
    for (const v of [1, 2, 3, 4]) {
      const f = xs.filter((x) => x === v).length / N;
      expect(Math.abs(f - 0.25)).toBeLessThanOrEqual(K * Math.sqrt((0.25 * 0.75) / N));
    }
    const one = empirical([7]);
    expect(one.mean).toBe(7);
    expect(one.variance).toBe(0);
    expect(draw(one, 'empirical/one', 100).every((x) => x === 7)).toBe(true);
  });

  it('rejects bad tables', () => {
    expect(() => empirical([])).toThrow(RangeError);
    expect(() => empirical([1, 2], [1])).toThrow(RangeError);
    expect(() => empirical([1, 2], [0, 0])).toThrow(RangeError);
    expect(() => empirical([1, 2], [1, -1])).toThrow(RangeError);
  });
});

describe('deterministic', () => {
  it('always returns its value and draws nothing from its source', () => {
    let calls = 0;
    const counting: Rng = () => {
      calls++;
      return 0.5;
    };
    const d = deterministic(0.25);
    expect(d.mean).toBe(0.25);
    expect(d.variance).toBe(0);
    const sample = d.source(counting);
    for (let i = 0; i < 1000; i++) expect(sample()).toBe(0.25);
    expect(calls).toBe(0);
  });
});

describe('parameter checks', () => {
  it('refuses parameters outside each family', () => {
    expect(() => exponential(0)).toThrow(RangeError);
    expect(() => exponential(Number.NaN)).toThrow(RangeError);
    expect(() => deterministic(-1)).toThrow(RangeError);
    expect(() => deterministic(Infinity)).toThrow(RangeError);
    expect(() => uniform(2, 1)).toThrow(RangeError);
    expect(() => lognormal(1, 0)).toThrow(RangeError);
    expect(() => lognormal(0, 1)).toThrow(RangeError);
    expect(() => gamma(1, 0)).toThrow(RangeError);
    expect(() => gamma(-1, 1)).toThrow(RangeError);
  });
});
