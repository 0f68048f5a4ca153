import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/config/schema.ts';
import { runScenario } from '../../src/models/index.ts';

/**
 * One GPU replica whose call on a batch of b takes 5 ms + 0.5 ms × b.
 * Unbatched, each request costs 5.5 ms: capacity 1/5.5 ms ≈ 181.8 req/s.
 * With batches of up to 32, a full batch of 32 takes 21 ms: capacity ≈ 1,524 req/s.
 */
const gpu = (batching: { maxBatch: number; maxWait?: number } | undefined, qps: number): Scenario => ({
  name: 'gpu',
  seed: 3,
  arrivals: { process: 'poisson', qps },
  stop: { requests: 60_000 },
  warmup: { requests: 5_000 },
  stages: [
    {
      name: 'gpu',
      replicas: 1,
      queue: { capacity: 200 },
      ...(batching ? { batching } : {}),
      service: { dist: 'linear', base: 0.005, perItem: 0.0005 },
    },
  ],
});

describe('batching on a GPU replica', () => {
  it('with maxBatch 32 one replica sustains 1,000 QPS with no drops', () => {
    const r = runScenario(gpu({ maxBatch: 32, maxWait: 0.002 }, 1000));
    expect(r.requests.dropped).toBe(0);
    // Throughput equals the offered rate: 55,000 Poisson arrivals estimate 1,000/s
    // within ±1.35 % at 3 sd (sd of a Poisson count is √n).
    expect(Math.abs(r.throughputRps - 1000) / 1000).toBeLessThan(0.0135);
    // At 1,000 req/s a batch forms in a few ms: batches average well above 1.
    expect(r.stages.gpu!.batchSize.mean).toBeGreaterThan(4);
    expect(r.stages.gpu!.batchSize.p99).toBeLessThanOrEqual(32);
  });

  it('without batching the same replica saturates near 180 QPS', () => {
    const r = runScenario(gpu(undefined, 1000));
    // Reference: capacity 1 / 5.5 ms = 181.82 req/s. Overloaded 5.5×, the server is
    // never idle after warm-up, so throughput is capacity up to the drain tail
    // (at most 200 queued requests, 1.1 s of 300 s).
    expect(r.throughputRps).toBeGreaterThan(181.82 * 0.99);
    expect(r.throughputRps).toBeLessThan(181.82 * 1.01);
    expect(r.dropRate).toBeGreaterThan(0.8); // 1 − 181.8/1000 ≈ 0.82 are turned away
    expect(r.stages.gpu!.batchSize.mean).toBe(1);
  });
});
