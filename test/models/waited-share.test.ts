/**
 * The per-stage P(wait > 0) figure (`stages.<name>.waitedShare`, collector
 * src/models/metrics/stage-waited-share.ts) against Erlang C: in an M/M/c pool an
 * arriving request waits exactly when it finds all c servers busy, with probability
 * C(c, a), a = λ/μ (Kleinrock vol. 1, ch. 3). PASTA makes the arrivals' view the
 * time-average one, so the share of measured requests that waited estimates C.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario, type RunResult } from '../../src/models/index.ts';
import { erlangC } from '../support/queueing-theory.ts';
import { estimate, expectAgreement, K, replicate, REPLICATIONS, seedBlock } from '../support/replications.ts';
import { poissonScenario } from '../support/scenarios.ts';

const CASES = [
  // Reference: C(4, 3.2) = 0.59643 (the M/M/4 of src/scenarios/mm4.yaml).
  { c: 4, lambda: 3.2, seedBase: 5200, reference: 0.59643 },
  // Reference: M/M/2 at ρ = 0.5: C = 2ρ²/(1 + ρ) = 1/3.
  { c: 2, lambda: 1.0, seedBase: 5240, reference: 1 / 3 },
];

// REPLICATIONS (20) runs of 50k arrivals (5k warm-up, ≥ 50 relaxation times at ρ ≤ 0.8),
// compared with K (5) standard errors (test/support/replications.ts). The per-run share
// is a mean of strongly correlated indicators (busy periods); its SE over 20 runs
// measured 0.3–0.4 % of C, so maxRelSe 1.5 % gives the check power against a bias of
// about 7 % (5 SE), and 5 % is the loose absolute bound.
describe.each(CASES)('P(wait > 0) of M/M/$c with λ = $lambda, μ = 1', (cs) => {
  let runs: RunResult[];
  beforeAll(() => {
    const sc = poissonScenario({ qps: cs.lambda, requests: 50_000, warmupRequests: 5_000, stages: [{ name: 'model', replicas: cs.c, service: { dist: 'exponential', mean: 1 } }] });
    runs = replicate(sc, seedBlock(cs.seedBase, REPLICATIONS));
  }, 120_000);

  it('the theory helper reproduces the hand-computed C(c, a)', () => {
    expect(erlangC(cs.c, cs.lambda)).toBeCloseTo(cs.reference, 4);
  });

  it('the share of measured requests that waited at all is Erlang C', () => {
    const est = estimate(runs.map((r) => r.stages['model']!.waitedShare!));
    expectAgreement(`M/M/${cs.c} P(wait > 0)`, est, erlangC(cs.c, cs.lambda), { k: K, maxRelSe: 0.015, maxRelErr: 0.05 });
  });
});

describe('waitedShare at the edges', () => {
  it('is 0 when a server is always free, and null for a stage no request reached', () => {
    const r = runScenario({
      name: 'edges',
      arrivals: { process: 'constant', qps: 1 },
      stop: { requests: 100 },
      stages: [
        { name: 'a', replicas: 1, service: { dist: 'deterministic', value: 0.5 } },
        { name: 'b', replicas: 1, queue: { capacity: 0 }, fallback: { queueLength: 0, heuristic: { latency: { dist: 'deterministic', value: 0.001 }, quality: 0 } }, service: { dist: 'deterministic', value: 0.5 } },
      ],
    });
    expect(r.stages['a']!.waitedShare).toBe(0);
    expect(r.stages['a']!.completed).toBe(100);
    expect(r.stages['b']!.waitedShare).toBeNull();
  });
});
