import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/config/schema.ts';
import { parseSlo } from '../../src/config/slo.ts';
import { aggregate } from '../../src/experiments/aggregate.ts';
import { planCheapest } from '../../src/experiments/plan.ts';
import { inProcessRunner, replicationSeed } from '../../src/experiments/runner.ts';
import { mmcSojournSurvival } from '../support/queueing-theory.ts';

/**
 * M/M/c at λ = 40/s with 100 ms exponential service; SLO p99 < 500 ms. The smallest c
 * with P(sojourn < 0.5 s) ≥ 0.99, from the M/M/c sojourn distribution (Erlang C), is the
 * answer `plan` must find. Reference values: c = 5 gives 97.46 %, c = 6 gives 99.14 %,
 * so the decision is clear of the estimation noise (4 replications of 40,000
 * requests estimate the share within ±0.05 %).
 */
const slo = parseSlo('p99 < 500ms') as Exclude<ReturnType<typeof parseSlo>, string>;
const base = (c: number): Scenario => ({
  name: 'plan',
  arrivals: { process: 'poisson', qps: 40 },
  stop: { requests: 44_000 },
  warmup: { requests: 4_000 },
  slo,
  stages: [{ name: 'model', replicas: c, service: { dist: 'exponential', mean: 0.1 } }],
});

describe('plan', () => {
  it('finds the Erlang C minimum replica count with O(log n) simulations', async () => {
    let erlang = 1;
    while (erlang * 10 <= 40 || 1 - mmcSojournSurvival(erlang, 40, 10, 0.5) < 0.99) erlang++; // stable first: c > λ/μ = 4
    expect(erlang).toBe(6);

    const run = inProcessRunner();
    let sims = 0;
    const result = await planCheapest({ path: 'stages.model.replicas', values: [], integerRange: true, lo: 1, hi: 64 }, [], slo.fraction, async (a) => {
      sims++;
      const c = Number(a['stages.model.replicas']);
      return aggregate(await run(Array.from({ length: 4 }, (_, i) => ({ scenario: base(c), seed: replicationSeed(11, i) }))));
    });
    expect(result.best!.assignment['stages.model.replicas']).toBe(erlang);
    expect(result.nextCheaper!.assignment['stages.model.replicas']).toBe(erlang - 1);
    expect(result.nextCheaper!.meets).toBe(false);
    // Bisection over 1..64: the top, then ⌈log2 64⌉ = 6 halvings, plus the next-cheaper check.
    expect(sims).toBeLessThanOrEqual(Math.ceil(Math.log2(64)) + 2);
    expect(result.costIsReplicas).toBe(true);
  });
});
