import { describe, expect, it } from 'vitest';
import { meanCi95 } from '../../src/engine/index.ts';
import type { Scenario } from '../../src/config/schema.ts';
import { runScenario } from '../../src/models/index.ts';
import { replicationSeed } from '../../src/experiments/runner.ts';

/**
 * Do the 95 % intervals cover? M/M/1 at ρ = 0.5 (λ = 500/s, mean service 1 ms): the
 * mean sojourn is 1/(μ − λ) = 2 ms (Reference: any queueing text, e.g. Kleinrock vol. 1).
 * (Milliseconds rather than seconds only keep each run's time series short.)
 * 1,000 independent sets of 10 replications, each replication 600 requests after a
 * 200-request warm-up (the relaxation time at this load is about 12 service times, so
 * the start-up bias is negligible against the interval). Each set gives a t-interval from its 10 means; the
 * share of sets whose interval holds 2 ms must be 95 %. With 1,000 sets that share has
 * sd √(0.95·0.05/1000) = 0.7 %, so [93 %, 97 %] is ±2.9 sd.
 */
const base: Scenario = {
  name: 'mm1-coverage',
  arrivals: { process: 'poisson', qps: 500 },
  stop: { requests: 800 },
  warmup: { requests: 200 },
  stages: [{ name: 'server', replicas: 1, service: { dist: 'exponential', mean: 0.001 } }],
};

describe('confidence intervals', () => {
  it('the 95 % interval of the mean latency covers the true value in 93–97 % of cases', () => {
    const SETS = 1000;
    const REPS = 10;
    let covered = 0;
    for (let set = 0; set < SETS; set++) {
      const means: number[] = [];
      for (let i = 0; i < REPS; i++) means.push(runScenario(base, { seed: replicationSeed(`cov${set}`, i) }).latencyMs.mean);
      const { mean, ci95 } = meanCi95(means);
      if (Math.abs(mean - 2) <= ci95) covered++;
    }
    const share = covered / SETS;
    expect(share).toBeGreaterThanOrEqual(0.93);
    expect(share).toBeLessThanOrEqual(0.97);
  });
});
