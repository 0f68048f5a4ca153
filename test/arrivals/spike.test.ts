/**
 * Spike arrivals: window counts around the spike against ∫λ, the trapezoid's closed
 * form against hand-computed numbers, and the spec's checks. Tolerances are
 * explained in ./poisson-counts.ts.
 */
import { describe, expect, it } from 'vitest';
import { arrivalsSpec } from '../../src/config/schema.ts';
import { Simulation } from '../../src/engine/index.ts';
import { makeSpike, spikeExpectedCount, spikeRateRps, type SpikeSpec } from '../../src/models/arrivals/spike.ts';
import { edgesEvery, expectPoissonCounts, windowCounts } from './poisson-counts.ts';

const spec = (input: Record<string, unknown>): SpikeSpec => arrivalsSpec.parse({ process: 'spike', ...input }) as SpikeSpec;

// 100 req/s, ×4 from 10 min for 5 min, ramping over 1 min at each end.
const RAMPED = spec({ qps: 100, factor: 4, at: '10m', duration: '5m', ramp: '1m' });

describe('spike arrivals', () => {
  it('the rate follows the trapezoid (hand-computed points)', () => {
    // Reference: base 100 before 600 s; ramp 600→660 s reaches 400 (half-way, 250);
    // flat 400 until 840 s; down to 100 by 900 s; 100 after.
    const cases: Array<[number, number]> = [
      [0, 100],
      [599.9, 100],
      [600, 100],
      [630, 250],
      [660, 400],
      [750, 400],
      [840, 400],
      [870, 250],
      [900, 100],
      [5000, 100],
    ];
    for (const [t, r] of cases) expect(spikeRateRps(RAMPED, t), `rate at ${t} s`).toBeCloseTo(r, 9);
  });

  it('the integral matches hand-computed areas', () => {
    // Reference: the spike adds (factor − 1)·qps·(duration − ramp) = 3·100·240 = 72,000.
    expect(spikeExpectedCount(RAMPED, 0, 1200)).toBeCloseTo(120_000 + 72_000, 6);
    // Up-ramp alone: 100·60 + 3·100·60/2 = 15,000.
    expect(spikeExpectedCount(RAMPED, 600, 660)).toBeCloseTo(15_000, 6);
    // First 30 s of the ramp: 100·30 + 300·(30²/(2·60)) = 3,000 + 2,250.
    expect(spikeExpectedCount(RAMPED, 600, 630)).toBeCloseTo(5_250, 6);
    // Last 30 s of the down-ramp, a mirror image: 3,000 + 2,250.
    expect(spikeExpectedCount(RAMPED, 870, 900)).toBeCloseTo(5_250, 6);
    // A step (no ramp) adds 3·100·300 = 90,000.
    expect(spikeExpectedCount(spec({ qps: 100, factor: 4, at: '10m', duration: '5m' }), 0, 1200)).toBeCloseTo(210_000, 6);
  });

  it('counts per 10 s follow ∫λ through the ramps and the plateau, on three seeds', () => {
    const edges = edgesEvery(8 * 60, 17 * 60, 10); // 54 windows, 1,000–4,000 expected each
    const expected = edges.slice(1).map((e, i) => spikeExpectedCount(RAMPED, edges[i]!, e));
    for (const seed of [1, 2, 3]) expectPoissonCounts(windowCounts(makeSpike(RAMPED, new Simulation({ seed })), edges), expected);
  });

  it('a dip (factor below 1) as a step at time 0 is exact too', () => {
    const dip = spec({ qps: 200, factor: 0.25, at: '0s', duration: '2m' });
    const edges = edgesEvery(0, 4 * 60, 5); // 48 windows: 250 expected in the dip, 1,000 after
    const expected = edges.slice(1).map((e, i) => spikeExpectedCount(dip, edges[i]!, e));
    expect(expected[0]).toBeCloseTo(250, 9);
    expectPoissonCounts(windowCounts(makeSpike(dip, new Simulation({ seed: 8 })), edges), expected);
  });

  it('reports the long-run base rate as its mean', () => {
    const p = makeSpike(RAMPED, new Simulation({ seed: 1 }));
    expect(p.meanRateRps).toBe(100);
    expect(p.interarrivalScv).toBeUndefined();
  });

  it('ramp "0s" is the same as no ramp', () => {
    const a = spec({ qps: 100, factor: 4, at: '10m', duration: '5m', ramp: '0s' });
    const b = spec({ qps: 100, factor: 4, at: '10m', duration: '5m' });
    expect(spikeExpectedCount(a, 0, 1200)).toBe(spikeExpectedCount(b, 0, 1200));
    const run = (s: SpikeSpec) => windowCounts(makeSpike(s, new Simulation({ seed: 2 })), [0, 600, 900, 1200]);
    expect(run(a)).toEqual(run(b));
  });
});
