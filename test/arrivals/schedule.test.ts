/**
 * Schedule arrivals: counts per step against rate × length, exact zeros in zero-rate
 * steps, the end of arrivals, and boundaries under many repeats. Tolerances are
 * explained in ./poisson-counts.ts.
 */
import { describe, expect, it } from 'vitest';
import { arrivalsSpec } from '../../src/config/schema.ts';
import { Simulation } from '../../src/engine/index.ts';
import { makeSchedule, scheduleExpectedCount, scheduleMeanRateRps, scheduleRateRps, type ScheduleSpec } from '../../src/models/arrivals/schedule.ts';
import { expectPoissonCounts, windowCounts } from './poisson-counts.ts';

const spec = (input: Record<string, unknown>): ScheduleSpec => arrivalsSpec.parse({ process: 'schedule', ...input }) as ScheduleSpec;

// A half-hour cycle: quiet, busy, off, moderate.
const CYCLE = spec({
  steps: [
    { at: '0s', qps: 5 },
    { at: '10m', qps: 40 },
    { at: '20m', qps: 0 },
    { at: '25m', qps: 15 },
  ],
  repeat: '30m',
});
const STEP_STARTS = [0, 600, 1200, 1500];

describe('schedule arrivals', () => {
  it('rate, integral and mean rate (hand-computed)', () => {
    expect(scheduleRateRps(CYCLE, 0)).toBe(5);
    expect(scheduleRateRps(CYCLE, 1199.9)).toBe(40);
    expect(scheduleRateRps(CYCLE, 1200)).toBe(0);
    expect(scheduleRateRps(CYCLE, 1800 + 700)).toBe(40); // second cycle
    // Reference: one cycle brings 5·600 + 40·600 + 0·300 + 15·300 = 31,500 arrivals.
    expect(scheduleExpectedCount(CYCLE, 0, 1800)).toBeCloseTo(31_500, 6);
    expect(scheduleExpectedCount(CYCLE, 900, 2700)).toBeCloseTo(31_500, 6);
    expect(scheduleExpectedCount(CYCLE, 1150, 1250)).toBeCloseTo(40 * 50, 6);
    expect(scheduleMeanRateRps(CYCLE)).toBeCloseTo(31_500 / 1800, 12);
    const once = spec({ steps: [{ at: '0s', qps: 5 }, { at: '1m', qps: 7 }] });
    expect(scheduleMeanRateRps(once)).toBe(7); // the last rate holds forever
    expect(scheduleExpectedCount(once, 0, 120)).toBeCloseTo(300 + 420, 9);
  });

  it('counts per step follow rate × length over six cycles; zero steps get none', () => {
    const cycles = 6;
    const edges: number[] = [];
    for (let c = 0; c < cycles; c++) for (const s of STEP_STARTS) edges.push(c * 1800 + s);
    edges.push(cycles * 1800);
    const counts = windowCounts(makeSchedule(CYCLE, new Simulation({ seed: 21 })), edges);
    const expected = edges.slice(1).map((e, i) => scheduleExpectedCount(CYCLE, edges[i]!, e));
    const positive = expected.map((mu, i) => (mu > 0 ? i : -1)).filter((i) => i >= 0);
    expect(positive).toHaveLength(18);
    expectPoissonCounts(
      positive.map((i) => counts[i]!),
      positive.map((i) => expected[i]!),
    );
    for (let i = 0; i < counts.length; i++) if (expected[i] === 0) expect(counts[i], `window ${i}`).toBe(0);
  });

  it('without repeat, a last rate of 0 ends the arrivals', () => {
    const once = spec({ steps: [{ at: '0s', qps: 20 }, { at: '1m', qps: 0 }, { at: '2m', qps: 10 }, { at: '3m', qps: 0 }] });
    const p = makeSchedule(once, new Simulation({ seed: 3 }));
    const times: number[] = [];
    for (let t = p.next(0); t !== Infinity; t = p.next(t)) times.push(t);
    expect(times.some((t) => t >= 60 && t < 120)).toBe(false);
    expect(Math.max(...times)).toBeLessThan(180);
    expect(p.next(1e6)).toBe(Infinity);
    // 1,200 and 600 expected: each within 4 sd (√1200 ≈ 35, √600 ≈ 24).
    expect(Math.abs(times.filter((t) => t < 60).length - 1200)).toBeLessThan(4 * Math.sqrt(1200));
    expect(Math.abs(times.filter((t) => t >= 120).length - 600)).toBeLessThan(4 * Math.sqrt(600));
  });

  it('a leading zero step delays the first arrival to the next step', () => {
    const late = spec({ steps: [{ at: '0s', qps: 0 }, { at: '5s', qps: 1000 }] });
    const first = makeSchedule(late, new Simulation({ seed: 1 })).next(0);
    expect(first).toBeGreaterThanOrEqual(5);
    expect(first).toBeLessThan(5.05); // P(gap > 50 ms at 1,000/s) = e^-50
  });

  it('step boundaries hold over 20,000 repeats (no drift from rounding cycle × period)', () => {
    // Off for the first 50 ms of every 100 ms (0.1 is not a binary fraction), on at 100/s.
    const comb = spec({ steps: [{ at: '0s', qps: 0 }, { at: '50ms', qps: 100 }], repeat: '100ms' });
    const p = makeSchedule(comb, new Simulation({ seed: 9 }));
    let t = 0;
    let n = 0;
    let early = 0;
    while ((t = p.next(t)) < 2000) {
      n++;
      const off = t - Math.floor(t / 0.1) * 0.1;
      if (off < 0.05 - 1e-9 && off > 1e-9) early++;
    }
    expect(early).toBe(0);
    // 100,000 expected (half of 2,000 s at 100/s); sd √100,000 ≈ 316.
    expect(Math.abs(n - 100_000)).toBeLessThan(4 * Math.sqrt(100_000));
  });

  it('a single rate is plain Poisson (SCV 1); a varying one has no single SCV', () => {
    expect(makeSchedule(spec({ steps: [{ at: '0s', qps: 5 }] }), new Simulation({ seed: 1 })).interarrivalScv).toBe(1);
    expect(makeSchedule(CYCLE, new Simulation({ seed: 1 })).interarrivalScv).toBeUndefined();
  });
});
