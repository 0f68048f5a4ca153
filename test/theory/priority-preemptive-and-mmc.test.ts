/**
 * Two closed forms of priority queues (src/experiments/priority-queueing.ts) against
 * 20 replications each:
 * - M/M/1 under preemptive-resume priority: T_k = E[S]/(1 − σ_{k−1}) + (Σ_{i≤k} λ_i E[S²]/2)/((1 − σ_{k−1})(1 − σ_k));
 * - M/M/c under non-preemptive priority, one service rate: W_k = C(c, a)/(cμ(1 − σ_{k−1})(1 − σ_k)).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/config/schema.ts';
import { mmcPriorityMeanWaitsS, preemptiveResumeSojournsS } from '../../src/experiments/priority-queueing.ts';
import type { RunResult } from '../../src/models/index.ts';
import { estimate, expectAgreement, K, replicate, REPLICATIONS, seedBlock } from '../support/replications.ts';

const NAMES = ['c1', 'c2', 'c3'];

function scenario(lambda: number, shares: number[], replicas: number, policy: 'priority' | 'priority-preemptive'): Scenario {
  return {
    name: 'priority',
    arrivals: { process: 'poisson', qps: lambda },
    // 60k arrivals (6k warm-up): at ρ = 0.8 some hundreds of relaxation times per run.
    stop: { requests: 60_000 },
    warmup: { requests: 6_000 },
    classes: shares.map((share, i) => ({ name: NAMES[i]!, share, priority: i })),
    stages: [{ name: 'model', replicas, service: { dist: 'exponential', mean: 1 }, discipline: { policy } }],
  };
}

const classMean = (runs: RunResult[], k: number) => estimate(runs.map((r) => r.classes![NAMES[k]!]!.latencyMs.mean / 1000));

describe('M/M/1, preemptive-resume, three classes at ρ = 0.8', () => {
  const shares = [0.25, 0.25, 0.5];
  // Reference: μ = 1, λ = 0.8, E[S²] = 2; σ = 0.2, 0.4, 0.8.
  // T_1 = 1 + 0.2/0.8 = 1.25; T_2 = 1/0.8 + 0.4/(0.8 · 0.6) = 2.08333;
  // T_3 = 1/0.6 + 0.8/(0.6 · 0.2) = 8.33333 s.
  const reference = [1.25, 2.08333, 8.33333];
  // About twice the relative SE 20 runs of 60k arrivals reached (0.29 %, 0.36 %, 1.15 %).
  const maxRelSe = [0.006, 0.008, 0.025];
  let runs: RunResult[];
  beforeAll(() => {
    runs = replicate(scenario(0.8, shares, 1, 'priority-preemptive'), seedBlock(4200, REPLICATIONS));
  }, 120_000); // 20 runs of 60k arrivals: a few seconds idle, far more on a loaded machine

  it('the formula reproduces the hand-computed reference values', () => {
    const t = preemptiveResumeSojournsS(shares.map((s) => ({ lambda: 0.8 * s, meanS: 1, secondMomentS2: 2 })));
    t.forEach((tk, k) => expect(tk).toBeCloseTo(reference[k]!, 4));
  });

  it('each class’s mean time in system matches', () => {
    reference.forEach((t, k) => expectAgreement(`class ${NAMES[k]} sojourn (s)`, classMean(runs, k), t, { k: K, maxRelSe: maxRelSe[k]!, maxRelErr: 0.1 }));
  });

  it('the top class does not see the others at all: its sojourn is M/M/1’s at its own load', () => {
    // 1/(μ − λ_1) = 1/(1 − 0.2) = 1.25 s, the same number by another road.
    expectAgreement('class c1 as its own M/M/1 (s)', classMean(runs, 0), 1 / (1 - 0.2), { k: K, maxRelSe: 0.006, maxRelErr: 0.05 });
  });
});

describe('M/M/4, non-preemptive priority, two classes at ρ = 0.8', () => {
  const shares = [0.3, 0.7];
  // Reference: c = 4, μ = 1, λ = 3.2, a = 3.2: C(4, 3.2) = 0.59643 (test/theory/mmc-erlang-c.test.ts).
  // σ_1 = 0.96/4 = 0.24, σ_2 = 0.8. W_1 = 0.59643/(4 · 0.76) = 0.19619,
  // W_2 = 0.59643/(4 · 0.76 · 0.2) = 0.98097; T = W + 1 = 1.19619, 1.98097 s.
  const reference = [1.19619, 1.98097];
  // About twice the relative SE 20 runs of 60k arrivals reached (0.15 %, 0.73 %).
  const maxRelSe = [0.003, 0.015];
  let runs: RunResult[];
  beforeAll(() => {
    runs = replicate(scenario(3.2, shares, 4, 'priority'), seedBlock(4240, REPLICATIONS));
  }, 120_000); // 20 runs of 60k arrivals: a few seconds idle, far more on a loaded machine

  it('the formula reproduces the hand-computed reference values', () => {
    const w = mmcPriorityMeanWaitsS(shares.map((s) => 3.2 * s), 1, 4);
    w.forEach((wk, k) => expect(wk + 1).toBeCloseTo(reference[k]!, 4));
  });

  it('each class’s mean time in system matches W_k + 1/μ', () => {
    reference.forEach((t, k) => expectAgreement(`class ${NAMES[k]} sojourn (s)`, classMean(runs, k), t, { k: K, maxRelSe: maxRelSe[k]!, maxRelErr: 0.1 }));
  });
});
