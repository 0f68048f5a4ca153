import { describe, expect, it } from 'vitest';
import { lognormal, Simulation } from '../../src/engine/index.ts';
import type { Scenario } from '../../src/config/schema.ts';
import { makePoisson } from '../../src/models/arrivals/poisson.ts';
import { PoolStation, Request, runScenario } from '../../src/models/index.ts';
import { makeServiceTime } from '../../src/models/service-time.ts';
import { resolveScenario } from '../../src/config/resolve.ts';
import { StageMetrics } from '../../src/models/metrics/stage-metrics.ts';
import { stageCollectors } from '../../src/models/metrics/stage-collectors.ts';
import { PoolStage } from '../support/reference-pool.ts';

const base: Scenario = {
  name: 'reduce',
  seed: 11,
  arrivals: { process: 'poisson', qps: 70 },
  stop: { requests: 30_000 },
  warmup: { requests: 1_000 },
  stages: [
    { name: 'a', replicas: 3, queue: { capacity: 10 }, service: { dist: 'lognormal', mean: 0.03, cv: 1.2 } },
    { name: 'b', replicas: 2, service: { dist: 'exponential', mean: 0.02 } },
  ],
};

describe('maxBatch 1 is the plain pool', () => {
  it('a stage with batching { maxBatch: 1 } gives the same numbers as one without batching', () => {
    const plain = runScenario(base);
    const batched = runScenario({
      ...base,
      stages: base.stages.map((s) => ({ ...s, batching: { maxBatch: 1, maxWait: 0.005 }, routing: { policy: 'shared' as const } })),
    });
    expect(JSON.stringify(batched)).toBe(JSON.stringify(plain));
  });

  it('the stage finishes every request at the same instant as the reference M/G/c/K pool', () => {
    // Drive both implementations with the same arrivals and service draws, record
    // each request's finish (or drop) time, and compare them one by one, exactly.
    const trace = (kind: 'stage' | 'reference'): number[] => {
      const sim = new Simulation({ seed: 5 });
      const arrivals = makePoisson({ process: 'poisson', qps: 95 }, sim);
      const out: number[] = [];
      let accept: (r: Request) => void;
      if (kind === 'stage') {
        const st = new PoolStation(sim, {
          name: 'm', replicas: 2, concurrency: 2, queueCapacity: 5, overflow: 'newest', ack: undefined,
          serviceTime: makeServiceTime({ dist: 'lognormal', mean: 0.04, cv: 2 }, sim.random.stream('stage:m:service')),
          maxBatch: 1, maxWaitS: 0, routing: 'shared', deadlineS: Infinity, systemDeadlineS: Infinity, quality: NaN,
        }, new StageMetrics(resolveScenario(base).stages[0]!, stageCollectors, resolveScenario(base)));
        st.connect({
          done: { stationDone: (r) => (out[r.id] = sim.now) },
          drop: { stationDropped: (r) => (out[r.id] = -1) },
          changes: { advance() {} },
        });
        accept = (r) => st.accept(r);
      } else {
        const st = new PoolStage(sim, { name: 'm', replicas: 2, concurrency: 2, queueCapacity: 5, service: lognormal(0.04, 2) });
        st.onDone = (r: Request) => (out[r.id] = sim.now);
        st.onDrop = (r: Request) => (out[r.id] = -1);
        accept = st.accept;
      }
      let id = 0;
      const arrive = () => {
        accept(new Request(id++, sim.now, true));
        if (id < 20_000) sim.scheduleAt(arrivals.next(sim.now), arrive);
      };
      sim.scheduleAt(arrivals.next(0), arrive);
      sim.run();
      return out;
    };
    const a = trace('stage');
    const b = trace('reference');
    expect(a).toHaveLength(20_000);
    expect(a.filter((x) => x < 0).length).toBeGreaterThan(100); // the case exercises drops too
    expect(a).toEqual(b);
  });
});
