/**
 * Fan-out over keys mapped onto servers (`fanout: { shards: S, keys: K }`): each of a
 * request's K keys is on a server drawn uniformly per request, and the request sends one
 * sub-request per distinct server touched and waits for all of them.
 */
import { describe, expect, it } from 'vitest';
import type { ServiceSpec } from '../../src/config/schema.ts';
import { ServingSystem } from '../../src/models/index.ts';
import { fanoutCollector } from '../../src/models/metrics/stage-fanout.ts';

function scenario(shards: number, keys: number, service: ServiceSpec = { dist: 'deterministic', value: 0.001 }, requests = 20000) {
  return {
    seed: 11,
    arrivals: { process: 'poisson' as const, qps: 1 },
    stop: { requests },
    stages: [{ name: 'fan', replicas: 2, fanout: { shards, keys }, service }],
  };
}

/** Mean sub-requests per request of a run (no warm-up: every request is measured). */
function subsPerRequest(shards: number, keys: number): number {
  const sys = new ServingSystem(scenario(shards, keys));
  const r = sys.run();
  expect(r.requests.completed).toBe(20000);
  return sys.stages[0]!.metrics.of(fanoutCollector)!.subRequests / r.requests.completed;
}

/**
 * Occupancy of S bins by K balls (Feller vol. 1, §IV.2): the number D of servers touched
 * has mean S(1 − q₁^K) and variance S(S−1)q₂^K + S q₁^K − S² q₁^{2K}, with
 * q₁ = 1 − 1/S and q₂ = 1 − 2/S.
 */
function occupancy(S: number, K: number): { mean: number; sd: number } {
  const q1 = (1 - 1 / S) ** K;
  const q2 = (1 - 2 / S) ** K;
  return { mean: S * (1 - q1), sd: Math.sqrt(S * (S - 1) * q2 + S * q1 - S * S * q1 * q1) };
}

describe('fan-out over keys on servers', () => {
  it.each([
    // [servers, keys]: by hand, 100·(1 − 0.99^100) = 63.40; 10·(1 − 0.9^10) = 6.513;
    // 100·(1 − 0.99^1000) = 99.996 (the 1,000 keys on 100 servers); 1 key: 1.
    [100, 100, 63.397],
    [10, 10, 6.5132],
    [100, 1000, 99.9957],
    [100, 1, 1],
  ])('%i servers, %i keys: S·(1 − (1 − 1/S)^K) sub-requests per request', (S, K, byHand) => {
    const { mean, sd } = occupancy(S, K);
    expect(mean).toBeCloseTo(byHand, 3);
    const got = subsPerRequest(S, K);
    // 20,000 requests: the mean's standard error is sd/√20000 (0.022 for 100 on 100);
    // 5 standard errors, and at least 1e-9 where D is certain (1 key: exactly 1).
    expect(Math.abs(got - mean)).toBeLessThanOrEqual(Math.max(5 * sd / Math.sqrt(20000), 1e-9));
  });

  it('waits for every server touched: with 1 call in 100 slow, a request is fast with probability E[0.99^D]', () => {
    // Reference: each touched server is independently slow (1 s) with probability 1/100,
    // so P(fast) = E[0.99^D] = Σ_d P(D = d)·0.99^d, by the occupancy distribution of
    // 100 keys on 100 servers (computed exactly below by adding one key at a time).
    const S = 100;
    const K = 100;
    let p = new Float64Array(S + 1);
    p[0] = 1;
    for (let k = 0; k < K; k++) {
      const next = new Float64Array(S + 1);
      for (let d = 0; d <= S; d++) {
        if (p[d] === 0) continue;
        next[d]! += p[d]! * (d / S);
        if (d < S) next[d + 1]! += p[d]! * (1 - d / S);
      }
      p = next;
    }
    let fast = 0;
    for (let d = 0; d <= S; d++) fast += p[d]! * 0.99 ** d;
    // About 0.531 (more than 0.99^100 = 0.366: only 63 servers are touched on average).
    expect(fast).toBeGreaterThan(0.52);
    expect(fast).toBeLessThan(0.54);
    const sys = new ServingSystem({ ...scenario(S, K, { dist: 'empirical', values: [0.01, 1], weights: [99, 1] }), slo: { target: 'p50 < 1s', latencyS: 1, fraction: 0.5 } });
    const r = sys.run();
    // 20,000 requests: standard error √(0.53·0.47/20000) = 0.35%; ±1.5% is 4.3 of them.
    expect(Math.abs(r.slo!.attainment - fast)).toBeLessThan(0.015);
  });

  it('same seed, same servers: the draws are the stage\'s own stream', () => {
    const a = new ServingSystem(scenario(50, 20, { dist: 'exponential', mean: 0.01 }, 2000)).run();
    const b = new ServingSystem(scenario(50, 20, { dist: 'exponential', mean: 0.01 }, 2000)).run();
    expect(a.latencyMs).toEqual(b.latencyMs);
  });
});

describe('fan-out over keys: capacity', () => {
  it('a shard sees only the requests whose keys touch it, so the load check reads 1 − (1 − 1/S)^K of the rate', () => {
    // 100 shards of one replica at 10 ms: 100 requests/s each. At 150 requests/s every
    // shard is overloaded when each request visits all of them, but with 1 key a shard
    // gets 1.5 requests/s (capacity 100 / (1 − 0.99) = 10,000 parent requests/s).
    const at = (keys?: number) =>
      new ServingSystem({
        seed: 2,
        arrivals: { process: 'poisson' as const, qps: 150 },
        stop: { requests: 300 },
        stages: [{ name: 'fan', replicas: 1, fanout: { shards: 100, ...(keys === undefined ? {} : { keys }) }, service: { dist: 'exponential' as const, mean: 0.01 } }],
      });
    expect(at(1).stages[0]!.capacityRps()).toBeCloseTo(100 / (1 - 0.99), 6);
    expect(at().stages[0]!.capacityRps()).toBeCloseTo(100, 9);
    expect(at(1).run().warnings.some((w) => w.includes('overloaded'))).toBe(false);
    expect(at().run().warnings.some((w) => w.includes('overloaded'))).toBe(true);
  });
});
