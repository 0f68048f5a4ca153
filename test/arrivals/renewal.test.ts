/**
 * Renewal arrivals (src/models/arrivals/renewal.ts): each gap family's empirical mean
 * and coefficient of variation against the ones asked for, its Laplace–Stieltjes
 * transform against the sample, and seeding (same seed, same arrivals; another seed,
 * others).
 *
 * Tolerances. N = 200,000 independent gaps per case (500,000 for the hyperexponentials,
 * whose fourth moment makes the sample variance noisy: at cv = 3 its SE is 2.5 % of
 * the variance with 200,000, 1.6 % with 500,000). The sample mean's standard error
 * is sd/√N = cv·mean/√N (0.45 % of the mean at cv = 2); the sample variance's is
 * sd((x − x̄)²)/√N, estimated from the same sample (the delta method; it is what makes
 * heavy-tailed families such as the hyperexponential at cv = 3 testable at all). Each
 * check allows 5 SE: a correct generator fails one with probability under 1e-6, while
 * a wrong shape (say cv 2 drawn as 1.9, a 10 % error in cv²) is 5 to 20 SE away.
 */
import { describe, expect, it } from 'vitest';
import { arrivalsSpec } from '../../src/config/schema.ts';
import type { RenewalSpec } from '../../src/config/renewal-spec.ts';
import { RandomStreams, Simulation } from '../../src/engine/index.ts';
import { makeRenewal, renewalGap } from '../../src/models/arrivals/renewal.ts';

const N = 200_000;
const K = 5;

const spec = (input: Record<string, unknown>): RenewalSpec => arrivalsSpec.parse({ process: 'renewal', ...input }) as RenewalSpec;

function gaps(s: RenewalSpec, seed: number, n = N): Float64Array {
  const p = makeRenewal(s, new Simulation({ seed }));
  const out = new Float64Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    const u = p.next(t);
    out[i] = u - t;
    t = u;
  }
  return out;
}

function moments(x: Float64Array): { mean: number; variance: number; seMean: number; seVariance: number } {
  let sum = 0;
  for (const v of x) sum += v;
  const mean = sum / x.length;
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  const variance = ss / (x.length - 1);
  let ss4 = 0;
  for (const v of x) ss4 += ((v - mean) ** 2 - variance) ** 2;
  return { mean, variance, seMean: Math.sqrt(variance / x.length), seVariance: Math.sqrt(ss4 / (x.length - 1) / x.length) };
}

const CASES: Array<{ label: string; input: Record<string, unknown>; meanS: number; cv: number; seed: number; n?: number }> = [
  { label: 'gamma cv 2', input: { qps: 50, gap: { dist: 'gamma', cv: 2 } }, meanS: 0.02, cv: 2, seed: 101 },
  { label: 'gamma cv 0.5', input: { qps: 50, gap: { dist: 'gamma', cv: 0.5 } }, meanS: 0.02, cv: 0.5, seed: 102 },
  { label: 'weibull cv 2', input: { qps: 10, gap: { dist: 'weibull', cv: 2 } }, meanS: 0.1, cv: 2, seed: 103 },
  { label: 'weibull cv 0.3', input: { qps: 10, gap: { dist: 'weibull', cv: 0.3 } }, meanS: 0.1, cv: 0.3, seed: 104 },
  { label: 'lognormal cv 0.8', input: { qps: 200, gap: { dist: 'lognormal', cv: 0.8 } }, meanS: 0.005, cv: 0.8, seed: 105 },
  { label: 'erlang-4', input: { qps: 4, gap: { dist: 'erlang', k: 4 } }, meanS: 0.25, cv: 0.5, seed: 106 },
  { label: 'hyperexponential cv 3 (balanced)', input: { qps: 100, gap: { dist: 'hyperexponential', cv: 3 } }, meanS: 0.01, cv: 3, seed: 107, n: 500_000 },
  // Reference: mean 0.9·5 + 0.1·155 = 20 ms; E[X²] = 2(0.9·25 + 0.1·24,025) = 4,850 ms², so cv² = 4,850/400 − 1 = 11.125.
  {
    label: 'hyperexponential, explicit phases',
    input: { gap: { dist: 'hyperexponential', phases: [{ p: 0.9, mean: '5ms' }, { p: 0.1, mean: '155ms' }] } },
    meanS: 0.02,
    cv: Math.sqrt(11.125),
    seed: 108,
    n: 500_000,
  },
];

