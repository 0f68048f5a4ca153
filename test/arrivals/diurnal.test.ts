/**
 * Diurnal arrivals: window counts against ∫λ, the closed-form integral against the
 * rate, and the spec's defaults. Tolerances are explained in ./poisson-counts.ts.
 */
import { describe, expect, it } from 'vitest';
import { arrivalsSpec } from '../../src/config/schema.ts';
import { Simulation } from '../../src/engine/index.ts';
import { makePoisson } from '../../src/models/arrivals/poisson.ts';
import { diurnalExpectedCount, diurnalRateRps, makeDiurnal, type DiurnalSpec } from '../../src/models/arrivals/diurnal.ts';
import { edgesEvery, expectPoissonCounts, poissonFit, windowCounts, CHI2_SDS } from './poisson-counts.ts';

const spec = (input: Record<string, unknown>): DiurnalSpec => arrivalsSpec.parse({ process: 'diurnal', ...input }) as DiurnalSpec;

// A one-hour "day" so a few hours hold several cycles: 40 req/s on average, swinging
// from 10 to 70 req/s, peaking 20 minutes into each hour.
const SHORT = spec({ qps: 40, amplitude: 0.75, period: '1h', peakAt: '20m' });
const HOURS = 4;
const EDGES = edgesEvery(0, HOURS * 3600, 60); // 240 one-minute windows, 600–4,200 arrivals each

describe('diurnal arrivals', () => {
  it('the spec defaults to a 24 h period peaking at noon', () => {
    const d = spec({ qps: 10, amplitude: 0.5 });
    expect(d.period).toBe(86_400);
    // Reference: peak qps·(1 + a) = 15 at 12:00, trough qps·(1 − a) = 5 at 00:00.
    expect(diurnalRateRps(d, 12 * 3600)).toBeCloseTo(15, 12);
    expect(diurnalRateRps(d, 0)).toBeCloseTo(5, 12);
    expect(diurnalRateRps(spec({ qps: 10, amplitude: 0.5, peakAt: '14h' }), 14 * 3600)).toBeCloseTo(15, 12);
  });

  it('the closed-form integral matches the rate (Simpson) and gives qps per period', () => {
    // Reference: a whole period brings qps × period = 40 × 3600 = 144,000 arrivals.
    expect(diurnalExpectedCount(SHORT, 0, 3600)).toBeCloseTo(144_000, 6);
    expect(diurnalExpectedCount(SHORT, 1234, 1234 + 3600)).toBeCloseTo(144_000, 6);
    // Composite Simpson with 600 panels over 10 min: error ~ (h⁴/180)·max|λ''''|·T, far below 1e-6.
    const a = 500;
    const b = 1100;
    const n = 600;
    const h = (b - a) / n;
    let sum = diurnalRateRps(SHORT, a) + diurnalRateRps(SHORT, b);
    for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * diurnalRateRps(SHORT, a + i * h);
    expect(diurnalExpectedCount(SHORT, a, b)).toBeCloseTo((sum * h) / 3, 6);
  });

  it('counts per minute follow ∫λ over four cycles (each window and χ²)', () => {
    const counts = windowCounts(makeDiurnal(SHORT, new Simulation({ seed: 11 })), EDGES);
    const expected = EDGES.slice(1).map((e, i) => diurnalExpectedCount(SHORT, EDGES[i]!, e));
    expectPoissonCounts(counts, expected);
  });

  it('the same check fails for flat Poisson arrivals at the mean rate (the test has power)', () => {
    const flat = makePoisson({ process: 'poisson', qps: SHORT.qps }, new Simulation({ seed: 11 }));
    const counts = windowCounts(flat, EDGES);
    const expected = EDGES.slice(1).map((e, i) => diurnalExpectedCount(SHORT, EDGES[i]!, e));
    const fit = poissonFit(counts, expected);
    expect(fit.chi2 - fit.df).toBeGreaterThan(100 * CHI2_SDS * fit.chi2Sd);
  });

  it('an amplitude of 1 reaches a rate of 0 at the trough and is still exact', () => {
    const full = spec({ qps: 30, amplitude: 1, period: '10m', peakAt: '5m' });
    const edges = edgesEvery(0, 3600, 30); // 120 windows of 30 s, 0 to 1,800 expected each
    const counts = windowCounts(makeDiurnal(full, new Simulation({ seed: 5 })), edges);
    const expected = edges.slice(1).map((e, i) => diurnalExpectedCount(full, edges[i]!, e));
    // Windows at the trough expect only ~2 arrivals, where z is not normal: hold them to
    // X² alone, which is exact in mean and variance for any Λ.
    const fit = poissonFit(counts, expected);
    expect(Math.abs(fit.chi2 - fit.df)).toBeLessThan(CHI2_SDS * fit.chi2Sd);
    expect(counts.reduce((s, c) => s + c, 0)).toBeGreaterThan(0);
  });

  it('reports its mean rate, and an SCV only when it is plain Poisson', () => {
    const sim = new Simulation({ seed: 1 });
    const d = makeDiurnal(SHORT, sim);
    expect(d.meanRateRps).toBe(40);
    expect(d.interarrivalScv).toBeUndefined();
    expect(makeDiurnal(spec({ qps: 40, amplitude: 0 }), new Simulation({ seed: 1 })).interarrivalScv).toBe(1);
  });

  it('the same seed gives the same arrivals; another seed, others', () => {
    const first = (seed: number) => {
      const p = makeDiurnal(SHORT, new Simulation({ seed }));
      const out: number[] = [];
      let t = 0;
      for (let i = 0; i < 5; i++) out.push((t = p.next(t)));
      return out;
    };
    expect(first(3)).toEqual(first(3));
    expect(first(4)).not.toEqual(first(3));
  });
});
