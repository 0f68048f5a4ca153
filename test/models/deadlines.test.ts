import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { waitCollector } from '../../src/models/metrics/stage-wait.ts';
import type { Scenario } from '../../src/config/schema.ts';
import { runScenario, ServingSystem } from '../../src/models/index.ts';

/**
 * Arrivals every 10 ms, one replica, service 25 ms, stage deadline 28 ms, 10 requests.
 * Worked by hand (a request still waiting 28 ms after arriving is dropped):
 *   r1@10 served at once, ends 35;  r2@20 starts 35 (waited 15), ends 60;
 *   r3@30 still waiting at 58: timed out;  r4@40 starts 60 (waited 20), ends 85;
 *   r5@50 timed out at 78;  r6@60 starts 85 (waited 25), ends 110;
 *   r7@70 timed out at 98;  r8@80 timed out at 108;  r9@90 starts 110 (20), ends 135;
 *   r10@100 timed out at 128.
 * Served: r1 r2 r4 r6 r9 with latencies 25 40 45 50 45 ms; timed out: 5.
 */
const handCase: Scenario = {
  name: 'deadline',
  seed: 1,
  arrivals: { process: 'constant', qps: 100 },
  stop: { requests: 10 },
  stages: [{ name: 'm', replicas: 1, deadline: 0.028, service: { dist: 'deterministic', value: 0.025 } }],
};

describe('deadlines', () => {
  it('drop exactly the requests whose wait would exceed them (hand case)', () => {
    const r = runScenario(handCase);
    expect(r.requests).toEqual({ arrived: 10, completed: 5, dropped: 5, timedOut: 5, inFlight: 0 });
    expect(r.latencyMs.mean).toBeCloseTo((25 + 40 + 45 + 50 + 45) / 5, 9);
    expect(r.latencyMs.max).toBeCloseTo(50, 9);
    expect(r.stages.m!.timedOut).toBe(5);
    expect(r.stages.m!.dropped).toBe(5);
    expect(r.stages.m!.queueWaitMs.mean).toBeCloseTo((0 + 15 + 20 + 25 + 20) / 5, 9);
  });

  it('a scenario-wide deadline counts from arrival at the system', () => {
    // Two stages: the first takes 20 ms flat; the deadline of 45 ms from arrival leaves
    // 25 ms of waiting at the second stage, equal to the first case's 28 ms minus 3 ms
    // of slack; with 10 ms gaps and a 25 ms second stage the pattern above repeats,
    // shifted by 20 ms, with a 25 ms wait budget: r3 (would wait 30) times out, r4 waits 20...
    const r = runScenario({
      ...handCase,
      deadline: 0.045,
      stages: [
        { name: 'pre', replicas: 10, service: { dist: 'deterministic', value: 0.02 } },
        { name: 'm', replicas: 1, service: { dist: 'deterministic', value: 0.025 } },
      ],
    });
    // Same hand case with a 25 ms wait budget at stage m: r6 waits exactly 25 ms, so it
    // times out too (its deadline passes as it would start; the expiry was scheduled
    // first), and r7 then starts at 85 instead (waited 15), ends 110; r8 waits 30: out;
    // r9 starts 110 (20), ends 135; r10 waits 35: out.
    expect(r.requests.timedOut).toBe(5);
    expect(r.requests.completed).toBe(5);
    expect(r.stages.m!.timedOut).toBe(5);
    expect(r.stages.pre!.timedOut).toBe(0);
    // Latencies: r1 45, r2 60, r4 65, r7 60, r9 65 (20 ms at "pre" + wait + 25 ms).
    expect(r.latencyMs.mean).toBeCloseTo((45 + 60 + 65 + 60 + 65) / 5, 9);
  });

  it('no served request waited longer than its deadline; every timeout waited exactly it (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          qps: fc.double({ min: 20, max: 400, noNaN: true }),
          replicas: fc.integer({ min: 1, max: 4 }),
          deadlineMs: fc.integer({ min: 1, max: 100 }),
          meanMs: fc.integer({ min: 1, max: 40 }),
          seed: fc.integer({ min: 0, max: 1e6 }),
          policy: fc.constantFrom('shared', 'round-robin', 'least-outstanding', 'power-of-two', 'random'),
          maxBatch: fc.integer({ min: 1, max: 4 }),
        }),
        (p) => {
          const sys = new ServingSystem({
            name: 'prop',
            seed: p.seed,
            arrivals: { process: 'poisson', qps: p.qps },
            stop: { requests: 2000 },
            stages: [
              {
                name: 'm',
                replicas: p.replicas,
                deadline: p.deadlineMs / 1000,
                routing: { policy: p.policy as 'shared' },
                batching: { maxBatch: p.maxBatch, maxWait: 0.002 },
                service: { dist: 'linear', base: p.meanMs / 1000, perItem: 0.001 },
              },
            ],
          });
          const st = sys.stages[0]!;
          const drop = sys.stationDropped.bind(sys);
          const waits: number[] = [];
          vi.spyOn(sys, 'stationDropped').mockImplementation((req, timedOut) => {
            if (timedOut) waits.push(sys.sim.now - req.enqueuedS);
            drop(req, timedOut);
          });
          const r = sys.run();
          // Each timeout happens exactly at its deadline (float sums: 1e-9 s).
          for (const w of waits) expect(Math.abs(w - p.deadlineMs / 1000)).toBeLessThan(1e-9);
          expect(waits.length).toBe(r.requests.timedOut);
          // The wait sketch holds the waits of served requests only; its max is exact.
          const wait = st.metrics.of(waitCollector)!.wait;
          if (wait.count > 0) expect(wait.max).toBeLessThanOrEqual(p.deadlineMs / 1000 + 1e-12);
          expect(r.requests.arrived).toBe(r.requests.completed + r.requests.dropped + r.requests.inFlight);
        },
      ),
      { numRuns: 60, seed: 42 },
    );
  });
});
