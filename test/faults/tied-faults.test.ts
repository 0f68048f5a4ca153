/**
 * Faults with tied requests: each replica of a shard has its own queue and its own fate.
 * A failed replica's copies in service are lost (the twin, if still wanted, may answer)
 * or queued again at the head of that replica's own queue (served once it is repaired);
 * copies queued there wait for the repair, unless their twin settles them first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/config/schema.ts';
import { ServingSystem, runScenario } from '../../src/models/index.ts';
import type { PoolStation } from '../../src/models/stations/pool.ts';
import type { QueueGroup } from '../../src/models/stations/queue-group.ts';

/**
 * One shard of 2 replicas, an arrival every second (the k-th at k s), 0.5 s of service;
 * replica 0 is down from 10.2 s to 15.2 s (an outage of half the replicas).
 */
function zone(cancel: 'onStart' | 'onFinish', inFlight: 'lost' | 'retry') {
  return runScenario({
    name: 'tied-zone',
    arrivals: { process: 'constant', qps: 1 },
    stop: { requests: 30 },
    stages: [
      {
        name: 'fan',
        replicas: 2,
        fanout: { shards: 1, tied: { cancel } },
        service: { dist: 'deterministic', value: 0.5 },
        faults: { outages: [{ at: 10.2, duration: 5, share: 0.5 }], inFlight },
      },
    ],
  } as unknown as Scenario);
}

describe('tied requests through a replica outage, by hand', () => {
  it('onFinish: both copies run, so losing one replica loses no request and delays none', () => {
    // The request of 10 s runs on both replicas; replica 0's copy is lost at 10.2 s and
    // the other answers at 10.5 s. During the outage a copy sent to replica 0 waits there
    // and is withdrawn when its twin, on replica 1, answers 0.5 s after arriving.
    const r = zone('onFinish', 'lost');
    expect(r.stages['fan']!.faults!.lostToFailures).toBe(0);
    expect(r.requests).toMatchObject({ arrived: 30, completed: 30, dropped: 0, inFlight: 0 });
    expect(Math.abs(r.latencyMs.max - 500)).toBeLessThan(0.5);
  });

  it('onStart: the twin was cancelled when the first copy started, so a lost copy loses its request (at most the one of 10 s)', () => {
    const r = zone('onStart', 'lost');
    const lost = r.stages['fan']!.faults!.lostToFailures;
    expect(lost).toBeLessThanOrEqual(1);
    expect(r.requests.completed).toBe(30 - lost);
    // Copies sent to the down replica wait; their twin on replica 1 starts and cancels them.
    expect(Math.abs(r.latencyMs.max - 500)).toBeLessThan(0.5);
  });

  it('onStart with retry: a copy whose replica failed waits in that replica\u2019s queue for the repair', () => {
    const r = zone('onStart', 'retry');
    expect(r.requests).toMatchObject({ arrived: 30, completed: 30, dropped: 0 });
    // If the request of 10 s ran on replica 0 it restarts at 15.2 s and ends at 15.7 s
    // (5.7 s); if on replica 1, nothing waits (0.5 s).
    const max = r.latencyMs.max;
    expect(Math.abs(max - 500) < 0.5 || Math.abs(max - 5700) < 5.7).toBe(true);
  });
});

describe('tied requests with faults: invariants', () => {
  it('conserve requests, lose none under retry, and keep every replica\u2019s slots adding up (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.constantFrom<'onStart' | 'onFinish'>('onStart', 'onFinish'),
        fc.constantFrom<'lost' | 'retry'>('lost', 'retry'),
        fc.boolean(),
        fc.integer({ min: 1, max: 2 }),
        (seed, cancel, inFlight, delay, conc) => {
          const sys = new ServingSystem({
            seed,
            arrivals: { process: 'poisson' as const, qps: 60 },
            stop: { requests: 2000 },
            stages: [
              {
                name: 'fan',
                replicas: 3,
                concurrency: conc,
                fanout: { shards: 3, tied: { cancel }, ...(delay ? { hedgeAfter: 0.02 } : {}) },
                service: { dist: 'empirical' as const, values: [0.005, 0.1], weights: [9, 1] },
                faults: { failures: { between: { dist: 'exponential' as const, mean: 3 }, repair: { dist: 'exponential' as const, mean: 1 } }, inFlight },
              },
            ],
          });
          const r = sys.run();
          expect(r.requests.arrived).toBe(r.requests.completed + r.requests.dropped + r.requests.inFlight);
          expect(r.requests.inFlight).toBe(0);
          const f = r.stages['fan']!.faults!;
          expect(f.failures).toBeGreaterThan(0);
          if (inFlight === 'retry') expect(f.lostToFailures).toBe(0);
          expect(r.requests.dropped).toBe(f.lostToFailures);
          const st = sys.stages[0] as unknown as PoolStation & { replicaGroups: QueueGroup[][] };
          let inService = 0;
          let waiting = 0;
          for (const reps of st.replicaGroups) {
            for (const g of reps) {
              const sl = g.slots!;
              expect(g.freeSlots + g.inService + (1 - sl.up[0]!) * conc).toBe(conc);
              expect(sl.running[0]!.size).toBe(g.inService);
              inService += g.inService;
              waiting += g.live;
            }
          }
          expect(st.inService).toBe(inService);
          expect(st.busyServers).toBe(inService);
          expect(st.waiting).toBe(waiting);
        },
      ),
      { seed: 23, numRuns: 24 },
    );
  });
});
