/**
 * Invariants of request classes under any discipline (property tests): every request
 * ends completed or dropped, the classes' counts add up to the run's, nothing finishes
 * before it arrives, and the same seed gives the same result. Random scenarios mix
 * disciplines with batching, routing, bounded queues, deadlines and admission control.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/config/schema.ts';
import { ServingSystem, runScenario } from '../../src/models/index.ts';
import type { Request } from '../../src/models/request.ts';

const POLICIES = ['fifo', 'priority', 'priority-preemptive', 'weighted-fair', 'shortest-first', 'earliest-deadline-first'] as const;

const classArb = (i: number) =>
  fc.record({
    name: fc.constant(`c${i}`),
    weight: fc.double({ min: 0.1, max: 5, noNaN: true }),
    priority: fc.integer({ min: 0, max: 3 }),
    deadline: fc.option(fc.double({ min: 0.01, max: 2, noNaN: true }), { nil: undefined }),
    raw: fc.double({ min: 0.05, max: 1, noNaN: true }),
    size: fc.double({ min: 1, max: 100, noNaN: true }),
    rateLimit: fc.option(fc.record({ rps: fc.double({ min: 1, max: 100, noNaN: true }), burst: fc.double({ min: 1, max: 20, noNaN: true }) }), { nil: undefined }),
    shedAt: fc.option(fc.record({ queueLength: fc.integer({ min: 0, max: 30 }) }), { nil: undefined }),
  });

const stageArb = (i: number) =>
  fc
    .record({
      policy: fc.constantFrom(...POLICIES),
      replicas: fc.integer({ min: 1, max: 4 }),
      concurrency: fc.integer({ min: 1, max: 2 }),
      maxBatch: fc.integer({ min: 1, max: 4 }),
      maxWait: fc.double({ min: 0, max: 0.02, noNaN: true }),
      routed: fc.boolean(),
      capacity: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
      deadline: fc.option(fc.double({ min: 0.01, max: 1, noNaN: true }), { nil: undefined }),
      mean: fc.double({ min: 0.001, max: 0.1, noNaN: true }),
      onlySome: fc.boolean(),
    })
    .map((p) => {
      const preemptive = p.policy === 'priority-preemptive';
      return {
        name: `s${i}`,
        replicas: p.replicas,
        concurrency: p.concurrency,
        // Preemptive-resume takes no batching, routing or deadline (validation refuses them).
        ...(!preemptive && p.maxBatch > 1 ? { batching: { maxBatch: p.maxBatch, maxWait: p.maxWait } } : {}),
        ...(!preemptive && p.routed ? { routing: { policy: 'least-outstanding' as const } } : {}),
        ...(p.capacity !== undefined ? { queue: { capacity: p.capacity } } : {}),
        ...(!preemptive && p.deadline !== undefined ? { deadline: p.deadline } : {}),
        service: { dist: 'linear' as const, base: p.mean, per: { size: p.mean / 50 } },
        discipline: p.policy === 'shortest-first' ? { policy: p.policy, by: 'size' } : { policy: p.policy },
        ...(p.onlySome ? { classes: ['c0'] } : {}),
      };
    });

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    qps: fc.double({ min: 5, max: 300, noNaN: true }),
    requests: fc.integer({ min: 1, max: 2000 }),
    warm: fc.integer({ min: 0, max: 100 }),
    nClasses: fc.integer({ min: 1, max: 3 }),
    nStages: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer({ min: 0, max: 1e6 }),
  })
  .chain((p) =>
    fc
      .tuple(fc.tuple(...Array.from({ length: p.nClasses }, (_, i) => classArb(i))), fc.tuple(...Array.from({ length: p.nStages }, (_, i) => stageArb(i))))
      .map(([classes, stages]) => {
        const total = classes.reduce((a, c) => a + c.raw, 0);
        return {
          name: 'prop-classes',
          seed: p.seed,
          arrivals: { process: 'poisson' as const, qps: p.qps },
          stop: { requests: p.requests + p.warm },
          warmup: { requests: p.warm },
          classes: classes.map((c) => ({
            name: c.name,
            share: c.raw / total,
            weight: c.weight,
            priority: c.priority,
            ...(c.deadline !== undefined ? { deadline: c.deadline } : {}),
            attributes: { size: { dist: 'exponential' as const, mean: c.size } },
            ...(c.rateLimit !== undefined ? { rateLimit: c.rateLimit } : {}),
            ...(c.shedAt !== undefined ? { shedAt: c.shedAt } : {}),
          })),
          stages,
        };
      }),
  );

describe('invariants of request classes (property tests)', () => {
  it('every request ends completed or dropped; the classes add up to the run; nothing ends before it arrives', () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const sys = new ServingSystem(sc);
        let early = 0;
        for (const b of sys.built) {
          const m = b.stage.metrics;
          const finished = m.finished.bind(m);
          m.finished = (r: Request) => {
            if (sys.sim.now < r.arrivalS) early++;
            finished(r);
          };
        }
        const r = sys.run();
        expect(early).toBe(0);
        expect(r.requests.arrived).toBe(sc.stop!.requests! - sc.warmup!.requests!);
        expect(r.requests.arrived).toBe(r.requests.completed + r.requests.dropped);
        const cls = Object.values(r.classes!);
        const sum = (f: (c: (typeof cls)[number]) => number) => cls.reduce((a, c) => a + f(c), 0);
        expect(sum((c) => c.requests.arrived)).toBe(r.requests.arrived);
        expect(sum((c) => c.requests.completed)).toBe(r.requests.completed);
        expect(sum((c) => c.requests.dropped)).toBe(r.requests.dropped);
        expect(sum((c) => c.requests.timedOut)).toBe(r.requests.timedOut);
        for (const c of cls) {
          expect(c.requests.inFlight).toBe(0);
          expect(c.shed.rateLimit + c.shed.queueLength).toBeLessThanOrEqual(c.requests.dropped);
        }
        // Stations' drops and admission control's sheds are every drop there is.
        const stageDrops = Object.values(r.stages).reduce((a, s) => a + s.dropped, 0);
        expect(stageDrops + sum((c) => c.shed.rateLimit + c.shed.queueLength)).toBe(r.requests.dropped);
      }),
      { numRuns: 150, seed: 20261207 },
    );
  });

  it('the same scenario and seed give identical results', () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        expect(JSON.stringify(runScenario(sc))).toBe(JSON.stringify(runScenario(sc)));
      }),
      { numRuns: 30, seed: 20261208 },
    );
  });
});
