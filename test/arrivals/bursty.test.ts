/**
 * Bursty (MMPP-2) arrivals against their theory: long-run rate, the count variance
 * of a doubly stochastic Poisson process, and the marginal inter-arrival SCV.
 *
 * Tolerances. Counts of an MMPP are over-dispersed, so a count's sd is taken from
 * `burstyCountVariance` (exact for the stationary chain; our runs start in the normal
 * state, which shifts the mean by the transient term of `burstyExpectedCount` and the
 * variance by terms that do not grow with the horizon, negligible over 2,000 s = 2,200/σ). For the SCV and the index of dispersion no
 * closed-form sampling variance is at hand (gaps are correlated), so we use
 * independent replications: the mean of R = 10 runs, whose standard error is the
 * replications' sd / √R; |mean − theory| ≤ 4.5 SE fails a correct model with
 * probability ≈ 0.15 % (Student t, 9 degrees of freedom).
 */
import { describe, expect, it } from 'vitest';
import { arrivalsSpec } from '../../src/config/schema.ts';
import { Simulation } from '../../src/engine/index.ts';
import {
  burstyCountVariance,
  burstyExpectedCount,
  burstyExpectedRateRps,
  burstyInterarrivalScv,
  burstyMeanRateRps,
  makeBursty,
  type BurstySpec,
} from '../../src/models/arrivals/bursty.ts';

const spec = (input: Record<string, unknown>): BurstySpec => arrivalsSpec.parse({ process: 'bursty', ...input }) as BurstySpec;

// 100 req/s normally, 1,000 req/s in bursts of 1 s on average, every ~10 s.
const SPEC = spec({ qps: 100, burstQps: 1000, meanNormal: '10s', meanBurst: '1s' });
const HORIZON_S = 2000;
const WINDOW_S = 50;
const R = 10;
const T_SE = 4.5;

interface Replication {
  count: number;
  scv: number;
  /** Variance / mean of counts in WINDOW_S windows. */
  idc: number;
}

function replicate(seed: number): Replication {
  const p = makeBursty(SPEC, new Simulation({ seed }));
  const windows = new Array<number>(HORIZON_S / WINDOW_S).fill(0);
  let t = 0;
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (;;) {
    const u = p.next(t);
    if (u >= HORIZON_S) break;
    const gap = u - t;
    t = u;
    n++;
    sum += gap;
    sumSq += gap * gap;
    windows[Math.floor(u / WINDOW_S)]!++;
  }
  const meanGap = sum / n;
  // The first window holds the normal-state start; drop it from the dispersion.
  const ws = windows.slice(1);
  const wMean = ws.reduce((s, c) => s + c, 0) / ws.length;
  const wVar = ws.reduce((s, c) => s + (c - wMean) ** 2, 0) / (ws.length - 1);
  return { count: n, scv: (sumSq / n - meanGap * meanGap) / (meanGap * meanGap), idc: wVar / wMean };
}

const runs = Array.from({ length: R }, (_, i) => replicate(100 + i));

function meanAndSe(xs: readonly number[]): { mean: number; se: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
  return { mean, se: sd / Math.sqrt(xs.length) };
}

describe('bursty (MMPP-2) arrivals', () => {
  it('closed forms: mean rate, transient and SCV reduce correctly', () => {
    // Reference: (100·10 + 1000·1)/11 = 181.818… req/s.
    expect(burstyMeanRateRps(SPEC)).toBeCloseTo(2000 / 11, 9);
    expect(burstyExpectedRateRps(SPEC, 0)).toBeCloseTo(100, 9); // starts in the normal state
    expect(burstyExpectedRateRps(SPEC, 1e3)).toBeCloseTo(2000 / 11, 9);
    // Equal rates: plain Poisson, SCV 1 and variance = mean.
    const flat = { ...SPEC, burstQps: 100 };
    expect(burstyInterarrivalScv(flat)).toBeCloseTo(1, 12);
    expect(burstyCountVariance(flat, 60)).toBeCloseTo(6000, 6);
    const p = makeBursty(SPEC, new Simulation({ seed: 1 }));
    expect(p.meanRateRps).toBeCloseTo(2000 / 11, 9);
    expect(p.interarrivalScv).toBe(burstyInterarrivalScv(SPEC));
  });

  it('counts over 2,000 s match the long-run rate within the MMPP count sd', () => {
    const expected = burstyExpectedCount(SPEC, 0, HORIZON_S);
    const sd = Math.sqrt(burstyCountVariance(SPEC, HORIZON_S)); // ≈ 15,600 on ≈ 363,600
    for (const r of runs) expect(Math.abs(r.count - expected)).toBeLessThan(4 * sd);
    const total = runs.reduce((s, r) => s + r.count, 0);
    expect(Math.abs(total - R * expected)).toBeLessThan(4 * sd * Math.sqrt(R));
  });

  it('the inter-arrival SCV matches the MAP formula and is clearly above 1', () => {
    const theory = burstyInterarrivalScv(SPEC); // ≈ 2.34
    const { mean, se } = meanAndSe(runs.map((r) => r.scv));
    expect(Math.abs(mean - theory)).toBeLessThan(T_SE * se);
    for (const r of runs) expect(r.scv).toBeGreaterThan(1.5);
  });

  it('counts per 50 s are over-dispersed as the theory says (bursts of the right length)', () => {
    const theory = burstyCountVariance(SPEC, WINDOW_S) / (burstyMeanRateRps(SPEC) * WINDOW_S); // ≈ 658
    const { mean, se } = meanAndSe(runs.map((r) => r.idc));
    expect(Math.abs(mean - theory)).toBeLessThan(T_SE * se);
    expect(mean).toBeGreaterThan(100);
  });

  it('asking for an arrival before the last one is an error, not a silent reset', () => {
    const p = makeBursty(SPEC, new Simulation({ seed: 1 }));
    const t = p.next(p.next(0));
    expect(() => p.next(t / 2)).toThrow(/cannot go back in time/);
  });

  it('a burst rate of 0 (outages) halves the arrivals of equal on and off spells', () => {
    const off = spec({ qps: 50, burstQps: 0, meanNormal: '2s', meanBurst: '2s' });
    const p = makeBursty(off, new Simulation({ seed: 4 }));
    let t = 0;
    let n = 0;
    while ((t = p.next(t)) < 400) n++;
    // Half the time on at 50 req/s; sd from the count variance formula.
    expect(Math.abs(n - burstyExpectedCount(off, 0, 400))).toBeLessThan(4 * Math.sqrt(burstyCountVariance(off, 400)));
  });
});
