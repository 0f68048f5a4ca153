/**
 * M/M/c against Erlang's delay formula. With a = λ/μ and c servers (a < c):
 *   P(W > 0) = C(c, a)  (Erlang C),   W | W > 0 ~ Exp(cμ − λ),   Wq = C/(cμ − λ),
 * and the sojourn T = W + S (S ~ Exp(μ), independent of the request's own wait) has
 *   P(T > t) = (1 − C)e^{−μt} + C·P(Exp(cμ − λ) + Exp(μ) > t),
 * a mixture of an exponential and a hypoexponential (Kleinrock vol. 1, ch. 3; Gross,
 * Shortle, Thompson & Harris, 4th ed., ch. 2). The p99 is solved by bisection.
 *
 * The reference values of each case were computed independently of the helpers, from
 * the direct sum C = (aᶜ/c!)(c/(c−a)) / (Σ_{k<c} aᵏ/k! + (aᶜ/c!)(c/(c−a))).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { StageSpec } from '../../src/config/schema.ts';
import { runScenario, type RunResult } from '../../src/models/index.ts';
import { erlangC, mmcMeanWait, mmcSojournSurvival, quantileFromSurvival } from '../support/queueing-theory.ts';
import { estimate, expectAgreement, K, replicate, REPLICATIONS, seedBlock } from '../support/replications.ts';
import { poissonScenario } from '../support/scenarios.ts';

const MU = 1;

interface Case {
  c: number;
  lambda: number;
  seedBase: number;
  /** Reference values computed by hand from the formulas above. */
  reference: { erlangC: number; waitS: number; p99S: number };
  /** Precision the 20 replications reach (SE relative to theory) for the wait and the p99. */
  maxRelSe: { wait: number; p99: number };
}

const CASES: Case[] = [
  // Reference: a = 3.2, C(4, 3.2) = 0.59643, Wq = 0.59643/0.8 = 0.74554 s (src/scenarios/mm4.yaml
  // rounds it to 0.75 s); p99 of T = 6.8932 s.
  { c: 4, lambda: 3.2, seedBase: 1200, reference: { erlangC: 0.59643, waitS: 0.74554, p99S: 6.8932 }, maxRelSe: { wait: 0.02, p99: 0.02 } },
  // Reference: M/M/2 at ρ = 0.8: C = 2ρ²/(1 + ρ) = 0.71111, Wq = C/0.4 = 1.77778 s; p99 = 11.937 s.
  { c: 2, lambda: 1.6, seedBase: 1240, reference: { erlangC: 0.71111, waitS: 1.77778, p99S: 11.937 }, maxRelSe: { wait: 0.02, p99: 0.025 } },
  // Reference: M/M/2 at ρ = 0.5: C = 2ρ²/(1 + ρ) = 1/3, Wq = (1/3)/1 = 0.33333 s. Here
  // cμ − λ = μ, so the waiting-plus-service part is Erlang-2: the limit branch of the
  // hypoexponential. p99 = 5.6660 s.
  { c: 2, lambda: 1.0, seedBase: 1280, reference: { erlangC: 1 / 3, waitS: 1 / 3, p99S: 5.666 }, maxRelSe: { wait: 0.015, p99: 0.01 } },
  // Reference: a = 6.4, C(8, 6.4) = 0.45764, Wq = 0.45764/1.6 = 0.28603 s; p99 = 5.1522 s.
  { c: 8, lambda: 6.4, seedBase: 1320, reference: { erlangC: 0.45764, waitS: 0.28603, p99S: 5.1522 }, maxRelSe: { wait: 0.025, p99: 0.015 } },
];

function stage(c: number): StageSpec {
  return { name: 'model', replicas: c, service: { dist: 'exponential', mean: 1 / MU } };
}

// REPLICATIONS (20) runs of 100k arrivals (10k warm-up, ≥ 100 relaxation times at
// ρ ≤ 0.8), compared with k = K (5) standard errors; see test/support/replications.ts.

