/**
 * Two M/M/1 stations in tandem (a Jackson network, Jackson 1957; Kleinrock vol. 1,
 * ch. 4). By Burke's theorem (1956) the departures of a stable M/M/1 queue form a
 * Poisson process of rate λ, so the second station is itself M/M/1 with arrival rate
 * λ, and by Reich (1957) a request's sojourn times at the two stations are
 * independent. Hence, with λ = 1, μ₁ = 2, μ₂ = 1.25:
 *   E[T] = 1/(μ₁ − λ) + 1/(μ₂ − λ),   Wq_i = ρ_i/(μ_i − λ),
 *   T ~ Exp(μ₁ − λ) + Exp(μ₂ − λ) (hypoexponential), and P(Wq₂ > w) = ρ₂e^{−(μ₂−λ)w}.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario, type RunResult } from '../../src/models/index.ts';
import { hypoexpSurvival, quantileFromSurvival } from '../support/queueing-theory.ts';
import { estimate, expectAgreement, K, replicate, REPLICATIONS, seedBlock } from '../support/replications.ts';
import { poissonScenario } from '../support/scenarios.ts';

const LAMBDA = 1;
const MU1 = 2;
const MU2 = 1.25;
const stageA = { name: 'a', replicas: 1, service: { dist: 'exponential' as const, mean: 1 / MU1 } };
const stageB = { name: 'b', replicas: 1, service: { dist: 'exponential' as const, mean: 1 / MU2 } };

let runs: RunResult[];
beforeAll(() => {
  // The slower station (ρ₂ = 0.8) sets the relaxation time, ≈ 90 s; 10k warm-up
  // arrivals (10,000 s) are ample. REPLICATIONS runs, k = K (test/support/replications.ts).
  runs = replicate(poissonScenario({ qps: LAMBDA, requests: 100_000, warmupRequests: 10_000, stages: [stageA, stageB] }), seedBlock(1900, REPLICATIONS));
});

describe('M/M/1 → M/M/1 tandem (λ = 1, μ₁ = 2, μ₂ = 1.25)', () => {
  it('mean end-to-end latency is 1/(μ₁ − λ) + 1/(μ₂ − λ)', () => {
    // Reference: 1/1 + 1/0.25 = 5 s. SE measured 0.45 %; maxRelSe 1.5 %, loose 4 %.
    const est = estimate(runs.map((r) => r.latencyMs.mean / 1000));
    expectAgreement('tandem mean latency', est, 1 / (MU1 - LAMBDA) + 1 / (MU2 - LAMBDA), { k: K, maxRelSe: 0.015, maxRelErr: 0.04 });
  });

  it('each stage waits ρ_i/(μ_i − λ) on average', () => {
    // Reference: stage a 0.5/1 = 0.5 s, stage b 0.8/0.25 = 3.2 s. SE measured 0.5 % and
    // 0.65 %. If stage b did not see Poisson arrivals (Burke), its wait would differ:
    // e.g. with deterministic departures it would be the D/M/1 value, far smaller.
    const a = estimate(runs.map((r) => r.stages['a']!.queueWaitMs.mean / 1000));
    expectAgreement('tandem stage a wait', a, 0.5 / (MU1 - LAMBDA), { k: K, maxRelSe: 0.012, maxRelErr: 0.04 });
    const b = estimate(runs.map((r) => r.stages['b']!.queueWaitMs.mean / 1000));
    expectAgreement('tandem stage b wait', b, 0.8 / (MU2 - LAMBDA), { k: K, maxRelSe: 0.02, maxRelErr: 0.05 });
  });

  it('stage b is M/M/1: its p99 wait solves ρ₂e^{−(μ₂−λ)w} = 0.01', () => {
    // Reference: ln(0.8/0.01)/0.25 = 17.528 s. Per-run p99s vary ≈ 5 %: SE measured 1.1 %.
    const theory = Math.log(0.8 / 0.01) / (MU2 - LAMBDA);
    expect(theory).toBeCloseTo(17.528, 3);
    const est = estimate(runs.map((r) => r.stages['b']!.queueWaitMs.p99 / 1000));
    expectAgreement('tandem stage b p99 wait', est, theory, { k: K, maxRelSe: 0.025, maxRelErr: 0.07 });
  });

  it('p99 end-to-end is the p99 of Exp(1) + Exp(0.25) (independent sojourns)', () => {
    // Reference: P(T > t) = (e^{−0.25t} − 0.25e^{−t})/0.75 = 0.01 at t = 19.571 s.
    // Were the sojourns positively correlated the tail would be longer. SE measured 1 %.
    const theory = quantileFromSurvival((t) => hypoexpSurvival(MU1 - LAMBDA, MU2 - LAMBDA, t), 0.99, 1000);
    expect(theory).toBeCloseTo(19.571, 2);
    const est = estimate(runs.map((r) => r.latencyMs.p99 / 1000));
    expectAgreement('tandem p99 latency', est, theory, { k: K, maxRelSe: 0.025, maxRelErr: 0.07 });
  });

  it('utilization of each stage is ρ_i = λ/μ_i', () => {
    // Reference: 0.5 and 0.8. Time averages over ~90,000 s: SE ≈ 0.1 %.
    const a = estimate(runs.map((r) => r.stages['a']!.utilization));
    expectAgreement('tandem stage a utilization', a, LAMBDA / MU1, { k: K, maxRelSe: 0.005, maxRelErr: 0.015 });
    const b = estimate(runs.map((r) => r.stages['b']!.utilization));
    expectAgreement('tandem stage b utilization', b, LAMBDA / MU2, { k: K, maxRelSe: 0.005, maxRelErr: 0.015 });
  });

  it('every request passes both stages: a completes exactly what b receives', () => {
    for (const r of runs) {
      expect(r.stages['a']!.completed).toBe(r.requests.arrived);
      expect(r.stages['b']!.completed).toBe(r.stages['a']!.completed);
      expect(r.requests.completed).toBe(r.stages['b']!.completed);
      expect(r.requests.dropped).toBe(0);
    }
  });
});

describe('common random numbers', () => {
  it('adding a downstream stage leaves the upstream stage’s figures unchanged', () => {
    // Stage a draws from its own stream and nothing downstream feeds back, so with the
    // same seed its every figure must be identical with or without stage b.
    const sc = (stages: Array<typeof stageA>) => poissonScenario({ qps: LAMBDA, requests: 20_000, warmupRequests: 1_000, stages });
    const alone = runScenario(sc([stageA]), { seed: 77 });
    const withB = runScenario(sc([stageA, stageB]), { seed: 77 });
    const a1 = alone.stages['a']!;
    const a2 = withB.stages['a']!;
    expect(a2.queueWaitMs).toEqual(a1.queueWaitMs);
    expect(a2.completed).toBe(a1.completed);
    expect(a2.maxQueueLength).toBe(a1.maxQueueLength);
    // Time averages are over the run's span, which the drain through b lengthens:
    // compare the integrals (average × span), equal up to rounding.
    expect(a2.utilization * withB.measuredS).toBeCloseTo(a1.utilization * alone.measuredS, 6);
    expect(a2.meanQueueLength * withB.measuredS).toBeCloseTo(a1.meanQueueLength * alone.measuredS, 6);
  });
});
