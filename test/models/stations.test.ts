import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/config/resolve.ts';
import { Simulation } from '../../src/engine/index.ts';
import { buildStages } from '../../src/models/build-stage.ts';
import { ServingSystem } from '../../src/models/index.ts';
import { isScalable } from '../../src/models/stations/station.ts';

const scenario = {
  arrivals: { process: 'poisson' as const, qps: 10 },
  stop: { requests: 200 },
  stages: [
    { name: 'fan', replicas: 2, fanout: { shards: 3, quorum: 2, hedgeAfter: 0.05 }, service: { dist: 'exponential' as const, mean: 0.01 } },
    { name: 'log', replicas: 1, buffer: { ack: { dist: 'deterministic' as const, value: 0.002 }, retention: 10 }, service: { dist: 'exponential' as const, mean: 0.01 } },
    { name: 'pool', replicas: 4, concurrency: 2, batching: { maxBatch: 8, maxWait: 0.001 }, service: { dist: 'linear' as const, base: 0.01, perItem: 0.001 } },
  ],
};

describe('stations', () => {
  it('are built from stationRegistry by the description kind, and expose their theory inputs', () => {
    const stages = buildStages(resolveScenario(scenario), new Simulation({ seed: 1 }));
    expect(stages.map((b) => b.stage.kind)).toEqual(['fanout', 'buffer', 'pool']);
    const [fan, log, pool] = stages.map((b) => b.stage);
    expect(fan!.theory).toMatchObject({ shards: 3, servers: 2, fanout: true, hedged: true });
    expect(fan!.servers).toBe(6);
    expect(log!.theory).toMatchObject({ queueCapacity: 10, shards: 1, fanout: false });
    expect(pool!.theory).toMatchObject({ servers: 8, maxBatch: 8 });
    expect(pool!.theory.meanS).toBeCloseTo(0.011, 12);
    expect(pool!.theory.fullBatchMeanS).toBeCloseTo(0.018, 12);
    // Capacity: replicas × concurrency × maxBatch / mean of a full batch.
    expect(pool!.capacityRps()).toBeCloseTo((4 * 2 * 8) / 0.018, 9);
    expect(pool!.capacityRps(8)).toBeCloseTo((8 * 2 * 8) / 0.018, 9);
    expect(stages.every((b) => isScalable(b.stage))).toBe(true);
  });

  it('are linked once: a second connect is a wiring bug', () => {
    const sys = new ServingSystem(scenario);
    expect(() => sys.stages[0]!.connect({ done: { stationDone() {} }, drop: sys, changes: { advance() {} } })).toThrow(/already connected/);
  });

  it('report every request to their collectors: a run conserves requests at each stage', () => {
    const r = new ServingSystem(scenario).run();
    for (const name of ['fan', 'log', 'pool']) {
      const st = r.stages[name]!;
      expect(st.completed + st.dropped).toBeGreaterThan(0);
    }
    expect(r.stages['log']!.ackMs!.mean).toBeCloseTo(2, 9);
    expect(r.requests.arrived).toBe(r.requests.completed + r.requests.dropped + r.requests.inFlight);
  });
});
