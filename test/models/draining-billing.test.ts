/**
 * A replica removed while it works drains: it is billed, and counted in the serving
 * slots, until its work is done, then neither. The pool recomputes billed replicas and
 * serving slots only when capacity changes or a drain may be ending (a PERF shortcut in
 * `pool.ts`, `capacityEpoch`); these replay one drain by hand, under a shared queue and
 * under per-replica queues, and read both lifetime integrals.
 *
 * By hand: 2 replicas, 2 requests of exactly 1 s at t = 0, one replica removed at
 * t = 0.25, nothing after. Billed replicas are 2 on [0, 1) (one ready, one draining) and 1
 * from t = 1, when the work ends: ∫₀³ = 2·1 + 1·2 = 4, as is the integral of serving slots.
 * Had the drain's end been missed, both would stay 2 and integrate to 6.
 */
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/config/resolve.ts';
import type { Scenario } from '../../src/config/schema.ts';
import { Simulation } from '../../src/engine/index.ts';
import { buildStages } from '../../src/models/build-stage.ts';
import { Request } from '../../src/models/request.ts';
import { isScalable } from '../../src/models/stations/station.ts';

function drain(stage: Scenario['stages'][number]): { billed: number; slots: number; done: number } {
  const scenario: Scenario = { arrivals: { process: 'poisson', qps: 1 }, stop: { requests: 10 }, stages: [stage] };
  const sim = new Simulation({ seed: 1 });
  const [built] = buildStages(resolveScenario(scenario), sim);
  const st = built!.stage;
  let done = 0;
  st.connect({ done: { stationDone: () => done++ }, drop: { stationDropped: () => expect.fail('nothing is dropped') }, changes: { advance() {} } });
  for (let i = 0; i < 2; i++) st.accept(new Request(i, 0, true));
  if (!isScalable(st)) throw new Error('a pool scales');
  sim.schedule(0.25, () => st.removeReplica());
  sim.run();
  expect(sim.now).toBe(1);
  return { billed: st.counters.billedReplicas.lifetimeIntegral(3), slots: st.counters.slots.lifetimeIntegral(3), done };
}

describe('a replica removed while busy', () => {
  it('is billed and serving until its work ends, under a shared queue', () => {
    const r = drain({ name: 'pool', replicas: 2, service: { dist: 'deterministic', value: 1 } });
    expect(r.done).toBe(2);
    expect(r.billed).toBeCloseTo(4, 12);
    expect(r.slots).toBeCloseTo(4, 12);
  });

  it('is billed and serving until its work ends, under per-replica queues', () => {
    const r = drain({ name: 'pool', replicas: 2, routing: { policy: 'round-robin' }, service: { dist: 'deterministic', value: 1 } });
    expect(r.done).toBe(2);
    expect(r.billed).toBeCloseTo(4, 12);
    expect(r.slots).toBeCloseTo(4, 12);
  });
});
