/**
 * Each new arrival process end to end: a YAML scenario through scenarioFromText and
 * runScenario, its arrival count against the expected count. Stages have ample
 * capacity, so the count depends on arrivals alone. Tolerance: 4 sd of the count
 * (√E[N] for a Poisson count, the MMPP count variance for bursty).
 */
import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { runScenario } from '../../src/models/index.ts';
import { burstyCountVariance, burstyExpectedCount, type BurstySpec } from '../../src/models/arrivals/bursty.ts';

const STAGES = `stages:
  - name: model
    replicas: 2
    service: { dist: deterministic, value: "1ms" }
`;

function run(arrivals: string, stop: string) {
  const scenario = scenarioFromText({ name: 'arrivals.yaml', text: `name: arrivals\nseed: 17\narrivals: ${arrivals}\nstop: ${stop}\n${STAGES}` });
  const r = runScenario(scenario);
  expect(r.requests.arrived).toBe(r.requests.completed + r.requests.dropped + r.requests.inFlight);
  return { scenario, r };
}

describe('new arrival processes run end to end from YAML', () => {
  it('diurnal: two 10-minute cycles bring qps × 20 min', () => {
    const { r } = run('{ process: diurnal, qps: 20, amplitude: 0.5, period: "10m", peakAt: "2m" }', '{ duration: "20m" }');
    // Reference: 20 × 1,200 = 24,000; sd √24,000 ≈ 155.
    expect(Math.abs(r.requests.arrived - 24_000)).toBeLessThan(4 * Math.sqrt(24_000));
  });

  it('spike: 5 minutes at 20/s plus a ramped ×5 spike of 1 minute', () => {
    const { r } = run('{ process: spike, qps: 20, factor: 5, at: "2m", duration: "1m", ramp: "10s" }', '{ duration: "5m" }');
    // Reference: 20 × 300 + (5 − 1)·20·(60 − 10) = 6,000 + 4,000 = 10,000; sd 100.
    expect(Math.abs(r.requests.arrived - 10_000)).toBeLessThan(4 * Math.sqrt(10_000));
  });

  it('bursty: 10 minutes match the MMPP-2 expected count', () => {
    const { scenario, r } = run('{ process: bursty, qps: 10, burstQps: 100, meanNormal: "20s", meanBurst: "2s" }', '{ duration: "10m" }');
    const spec = scenario.arrivals as BurstySpec;
    const sd = Math.sqrt(burstyCountVariance(spec, 600));
    expect(Math.abs(r.requests.arrived - burstyExpectedCount(spec, 0, 600))).toBeLessThan(4 * sd);
  });

  it('schedule: arrivals end with a last rate of 0, and the run drains', () => {
    const { r } = run('{ process: schedule, steps: [{ at: "0s", qps: 10 }, { at: "1m", qps: 50 }, { at: "2m", qps: 0 }] }', '{ requests: 100000 }');
    // Reference: 10 × 60 + 50 × 60 = 3,600; sd 60.
    expect(Math.abs(r.requests.arrived - 3_600)).toBeLessThan(4 * Math.sqrt(3_600));
    expect(r.requests.inFlight).toBe(0);
    expect(r.endS).toBeLessThan(121);
  });
});
