/**
 * Invariants of pools with faults, over random small configurations (fast-check):
 * arrived = completed + dropped + in flight after the drain, `lost` drops count in
 * `lostToFailures` and `retry` loses nothing to failures, availability stays in [0, 1],
 * and the same seed gives identical output. Batching, concurrency, bounded queues and
 * deadlines are all drawn, so a failure may stop a whole batch or a replica with several
 * batches in flight.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/config/schema.ts';
import { runScenario } from '../../src/models/index.ts';

const config = fc.record({
  replicas: fc.integer({ min: 1, max: 5 }),
  concurrency: fc.integer({ min: 1, max: 3 }),
  maxBatch: fc.integer({ min: 1, max: 4 }),
  capacity: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
  deadline: fc.option(fc.double({ min: 0.05, max: 2, noNaN: true }), { nil: undefined }),
  inFlight: fc.constantFrom('lost' as const, 'retry' as const),
  mtbf: fc.double({ min: 0.2, max: 5, noNaN: true }),
  mttr: fc.double({ min: 0.05, max: 2, noNaN: true }),
  crew: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  share: fc.double({ min: 0.01, max: 1, noNaN: true }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

type Config = typeof config extends fc.Arbitrary<infer T> ? T : never;

function scenarioOf(c: Config): Scenario {
  return {
    name: 'faults-invariants',
    arrivals: { process: 'poisson', qps: 8 },
    stop: { requests: 400 },
    warmup: { requests: 40 },
    stages: [
      {
        name: 'pool',
        replicas: c.replicas,
        concurrency: c.concurrency,
        ...(c.capacity !== undefined ? { queue: { capacity: c.capacity } } : {}),
        ...(c.deadline !== undefined ? { deadline: c.deadline } : {}),
        ...(c.maxBatch > 1 ? { batching: { maxBatch: c.maxBatch, maxWait: 0.01 } } : {}),
        service: { dist: 'exponential', mean: 0.2 },
        faults: {
          failures: { between: { dist: 'exponential', mean: c.mtbf }, repair: { dist: 'exponential', mean: c.mttr }, ...(c.crew !== undefined ? { crew: c.crew } : {}) },
          outages: [{ at: 10, duration: 5, share: c.share }],
          inFlight: c.inFlight,
        },
      },
    ],
  } as unknown as Scenario;
}

describe('pools with faults', () => {
  it('conserve requests, count losses by policy, keep availability a share, and replay by seed (property)', () => {
    let lostSeen = 0;
    let batchLost = 0;
    fc.assert(
      fc.property(config, (c) => {
        const sc = scenarioOf(c);
        const r = runScenario(sc, { seed: c.seed });
        const q = r.requests;
        expect(q.inFlight).toBe(0);
        expect(q.arrived).toBe(q.completed + q.dropped);
        const st = r.stages['pool']!;
        const f = st.faults!;
        expect(f.lostToFailures).toBeLessThanOrEqual(st.dropped);
        if (c.inFlight === 'retry') expect(f.lostToFailures).toBe(0);
        lostSeen += f.lostToFailures;
        if (c.maxBatch > 1) batchLost += f.lostToFailures;
        expect(f.availability).toBeGreaterThanOrEqual(0);
        expect(f.availability).toBeLessThanOrEqual(1 + 1e-12);
        expect(f.timeInIncidentS).toBeLessThanOrEqual(r.measuredS + 1e-9);
        expect(runScenario(sc, { seed: c.seed })).toEqual(r);
      }),
      { seed: 17, numRuns: 60 },
    );
    // The property is not vacuous: failures did stop work in flight, batches included.
    expect(lostSeen).toBeGreaterThan(0);
    expect(batchLost).toBeGreaterThan(0);
  }, 120_000);
});
