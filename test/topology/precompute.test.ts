import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { runScenario } from '../../src/models/index.ts';

/**
 * Nightly batch precompute, by hand. 1,000 known users; one worker scores them in
 * batches of 100, each batch taking 100 × 7.2 s = 720 s: ten batches, so the job
 * takes 2 h and runs every 24 h. Job k snapshots at 24k h and is served from 24k + 2 h
 * to 24(k+1) + 2 h, so a prediction's age is uniform over [2 h, 26 h) for a request at
 * a uniformly random time: mean 14 h, p99 2 + 0.99·24 = 25.76 h. 10 % of requests come
 * from new users whom no job has seen: coverage 90 %, the rest get a heuristic.
 */
const text = (start: string) => `
seed: 3
users: { count: 1000, zipf: 1.0, newUserShare: 0.1 }
arrivals: { process: poisson, qps: 0.05 }
stop: { duration: "10d" }
hardware:
  kv: { device: cpu, usdPerHour: 0.5 }
stages:
  - name: lookup
    replicas: 2
    hardware: kv
    service: { dist: deterministic, value: "1ms" }
    precompute:
      every: "24h"
      workers: 1
      batch: 100
      perItem: "7.2s"
      hardware: c7i.xlarge
      quality: 0.8
      start: ${start}
      miss: { heuristic: { latency: { dist: deterministic, value: "5ms" }, quality: 0.6 } }
`;

describe('batch precompute', () => {
  const r = runScenario(scenarioFromText({ name: 'batch.yaml', text: text('warm') }));
  const n = r.requests.completed; // ≈ 43,200

  it('job duration follows from population, batch, per-item cost and workers', () => {
    expect(r.stages.lookup!.precomputeJob!.durationS).toBe(7200);
  });

  it('freshness is uniform over 2 h to 26 h', () => {
    const h = 3600;
    // Uniform on [2 h, 26 h): sd 24 h/√12 = 6.93 h; the mean of ~39,000 covered requests
    // has sd 0.035 h, so ±0.15 h is over 4 sd.
    expect(Math.abs(r.freshness!.meanS / h - 14)).toBeLessThan(0.15);
    // Quantiles: the p-quantile of U[2, 26) is 2 + 24p; its sampling sd at the median is
    // 24·√(0.25/39000) = 0.06 h (p99: 0.012 h); sketch error is 0.1 %.
    expect(Math.abs(r.freshness!.p50S / h - 14)).toBeLessThan(0.3);
    expect(Math.abs(r.freshness!.p99S / h - 25.76)).toBeLessThan(0.1);
    expect(r.stages.lookup!.timeInStageMs!.mean).toBeGreaterThan(0);
  });

  it('coverage equals the share of requests from known users', () => {
    // Binomial(43,200, 0.9): sd 0.14 %; ±0.6 % is over 4 sd.
    expect(Math.abs(r.coverage! - 0.9)).toBeLessThan(0.006);
    expect(r.stages.lookup!.coverage).toBe(r.coverage);
    // Quality is request-weighted: 0.8 for covered requests, 0.6 for the heuristic.
    expect(r.quality!).toBeCloseTo(0.8 * r.coverage! + 0.6 * (1 - r.coverage!), 9);
    expect(n).toBeGreaterThan(40_000);
  });

  it('bills the job like hardware: one worker for 2 h a day', () => {
    // Ten jobs in ten days (the one at 240 h starts as the run ends): 20 worker-hours of
    // c7i.xlarge at $0.1785, plus the store: 2 replicas × $0.50/h × the measured span.
    const job = 20 * 0.1785;
    expect(r.stages.lookup!.precomputeJob!.costUsd).toBeCloseTo(job, 9);
    expect(r.cost.total).toBeCloseTo(job + (2 * 0.5 * r.measuredS) / 3600, 6);
  });

  it('on launch day (cold start) nobody is covered until the first job is done', () => {
    const cold = runScenario(scenarioFromText({ name: 'cold.yaml', text: text('cold') }));
    // The first 2 h of 240 h have no predictions: coverage 0.9 × (1 − 2/240) = 0.8925.
    expect(Math.abs(cold.coverage! - 0.9 * (1 - 2 / 240))).toBeLessThan(0.006);
    expect(cold.coverage!).toBeLessThan(r.coverage!);
  });
});
