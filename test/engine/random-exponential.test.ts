import { describe, expect, it } from 'vitest';
import { exponential, randomExponential, RandomStreams } from '../../src/engine/index.ts';
import { zigguratEdges } from '../../src/engine/distributions/random-exponential.ts';

/**
 * The ziggurat exponential sampler (src/engine/distributions/random-exponential.ts)
 * against Exp(1)'s CDF where the method could go wrong: its layer tables (a wrong area V
 * or a slipped index shifts mass between layers), the wedges (the rejection step) and
 * the tail beyond R = 7.697 (the base strip's second branch). `distributions.test.ts`
 * checks the `exponential` distribution's moments and KS at n = 50k as for every other.
 */
const N = 1_000_000;
const draws = (seed: number, lambda = 1): Float64Array => {
  const g = randomExponential.source(RandomStreams.independent(seed, 'ziggurat'))(lambda);
  const xs = new Float64Array(N);
  for (let i = 0; i < N; i++) xs[i] = g();
  return xs;
};

describe('ziggurat exponential', () => {
  const xs = draws(1);

  it("writes out the layer edges the recurrence gives (Node 20's Math.log and Math.exp)", () => {
    // X[0] = V·e^R, X[1] = R, X[i+1] = −ln(V/X[i] + e^−X[i]), X[256] = 0. Relative 1e−15
    // (a few ulps): another engine's Math.log may differ in the last bits, which is why
    // the table is written out; a mistyped entry is off by far more.
    const R = 7.69711747013105;
    const V = 0.003949659822581557;
    const want = [V * Math.exp(R), R];
    for (let i = 1; i < 256; i++) want.push(-Math.log(V / want[i]! + Math.exp(-want[i]!)));
    expect(Math.abs(want[256]!)).toBeLessThan(1e-14);
    want[256] = 0;
    const table = zigguratEdges();
    expect(table.length).toBe(257);
    want.forEach((w, i) => expect(Math.abs(table[i]! - w), `X[${i}]`).toBeLessThanOrEqual(1e-15 * w));
  });

  it('puts Exp(1) mass in 256 equal-probability bins (chi-square at α = 0.001)', () => {
    // Bin k holds (−ln(1 − k/256), −ln(1 − (k+1)/256)]: the draws of a wrong layer table
    // or wedge pile into some bins. Chi-square with 255 degrees of freedom; its 0.999
    // quantile is 330.5 (Wilson–Hilferty: 255·(1 − 2/(9·255) + 3.0902·√(2/(9·255)))³).
    // For scale: moving 0.2 % of the draws from one bin to its neighbour adds about
    // 2·(2000)²/3906 ≈ 2,000 to the statistic.
    const bins = new Float64Array(256);
    for (const x of xs) bins[Math.min(255, Math.floor(256 * -Math.expm1(-x)))]!++;
    const e = N / 256;
    let chi2 = 0;
    for (const b of bins) chi2 += (b - e) ** 2 / e;
    const df = 255;
    const crit = df * (1 - 2 / (9 * df) + 3.0902 * Math.sqrt(2 / (9 * df))) ** 3;
    expect(crit).toBeCloseTo(330.5, 0);
    expect(chi2).toBeLessThan(crit);
  });

  it('has the tail beyond R right: P(X > R) = e^−R, and past it the exponential forgets', () => {
    // The count beyond R is Binomial(N, e^−R ≈ 4.54e−4): mean 454, SE 21; 5 SE. Past R the
    // excess X − R is again Exp(1): its mean is 1 with SE 1/√454 = 0.047; 5 SE.
    const R = 7.69711747013105;
    let n = 0;
    let excess = 0;
    for (const x of xs) {
      if (x > R) {
        n++;
        excess += x - R;
      }
    }
    const p = Math.exp(-R);
    expect(Math.abs(n - N * p)).toBeLessThan(5 * Math.sqrt(N * p));
    expect(Math.abs(excess / n - 1)).toBeLessThan(5 / Math.sqrt(N * p));
    // Beyond 12 (P = 6.1e−6, 6 expected): a tail that stopped at R or at a table edge would give none.
    expect(xs.some((x) => x > 12)).toBe(true);
  });

  it('scales by the rate, draws the same numbers for the same stream, and feeds the exponential distribution', () => {
    // Mean 1/λ: the sample mean of N draws has SE (1/λ)/√N; 5 SE.
    const fast = draws(2, 4);
    let sum = 0;
    for (const x of fast) sum += x;
    expect(Math.abs(sum / N - 0.25)).toBeLessThan((5 * 0.25) / Math.sqrt(N));
    const again = draws(2, 4);
    expect(again.every((x, i) => x === fast[i])).toBe(true);
    const d = exponential(0.25).source(RandomStreams.independent(2, 'ziggurat'));
    for (let i = 0; i < 1000; i++) expect(d()).toBe(fast[i]!);
    expect(() => randomExponential(1)()).toThrow(/needs a seeded source/);
  });
});
