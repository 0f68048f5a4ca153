/**
 * M/G/1 with non-preemptive priority classes against Cobham's per-class mean waits
 * (src/experiments/priority-queueing.ts): W_k = W_0 / ((1 − σ_{k−1})(1 − σ_k)),
 * W_0 = Σ λ_i E[S_i²]/2, and the class's mean time in system T_k = W_k + E[S] (a
 * request's own service is independent of its wait). Two and three classes at ρ = 0.8.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/config/schema.ts';
import { cobhamMeanWaitsS } from '../../src/experiments/priority-queueing.ts';
import type { RunResult } from '../../src/models/index.ts';
import { estimate, expectAgreement, K, replicate, REPLICATIONS, seedBlock } from '../support/replications.ts';

interface Case {
  title: string;
  shares: number[];
  service: Scenario['stages'][number]['service'];
  /** E[S²] of that service (seconds²), for the formula. */
  secondMomentS2: number;
  seedBase: number;
  /** Reference sojourns by hand, seconds, highest priority first. */
  reference: number[];
  /**
   * SE relative to theory the replications must reach, per class: about twice what 20 runs
   * of 60k arrivals gave (0.25 % and 0.8 %; 0.13, 0.19 and 0.55 %). The lowest class waits
   * through every busy period and is the noisiest.
   */
  maxRelSe: number[];
}

const LAMBDA = 0.8;

const CASES: Case[] = [
  // Reference: exponential S, E[S] = 1, E[S²] = 2; W_0 = 0.8 · 2 / 2 = 0.8. Shares 0.25 / 0.75:
  // σ = 0.2, 0.8. W_1 = 0.8 / (1 · 0.8) = 1, W_2 = 0.8 / (0.8 · 0.2) = 5; T = 2, 6 s.
  { title: 'two classes, M/M/1', shares: [0.25, 0.75], service: { dist: 'exponential', mean: 1 }, secondMomentS2: 2, seedBase: 4100, reference: [2, 6], maxRelSe: [0.005, 0.015] },
  // Reference: lognormal S, E[S] = 1, cv 0.5: E[S²] = 1.25, W_0 = 0.5. Shares 0.2 / 0.3 / 0.5:
  // σ = 0.16, 0.40, 0.80. W_1 = 0.5 / 0.84 = 0.59524, W_2 = 0.5 / (0.84 · 0.6) = 0.99206,
  // W_3 = 0.5 / (0.6 · 0.2) = 4.16667; T = 1.59524, 1.99206, 5.16667 s.
  { title: 'three classes, M/G/1 (lognormal, cv 0.5)', shares: [0.2, 0.3, 0.5], service: { dist: 'lognormal', mean: 1, cv: 0.5 }, secondMomentS2: 1.25, seedBase: 4140, reference: [1.59524, 1.99206, 5.16667], maxRelSe: [0.004, 0.005, 0.012] },
];

const NAMES = ['c1', 'c2', 'c3'];

function scenario(cs: Case): Scenario {
  return {
    name: 'priority',
    arrivals: { process: 'poisson', qps: LAMBDA },
    // 60k arrivals (6k warm-up) at ρ = 0.8: the relaxation time of M/M/1 is about
    // 1/(μ(1 − √ρ)²) ≈ 90 s, so each run spans some 800 of them.
    stop: { requests: 60_000 },
    warmup: { requests: 6_000 },
    classes: cs.shares.map((share, i) => ({ name: NAMES[i]!, share, priority: i })),
    stages: [{ name: 'model', replicas: 1, service: cs.service, discipline: { policy: 'priority' } }],
  };
}

describe.each(CASES)('Cobham: $title at ρ = 0.8', (cs) => {
  let runs: RunResult[];
  beforeAll(() => {
    runs = replicate(scenario(cs), seedBlock(cs.seedBase, REPLICATIONS));
  }, 120_000); // 20 runs of 60k arrivals: a few seconds idle, far more on a loaded machine

  it('the formula reproduces the hand-computed reference values', () => {
    const w = cobhamMeanWaitsS(cs.shares.map((s) => ({ lambda: s * LAMBDA, meanS: 1, secondMomentS2: cs.secondMomentS2 })));
    w.forEach((wk, k) => expect(wk + 1).toBeCloseTo(cs.reference[k]!, 4));
  });

  it('each class’s mean time in system matches W_k + E[S]', () => {
    cs.reference.forEach((t, k) => {
      const est = estimate(runs.map((r) => r.classes![NAMES[k]!]!.latencyMs.mean / 1000));
      // k = K (5) standard errors over REPLICATIONS (20) runs (test/support/replications.ts);
      // the SE bound gives the test power, the 10 % bound is a sanity net.
      expectAgreement(`class ${NAMES[k]} sojourn (s)`, est, t, { k: K, maxRelSe: cs.maxRelSe[k]!, maxRelErr: 0.1 });
    });
  });

  it('the overall mean is FIFO’s (the classes share one service distribution: conservation)', () => {
    // Pollaczek–Khinchine: W = λE[S²]/(2(1 − ρ)) = W_0 / 0.2; T = W + 1.
    const fifo = (LAMBDA * cs.secondMomentS2) / 2 / (1 - LAMBDA) + 1;
    expectAgreement('overall sojourn (s)', estimate(runs.map((r) => r.latencyMs.mean / 1000)), fifo, { k: K, maxRelSe: 0.015, maxRelErr: 0.1 });
  });
});
