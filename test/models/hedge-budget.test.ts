import { describe, expect, it } from 'vitest';
import { ServingSystem } from '../../src/models/index.ts';

/** A 10-shard fan-out, lightly loaded, exponential service of mean 10 ms, hedged after 20 ms. */
function scenario(hedgeBudget?: number) {
  return {
    seed: 3,
    arrivals: { process: 'poisson' as const, qps: 20 },
    stop: { requests: 4000 },
    stages: [
      {
        name: 'fan',
        replicas: 4,
        fanout: { shards: 10, hedgeAfter: 0.02, ...(hedgeBudget === undefined ? {} : { hedgeBudget }) },
        service: { dist: 'exponential' as const, mean: 0.01 },
      },
    ],
  };
}

describe('fan-out hedge budget', () => {
  it('keeps hedges within the budget where unbudgeted hedging goes past it', () => {
    // Reference: an exponential call of mean 10 ms is still running at 20 ms with
    // probability e^-2 = 13.5%, so unbudgeted hedging sends about 0.135 backups per
    // sub-request (40,000 sub-requests: standard error 0.17%); 0.10 is 20 of them below.
    const free = new ServingSystem(scenario()).run();
    expect(free.hedgeExtraLoad!).toBeGreaterThan(0.1);
    expect(Math.abs(free.hedgeExtraLoad! - Math.exp(-2))).toBeLessThan(0.01);
    // With a 5% budget and no warm-up every sub-request is measured, so the count the
    // budget keeps (hedges ≤ 0.05 × sub-requests sent so far, at every hedge) is the
    // figure: at most 0.05 exactly. Demand is 13.5%, so the budget is spent almost
    // whole: each new 20 sub-requests earn one hedge, and a request brings 10.
    const capped = new ServingSystem(scenario(0.05)).run();
    expect(capped.hedgeExtraLoad!).toBeLessThanOrEqual(0.05);
    expect(capped.hedgeExtraLoad!).toBeGreaterThan(0.049);
    expect(capped.stages['fan']!.hedgeExtraLoad!).toBeLessThanOrEqual(0.05);
    // Fewer backups: more requests wait on a slow first copy, so the tail grows.
    expect(capped.latencyMs.p99).toBeGreaterThan(free.latencyMs.p99);
  });
});
