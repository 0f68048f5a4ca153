import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Scenario } from '../../src/config/schema.ts';
import { ServingSystem, runScenario } from '../../src/models/index.ts';

/** Small random scenarios: one to three stages of any distribution, bounded or not. */
const serviceArb = fc.oneof(
  fc.record({ dist: fc.constant('exponential' as const), mean: fc.double({ min: 0.001, max: 0.2, noNaN: true }) }),
  fc.record({ dist: fc.constant('deterministic' as const), value: fc.double({ min: 0, max: 0.2, noNaN: true }) }),
  fc.record({ dist: fc.constant('lognormal' as const), mean: fc.double({ min: 0.001, max: 0.2, noNaN: true }), cv: fc.double({ min: 0.1, max: 3, noNaN: true }) }),
  fc.record({ dist: fc.constant('gamma' as const), mean: fc.double({ min: 0.001, max: 0.2, noNaN: true }), cv: fc.double({ min: 0.1, max: 3, noNaN: true }) }),
);
const stageArb = (i: number) =>
  fc.record({
    name: fc.constant(`s${i}`),
    replicas: fc.integer({ min: 1, max: 5 }),
    concurrency: fc.integer({ min: 1, max: 3 }),
    queue: fc.option(fc.record({ capacity: fc.integer({ min: 0, max: 20 }) }), { nil: undefined }),
    service: serviceArb,
  });
const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    qps: fc.double({ min: 1, max: 200, noNaN: true }),
    requests: fc.integer({ min: 1, max: 3000 }),
    warm: fc.integer({ min: 0, max: 100 }),
    nStages: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer({ min: 0, max: 1e6 }),
  })
  .chain((p) =>
    fc.tuple(...Array.from({ length: p.nStages }, (_, i) => stageArb(i))).map((stages) => ({
      name: 'prop',
      seed: p.seed,
      arrivals: { process: 'poisson' as const, qps: p.qps },
      stop: { requests: p.requests + p.warm },
      warmup: { requests: p.warm },
      stages,
    })),
  );

describe('invariants of any scenario (property tests)', () => {
  it('arrived = completed + dropped + in flight, and nothing finishes before it arrives', () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const sys = new ServingSystem(sc);
        let early = 0;
        for (const node of sys.nodes) {
          const done = node.stationDone.bind(node);
          vi.spyOn(node, 'stationDone').mockImplementation((req) => {
            if (sys.sim.now < req.arrivalS) early++;
            done(req);
          });
        }
        // Check conservation in the middle of the run too, not only after the drain.
        sys.sim.run(sys.sim.now + 1);
        const mid = sys.result().requests;
        expect(mid.arrived).toBe(mid.completed + mid.dropped + mid.inFlight);
        expect(mid.inFlight).toBeGreaterThanOrEqual(0);
        const r = sys.run();
        expect(early).toBe(0);
        expect(r.requests.arrived).toBe(sc.stop!.requests! - sc.warmup!.requests!);
        expect(r.requests.arrived).toBe(r.requests.completed + r.requests.dropped + r.requests.inFlight);
        expect(r.requests.inFlight).toBe(0); // the run drains
        const stageDrops = Object.values(r.stages).reduce((a, s) => a + s.dropped, 0);
        expect(stageDrops).toBe(r.requests.dropped);
        if (r.requests.completed > 0) {
          expect(r.latencyMs.p50).toBeGreaterThanOrEqual(0);
          expect(r.latencyMs.max).toBeGreaterThanOrEqual(r.latencyMs.p999);
        }
        for (const s of Object.values(r.stages)) {
          expect(s.utilization).toBeGreaterThanOrEqual(0);
          expect(s.utilization).toBeLessThanOrEqual(1 + 1e-12);
        }
      }),
      { numRuns: 60, seed: 20261126 },
    );
  });

  it('the same scenario and seed give identical results; a bounded queue never exceeds its capacity', () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const a = runScenario(sc);
        const b = runScenario(sc);
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
        sc.stages.forEach((st) => {
          if (st.queue?.capacity !== undefined) expect(a.stages[st.name]!.maxQueueLength).toBeLessThanOrEqual(st.queue.capacity);
        });
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('two runs in one process do not see each other (state lives on the instance)', () => {
    const sc: Scenario = {
      name: 'iso',
      seed: 5,
      arrivals: { process: 'poisson', qps: 50 },
      stop: { requests: 5000 },
      stages: [{ name: 'm', replicas: 2, service: { dist: 'exponential', mean: 0.03 } }],
    };
    const alone = JSON.stringify(runScenario(sc));
    // Interleave two systems event by event; each must still match the solo run.
    const x = new ServingSystem(sc);
    const y = new ServingSystem(sc);
    // Fire three events of x, then two of y, and so on, until both have drained.
    const steps = (n: number) => {
      let left = n;
      return () => left-- > 0;
    };
    while (!x.drained || !y.drained) {
      if (!x.drained) x.sim.runWhile(steps(3));
      if (!y.drained) y.sim.runWhile(steps(2));
    }
    expect(JSON.stringify(x.result())).toBe(alone);
    expect(JSON.stringify(y.result())).toBe(alone);
  });
});