describe.each(CASES)('renewal gaps: $label', (cs) => {
  const s = spec(cs.input);
  const x = gaps(s, cs.seed, cs.n ?? N);
  const m = moments(x);

  it('the distribution knows the mean and cv asked for', () => {
    const d = renewalGap(s.gap, s.qps);
    expect(d.mean).toBeCloseTo(cs.meanS, 12);
    expect(Math.sqrt(d.variance) / d.mean).toBeCloseTo(cs.cv, 9);
    expect(s.qps).toBeCloseTo(1 / cs.meanS, 9);
  });

  it('the empirical mean is the asked one within 5 SE', () => {
    expect(Math.abs(m.mean - cs.meanS)).toBeLessThanOrEqual(K * m.seMean);
  });

  it('the empirical variance (so cv) is the asked one within 5 SE', () => {
    const want = (cs.cv * cs.meanS) ** 2;
    expect(Math.abs(m.variance - want)).toBeLessThanOrEqual(K * m.seVariance);
    // Power: the check can tell a 10 % error in cv² apart.
    expect(K * m.seVariance).toBeLessThan(0.1 * want);
  });

  it('the Laplace–Stieltjes transform matches the sample mean of e^{−sX} within 5 SE', () => {
    const d = renewalGap(s.gap, s.qps);
    for (const sS of [0.5 / cs.meanS, 2 / cs.meanS]) {
      let sum = 0;
      let sq = 0;
      for (const v of x) {
        const e = Math.exp(-sS * v);
        sum += e;
        sq += e * e;
      }
      const mean = sum / x.length;
      const se = Math.sqrt((sq / x.length - mean * mean) / x.length);
      expect(Math.abs(d.lst!(sS) - mean), `s = ${sS}`).toBeLessThanOrEqual(K * se);
    }
  });
});

describe('renewal arrivals: seeding', () => {
  const s = spec({ qps: 50, gap: { dist: 'weibull', cv: 1.5 } });

  it('the same seed gives the same arrivals, another seed others', () => {
    expect(gaps(s, 9, 1000)).toEqual(gaps(s, 9, 1000));
    expect(gaps(s, 10, 1000)).not.toEqual(gaps(s, 9, 1000));
  });

  it('draws from the run\'s "arrivals" stream, like every arrival process', () => {
    const rng = RandomStreams.independent(9, 'arrivals');
    const d = renewalGap(s.gap, s.qps).source(rng);
    const p = makeRenewal(s, new Simulation({ seed: 9 }));
    let t = 0;
    let u = 0;
    for (let i = 0; i < 5; i++) {
      t = p.next(t);
      u += d();
      expect(t).toBe(u);
    }
  });

  it('exposes its rate, cv² and gap law for the load check and theory', () => {
    const p = makeRenewal(spec({ qps: 40, gap: { dist: 'gamma', cv: 2 } }), new Simulation({ seed: 1 }));
    expect(p.meanRateRps).toBeCloseTo(40, 12);
    expect(p.meanRate(0, 10)).toBeCloseTo(40, 12);
    expect(p.interarrivalScv).toBeCloseTo(4, 12);
    expect(p.gapDistribution?.kind).toBe('gamma');
  });
});

describe('gap laws at their edges', () => {
  it('weibull and gamma of cv 1 and a balanced hyperexponential of cv 1 are the exponential (LST 1/(1 + ms))', () => {
    for (const gap of [{ dist: 'weibull', cv: 1 }, { dist: 'gamma', cv: 1 }, { dist: 'hyperexponential', cv: 1 }, { dist: 'erlang', k: 1 }]) {
      const d = renewalGap(spec({ qps: 2, gap }).gap, 2);
      for (const sS of [0.1, 1, 10]) expect(d.lst!(sS), `${gap.dist} at s = ${sS}`).toBeCloseTo(1 / (1 + 0.5 * sS), 9);
    }
  });
});
