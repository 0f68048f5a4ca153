/**
 * The load check and the theory line read one capacity and one arrival rate per stage
 * (`stageLoads`): where the load check calls a stage overloaded, theory finds no steady
 * state, and the other way round. A fan-out stage serves every request once on each
 * shard: each shard sees the parent rate and has the stage's replicas.
 */
import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { theoryForRun } from '../../src/experiments/theory.ts';
import { ServingSystem, runScenario } from '../../src/models/index.ts';
import { stageLoads } from '../../src/models/load-check.ts';

const fanout = (qps: number) =>
  scenarioFromText({
    name: 'fanout.yaml',
    text: `name: fanout
arrivals: { process: poisson, qps: ${qps} }
stop: { requests: 2000 }
stages:
  - name: shards
    replicas: 2
    fanout: { shards: 4 }
    service: { dist: exponential, mean: "100ms" }
`,
  });

describe('one capacity and one rate per stage', () => {
  it('a fan-out shard: the parent rate against one shard’s capacity', () => {
    const sys = new ServingSystem(fanout(15));
    const [load] = stageLoads(sys.arrivals.meanRate(), sys.stages);
    // Reference: 2 replicas × 1 / 0.1 s = 20/s per shard (not 4 × 20 = 80/s), each shard
    // receiving all 15/s of the parent requests.
    expect(load!.capacityRps).toBeCloseTo(20, 12);
    expect(load!.rateRps).toBe(15);
  });

  it('overloaded fan-out: the load check warns, and theory finds no steady state at the same 125 %', () => {
    const scenario = fanout(25);
    const result = runScenario(scenario);
    expect(result.warnings.some((w) => w.includes('stage "shards" is overloaded: 25 req/s arrive') && w.includes('at most 20 req/s'))).toBe(true);
    const [row] = theoryForRun(scenario, new ServingSystem(scenario), result);
    // Before, theory counted every shard's servers (M/M/8 at ρ = 31 %).
    expect(row!.analytic).toBe(Infinity);
    expect(row!.note).toContain('offered load is 125% of capacity');
  });

  it('behind an overloaded stage, a stage receives at most that stage’s capacity', () => {
    const scenario = scenarioFromText({
      name: 'tandem.yaml',
      text: `name: tandem
arrivals: { process: poisson, qps: 25 }
stop: { requests: 1000 }
stages:
  - name: front
    replicas: 1
    service: { dist: exponential, mean: "100ms" }
  - name: back
    replicas: 1
    service: { dist: exponential, mean: "60ms" }
`,
    });
    const sys = new ServingSystem(scenario);
    const loads = stageLoads(sys.arrivals.meanRate(), sys.stages);
    // Reference: front completes at most 1/0.1 = 10/s; back can complete 16.7/s.
    expect(loads.map((l) => l.rateRps)).toEqual([25, 10]);
    const warnings = runScenario(scenario).warnings;
    expect(warnings.filter((w) => w.includes('is overloaded'))).toHaveLength(1);
    expect(warnings[0]).toContain('stage "front"');
  });
  it('a fallback target is off the main path: offered only what is diverted, never the whole rate', () => {
    const scenario = scenarioFromText({
      name: 'fallback.yaml',
      text: `name: fallback
arrivals: { process: poisson, qps: 100 }
stop: { requests: 5000 }
stages:
  - name: ranker
    replicas: 4
    service: { dist: exponential, mean: "20ms" }
    fallback: { queueLength: 50, to: lite }
  - name: lite
    replicas: 1
    service: { dist: exponential, mean: "50ms" }
`,
    });
    const result = runScenario(scenario);
    // Reference: the ranker runs at 100 × 0.02 / 4 = 50 % and its queue seldom reaches 50,
    // so "lite" (20 req/s) gets almost nothing; before, the check offered it all 100 req/s
    // and warned it was at 500 %.
    expect(result.warnings.filter((w) => w.includes('lite'))).toEqual([]);
  });
});
