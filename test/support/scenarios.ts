import type { Scenario, StageSpec } from '../../src/config/schema.ts';

/** What the theory tests vary: Poisson rate, run length, warm-up and the stages. */
export interface PoissonScenario {
  qps: number;
  /** Arrivals in the run, warm-up included. */
  requests: number;
  /** Leading arrivals excluded from every figure. */
  warmupRequests?: number;
  stages: StageSpec[];
}

/** A validated-shape scenario with Poisson arrivals and a count-based stop (durations in seconds). */
export function poissonScenario(p: PoissonScenario): Scenario {
  return {
    name: 'theory',
    arrivals: { process: 'poisson', qps: p.qps },
    stop: { requests: p.requests },
    ...(p.warmupRequests !== undefined ? { warmup: { requests: p.warmupRequests } } : {}),
    stages: p.stages,
  };
}
