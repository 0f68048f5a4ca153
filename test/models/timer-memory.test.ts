import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/config/schema.ts';
import { ServingSystem } from '../../src/models/index.ts';

/**
 * Memory must follow requests in flight, not arrivals × a timer's delay (issue 11): a
 * deadline or hedge timer armed per request is cancelled when the request no longer
 * needs it, and the heap drops cancelled timers. Before, a 100,000 s deadline kept an
 * event per served request in the heap for the whole run.
 */
function maxHeapOverRun(scenario: Scenario, steps: number, stepS: number): { maxEntries: number; maxHeld: number } {
  const sys = new ServingSystem(scenario);
  let maxEntries = 0;
  let maxHeld = 0;
  for (let k = 1; k <= steps; k++) {
    sys.sim.run(k * stepS);
    maxEntries = Math.max(maxEntries, sys.sim.heapEntries);
    maxHeld = Math.max(maxHeld, sys.inFlight);
  }
  const r = sys.run();
  expect(r.requests.inFlight).toBe(0);
  return { maxEntries, maxHeld };
}

describe('timers held per request are freed with the request', () => {
  it('a pool with a 100,000 s deadline holds heap entries for requests in flight only', () => {
    // M/M/4 at 80%: about 4 requests in flight on average, 60,000 arrivals over ~19,000 s.
    const { maxEntries, maxHeld } = maxHeapOverRun(
      {
        seed: 3,
        arrivals: { process: 'poisson', qps: 3.2 },
        stop: { requests: 60_000 },
        stages: [{ name: 'm', replicas: 4, deadline: 100_000, service: { dist: 'exponential', mean: 1 } }],
      },
      40,
      500,
    );
    // Live entries: the next arrival, ≤ 4 services, one deadline per waiting request;
    // cancelled ones are kept until they are 1,024 and half the heap. Without
    // cancellation every served request's deadline stays: tens of thousands.
    expect(maxEntries).toBeLessThanOrEqual(2 * (maxHeld + 8) + 1024);
    expect(maxEntries).toBeLessThan(3000);
  });

  it('a fan-out to 100 shards with a 1,000 s hedge frees its hedge timers once answered', () => {
    const { maxEntries, maxHeld } = maxHeapOverRun(
      {
        seed: 5,
        arrivals: { process: 'poisson', qps: 20 },
        stop: { requests: 4000 },
        stages: [{ name: 's', replicas: 1, fanout: { shards: 100, quorum: 100, hedgeAfter: 1000 }, service: { dist: 'exponential', mean: 0.005 } }],
      },
      40,
      5,
    );
    // Per request in flight: ≤ 100 sub-requests in service and 100 hedge timers.
    // Without cancellation: 100 timers per arrival of the last 1,000 s, i.e. all 400,000.
    expect(maxEntries).toBeLessThanOrEqual(2 * (200 * maxHeld + 8) + 1024);
    expect(maxEntries).toBeLessThan(20_000);
  });

  it('a tied fan-out (onFinish) stops its losers: a 1,000 s loser frees its replica and its timer', () => {
    const sys = new ServingSystem({
      seed: 11,
      arrivals: { process: 'poisson', qps: 20 },
      stop: { requests: 4000 },
      stages: [{ name: 's', replicas: 2, fanout: { shards: 10, tied: { cancel: 'onFinish' } }, service: { dist: 'empirical', values: [0.01, 1000], weights: [999, 1] } }],
    });
    let maxEntries = 0;
    for (let k = 1; k <= 40; k++) {
      sys.sim.run(k * 5);
      maxEntries = Math.max(maxEntries, sys.sim.heapEntries);
    }
    const r = sys.run();
    expect(r.requests.inFlight).toBe(0);
    // About 80 of the 80,000 copies draw 1,000 s; a pair is slow only if both do
    // (probability 1e-6 per pair: 0.04 expected here). Were a loser left running it would
    // hold its replica for 1,000 s and every later request to its shard would wait.
    expect(r.latencyMs.max).toBeLessThan(50);
    // Live entries: the next arrival and two services per sub-request in flight;
    // cancelled ones are kept until they are 1,024 and half the heap.
    expect(maxEntries).toBeLessThan(3000);
  });

  it('retry timeouts answered in time do not pile up', () => {
    const { maxEntries } = maxHeapOverRun(
      {
        seed: 7,
        arrivals: { process: 'poisson', qps: 100 },
        stop: { requests: 50_000 },
        retry: { timeout: 10_000, maxAttempts: 3 },
        stages: [{ name: 'm', replicas: 2, service: { dist: 'exponential', mean: 0.01 } }],
      },
      50,
      10,
    );
    expect(maxEntries).toBeLessThan(3000);
  });
});
