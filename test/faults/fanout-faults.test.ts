/**
 * Faults on a fan-out stage: the injector sees shards × replicas replicas, numbered
 * replica-major (replica r of shard s is r·shards + s), so an outage of a share takes
 * the same replica of every shard first, as a zone holding one replica of each shard
 * would. A failed replica's sub-requests are lost (the parent fails, lost to the
 * failure, unless a hedge answers or the quorum still can be met) or retried at the head
 * of the shard's queue. Hedges never run on the replica serving their original.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/config/schema.ts';
import { ServingSystem, runScenario } from '../../src/models/index.ts';
import type { PoolStation } from '../../src/models/stations/pool.ts';
import type { QueueGroup } from '../../src/models/stations/queue-group.ts';
import type { RunningWork } from '../../src/models/stations/replica-slots.ts';

/**
 * Constant arrivals every second (the k-th at k s), 3 shards of 2 replicas, 0.5 s
 * deterministic service: each request's three sub-requests start at once on replica 0
 * of each shard (least loaded, lowest index) and end half a second later. Half the
 * replicas go down from 10.2 s for 5 s: replica 0 of every shard, while they serve the
 * request of 10 s.
 */
function outageRun(inFlight: 'lost' | 'retry', quorum?: number) {
  return runScenario({
    name: 'fanout-zone',
    arrivals: { process: 'constant', qps: 1 },
    stop: { requests: 30 },
    stages: [
      {
        name: 'fan',
        replicas: 2,
        fanout: { shards: 3, ...(quorum === undefined ? {} : { quorum }) },
        service: { dist: 'deterministic', value: 0.5 },
        faults: { outages: [{ at: 10.2, duration: 5, share: 0.5 }], inFlight },
      },
    ],
  } as unknown as Scenario);
}

describe('a zone outage on a fan-out, by hand', () => {
  it('lost: the request in service on the zone loses all three sub-requests and fails; the others run on replica 1', () => {
    const r = outageRun('lost');
    const st = r.stages['fan']!;
    expect(st.faults!.lostToFailures).toBe(1);
    expect(r.requests).toMatchObject({ arrived: 30, completed: 29, dropped: 1, inFlight: 0 });
    expect(st.faults!.outages).toBe(1);
    // 3 of the 6 replicas down for 5 s of the measured span.
    expect(st.faults!.availability).toBeCloseTo(1 - (3 * 5) / (6 * r.measuredS), 12);
    // Every completed request took its 0.5 s of service, nothing queued.
    expect(r.latencyMs.max).toBeCloseTo(500, 0);
  });

  it('retry: the three sub-requests restart at 10.2 s on replica 1, so that request takes 0.7 s and none is lost', () => {
    const r = outageRun('retry');
    expect(r.stages['fan']!.faults!.lostToFailures).toBe(0);
    expect(r.requests).toMatchObject({ arrived: 30, completed: 30, dropped: 0, inFlight: 0 });
    // 0.2 s on the failed replica, then 0.5 s again (the sketch's 0.1 %).
    expect(Math.abs(r.latencyMs.max - 700)).toBeLessThan(0.7);
  });

  it('a quorum of 2 of 3 is lost too when all three of its sub-requests are', () => {
    expect(outageRun('lost', 2).stages['fan']!.faults!.lostToFailures).toBe(1);
  });
});

describe('a hedge on another replica survives its original\u2019s replica failing, by hand', () => {
  it('the backup sent at 0.1 s runs on replica 1 and answers at 0.5 s when replica 0 fails at 0.2 s', () => {
    // One shard of 2 replicas, an arrival every second, 0.4 s of service, hedged after
    // 0.1 s: every sub-request is hedged (the backup runs on the other replica, its answer
    // wasted). Replica 0 is down from 10.2 s to 15.2 s: the request of 10 s loses its
    // original (started 10.0 s on replica 0) but its backup (10.1 s on replica 1)
    // answers at 10.5 s. During the outage a backup cannot go to its original's replica,
    // the only one up: it waits until the original ends (0.4 s), so nothing is delayed.
    const run = (hedgeAfter?: number) =>
      runScenario({
        name: 'hedge-zone',
        arrivals: { process: 'constant', qps: 1 },
        stop: { requests: 30 },
        stages: [
          {
            name: 'fan',
            replicas: 2,
            fanout: { shards: 1, ...(hedgeAfter === undefined ? {} : { hedgeAfter }) },
            service: { dist: 'deterministic', value: 0.4 },
            faults: { outages: [{ at: 10.2, duration: 5, share: 0.5 }], inFlight: 'lost' },
          },
        ],
      } as unknown as Scenario);
    const hedged = run(0.1);
    expect(hedged.stages['fan']!.faults!.lostToFailures).toBe(0);
    expect(hedged.requests).toMatchObject({ arrived: 30, completed: 30, dropped: 0 });
    expect(hedged.hedgeExtraLoad).toBe(1);
    expect(Math.abs(hedged.latencyMs.max - 500)).toBeLessThan(0.5);
    // Unhedged, the request of 10 s is lost with its replica.
    expect(run().stages['fan']!.faults!.lostToFailures).toBe(1);
  });
});