describe.each(CASES)('M/M/$c with λ = $lambda, μ = 1', (cs) => {
  let runs: RunResult[];
  beforeAll(() => {
    const sc = poissonScenario({ qps: cs.lambda, requests: 100_000, warmupRequests: 10_000, stages: [stage(cs.c)] });
    runs = replicate(sc, seedBlock(cs.seedBase, REPLICATIONS));
  });

  it('the theory helpers reproduce the hand-computed reference values', () => {
    // Guards the expected numbers themselves: a wrong helper would make every
    // comparison below meaningless.
    expect(erlangC(cs.c, cs.lambda / MU)).toBeCloseTo(cs.reference.erlangC, 4);
    expect(mmcMeanWait(cs.c, cs.lambda, MU)).toBeCloseTo(cs.reference.waitS, 4);
    const p99 = quantileFromSurvival((t) => mmcSojournSurvival(cs.c, cs.lambda, MU, t), 0.99, 1000);
    expect(Math.abs(p99 - cs.reference.p99S) / cs.reference.p99S).toBeLessThan(1e-4);
  });

  it('mean wait in queue is C(c, a)/(cμ − λ)', () => {
    // The SE of the mean over 20 runs measured 0.6–1.2 % of Wq; maxRelSe allows
    // about twice that, so biases above 3–6 % (5 SE) fail; 6 % is the loose bound.
    const est = estimate(runs.map((r) => r.stages['model']!.queueWaitMs.mean / 1000));
    expectAgreement(`M/M/${cs.c} mean wait`, est, mmcMeanWait(cs.c, cs.lambda, MU), { k: K, maxRelSe: cs.maxRelSe.wait, maxRelErr: 0.06 });
  });

  it('share of requests that wait is C(c, a)', () => {
    // The median wait is 0 exactly when P(W > 0) < 0.5 and positive otherwise; the
    // p50 of the wait therefore tests C on the right side of 1/2 without any tolerance,
    // and when C > 1/2 its value is the quantile of W: P(W > w) = C·e^{−(cμ−λ)w} = 1/2.
    const C = erlangC(cs.c, cs.lambda / MU);
    const p50 = runs.map((r) => r.stages['model']!.queueWaitMs.p50 / 1000);
    if (C < 0.5) {
      for (const v of p50) expect(v).toBe(0);
    } else {
      const theory = Math.log(2 * C) / (cs.c * MU - cs.lambda);
      // The median wait is close to 0 when C is near 1/2, so only a relative bound of
      // the same order as for the mean wait makes sense (measured SE ≤ 2.5 %).
      expectAgreement(`M/M/${cs.c} median wait`, estimate(p50), theory, { k: K, maxRelSe: 0.03, maxRelErr: 0.08 });
    }
  });

  it('p99 of the sojourn solves P(T > t) = 0.01', () => {
    const theory = quantileFromSurvival((t) => mmcSojournSurvival(cs.c, cs.lambda, MU, t), 0.99, 1000);
    // Per-run p99s vary 1.5–6 % (1 SD); over 20 runs the SE measured 0.3–1.4 %.
    const est = estimate(runs.map((r) => r.latencyMs.p99 / 1000));
    expectAgreement(`M/M/${cs.c} p99 sojourn`, est, theory, { k: K, maxRelSe: cs.maxRelSe.p99, maxRelErr: 0.06 });
  });
});

describe('servers are replicas × concurrency', () => {
  it('2 replicas of concurrency 2 replay 4 replicas of concurrency 1 exactly', () => {
    // One FIFO queue feeding four identical servers either way, drawing from the same
    // named streams: the runs must be identical, figure for figure.
    const base = { qps: 3.2, requests: 20_000, warmupRequests: 2_000 };
    const four = runScenario(poissonScenario({ ...base, stages: [stage(4)] }), { seed: 5 });
    const twoByTwo = runScenario(
      poissonScenario({ ...base, stages: [{ name: 'model', replicas: 2, concurrency: 2, service: { dist: 'exponential', mean: 1 } }] }),
      { seed: 5 },
    );
    const a = twoByTwo.stages['model']!;
    const b = four.stages['model']!;
    expect(a.servers).toBe(4);
    expect(a.replicas).toBe(2);
    // The queueing figures, not the replica bookkeeping (counts, cost), must agree.
    const queueing = (s: typeof a) => ({
      servers: s.servers,
      utilization: s.utilization,
      meanQueueLength: s.meanQueueLength,
      maxQueueLength: s.maxQueueLength,
      queueWaitMs: s.queueWaitMs,
      dropped: s.dropped,
      completed: s.completed,
    });
    expect(queueing(a)).toEqual(queueing(b));
    expect(twoByTwo.latencyMs).toEqual(four.latencyMs);
  });
});