/** A loaded 4-shard fan-out with random failures, for the invariants. */
function loaded(seed: number, inFlight: 'lost' | 'retry', hedge: boolean, keys: boolean, concurrency: number) {
  return {
    seed,
    arrivals: { process: 'poisson' as const, qps: 60 },
    stop: { requests: 3000 },
    stages: [
      {
        name: 'fan',
        replicas: 3,
        concurrency,
        fanout: { shards: 4, ...(keys ? { keys: 3 } : {}), ...(hedge ? { hedgeAfter: 0.02 } : {}) },
        service: { dist: 'empirical' as const, values: [0.005, 0.1], weights: [9, 1] },
        faults: { failures: { between: { dist: 'exponential' as const, mean: 5 }, repair: { dist: 'exponential' as const, mean: 1 } }, inFlight },
      },
    ],
  };
}

describe('faults with fan-out: invariants', () => {
  it('conserve requests, lose none under retry, and keep every shard\u2019s slots adding up (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.constantFrom<'lost' | 'retry'>('lost', 'retry'), fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 2 }), (seed, inFlight, hedge, keys, conc) => {
        const sys = new ServingSystem(loaded(seed, inFlight, hedge, keys, conc));
        const r = sys.run();
        expect(r.requests.arrived).toBe(r.requests.completed + r.requests.dropped + r.requests.inFlight);
        expect(r.requests.inFlight).toBe(0);
        const f = r.stages['fan']!.faults!;
        // Each replica is up 5/6 of the time (MTBF 5 s, MTTR 1 s), and some fail in 50 s.
        expect(f.failures).toBeGreaterThan(0);
        expect(f.availability).toBeGreaterThan(0);
        expect(f.availability).toBeLessThan(1);
        if (inFlight === 'retry') expect(f.lostToFailures).toBe(0);
        // Unbounded queues and no deadline: every drop is a loss to a failure.
        expect(r.requests.dropped).toBe(f.lostToFailures);
        // The run stops when its last request leaves; losing copies may still run (wasted
        // work). Each shard's slots add up: free + in service + those of down replicas =
        // replicas × concurrency, and the replicas' running work is the shard's in service.
        const st = sys.stages[0] as unknown as PoolStation;
        let inService = 0;
        for (const g of (st as unknown as { groups: QueueGroup[] }).groups) {
          const sl = g.slots!;
          const down = sl.up.reduce((a, u) => a + (1 - u), 0);
          expect(g.freeSlots + g.inService + down * conc).toBe(3 * conc);
          expect(sl.running.reduce((a, set) => a + set.size, 0)).toBe(g.inService);
          inService += g.inService;
        }
        expect(st.inService).toBe(inService);
        expect(st.busyServers).toBe(inService);
      }),
      { seed: 17, numRuns: 24 },
    );
  });

  it('availability of a fan-out\u2019s replicas is MTBF / (MTBF + MTTR), every shard\u2019s replicas counted', () => {
    // 100 shards × 2 replicas, each up 10 s then down 2 s on average (exponential,
    // independent): 10/12 = 83.3 % up. Over ~1,000 s that is ~17,000 failures: the time
    // average's standard error is well under 0.5 %; ±1 % is the tolerance.
    const r = new ServingSystem({
      seed: 4,
      arrivals: { process: 'poisson' as const, qps: 2 },
      stop: { requests: 2000 },
      stages: [
        {
          name: 'fan',
          replicas: 2,
          fanout: { shards: 100 },
          service: { dist: 'deterministic' as const, value: 0.001 },
          faults: { failures: { between: { dist: 'exponential' as const, mean: 10 }, repair: { dist: 'exponential' as const, mean: 2 } }, inFlight: 'retry' as const },
        },
      ],
    }).run();
    expect(Math.abs(r.stages['fan']!.faults!.availability - 10 / 12)).toBeLessThan(0.01);
  });
});

describe('a hedge never runs on the replica serving its original', () => {
  it('under load with 2 slots per replica, the pick skips the original\u2019s replica (where the plain pick would take it)', () => {
    // Faults on (failures rare enough to leave the run alone) so that each shard tracks
    // its replicas. Two slots per replica: a replica running the original may still have
    // a free slot, the case the rule is for.
    const sys = new ServingSystem({
      seed: 8,
      arrivals: { process: 'poisson' as const, qps: 90 },
      stop: { requests: 6000 },
      stages: [
        {
          name: 'fan',
          replicas: 2,
          concurrency: 2,
          fanout: { shards: 2, hedgeAfter: 0.02 },
          service: { dist: 'empirical' as const, values: [0.005, 0.2], weights: [9, 1] },
          faults: { failures: { between: { dist: 'deterministic' as const, value: 1e7 }, repair: { dist: 'deterministic' as const, value: 1 } } },
        },
      ],
    });
    let checked = 0;
    let plainWouldCollide = 0;
    let same = 0;
    const station = sys.stages[0] as unknown as { groups: QueueGroup[] };
    for (const g of station.groups) {
      const slots = g.slots!;
      const add = slots.add.bind(slots);
      slots.add = (w: RunningWork) => {
        const twin = w.one?.sub?.twin;
        const twinWork = twin == null || twin.waiting ? undefined : slots.find(twin);
        if (twinWork !== undefined) {
          checked++;
          if (w.replica === twinWork.replica) same++;
          // The state is as it was at the pick: the plain least-loaded pick's answer.
          if (slots.pickByScan() === twinWork.replica) plainWouldCollide++;
        }
        add(w);
      };
    }
    const r = sys.run();
    expect(r.requests.completed).toBe(6000);
    expect(r.hedgeExtraLoad!).toBeGreaterThan(0.05);
    expect(checked).toBeGreaterThan(200);
    expect(plainWouldCollide).toBeGreaterThan(0);
    expect(same).toBe(0);
  });
});
