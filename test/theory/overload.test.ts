/**
 * Overload. A bounded queue sheds the excess: M/M/1/K with ρ > 1 still has a
 * stationary law (a finite chain), its throughput is pinned just under capacity at
 * μ(1 − P₀) with P₀ = (1 − ρ)/(1 − ρ^{K+1}) (Kleinrock vol. 1, ch. 3), and the result
 * describes the system, so no overload warning is due. An unbounded queue with ρ ≥ 1
 * has no steady state: its backlog grows like (λ − μ)t (the fluid limit of Lindley's
 * recursion W_{n+1} = max(0, W_n + S_n − A_{n+1}), a random walk with drift 1/μ − 1/λ > 0),
 * so the request that arrives n-th waits about (n − 1)(1/μ − 1/λ), and latency figures
 * depend on the run length: the result must say so.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/models/index.ts';
import { runScenario } from '../../src/models/index.ts';
import { mm1kProbability } from '../support/queueing-theory.ts';
import { estimate, expectAgreement, K, replicate, REPLICATIONS, seedBlock } from '../support/replications.ts';
import { poissonScenario } from '../support/scenarios.ts';

describe('overloaded pool with a bounded queue (M/M/1/K, ρ = 1.5, K = 5)', () => {
  const rho = 1.5;
  const capacity = 4; // waiting room; K = 5 places in all
  let runs: RunResult[];
  beforeAll(() => {
    runs = replicate(
      poissonScenario({
        qps: rho,
        requests: 60_000,
        warmupRequests: 1_000,
        stages: [{ name: 'model', replicas: 1, queue: { capacity }, service: { dist: 'exponential', mean: 1 } }],
      }),
      seedBlock(2000, REPLICATIONS),
    );
  });

  it('throughput is pinned at μ(1 − P₀), just under capacity', () => {
    // Reference: P₀ = 0.5/(1.5⁶ − 1) = 0.5/10.390625 = 0.048120; μ(1 − P₀) = 0.951880/s.
    const theory = 1 - mm1kProbability(rho, capacity + 1, 0);
    expect(theory).toBeCloseTo(0.95188, 5);
    // Completions over ~39,000 s: SE measured 0.1 %. maxRelSe 0.3 % still separates the
    // exact value from plain capacity (1/s, 5 % away) and from λ (1.5/s).
    const est = estimate(runs.map((r) => r.throughputRps));
    expectAgreement('M/M/1/5 overload throughput', est, theory, { k: K, maxRelSe: 0.003, maxRelErr: 0.01 });
  });

  it('the excess is dropped: drop rate P_K = ρᴷP₀', () => {
    // Reference: 1.5⁵ · 0.048120 = 0.365414.
    const theory = mm1kProbability(rho, capacity + 1, capacity + 1);
    expect(theory).toBeCloseTo(0.365414, 5);
    const est = estimate(runs.map((r) => r.dropRate));
    expectAgreement('M/M/1/5 overload drop rate', est, theory, { k: K, maxRelSe: 0.005, maxRelErr: 0.015 });
  });

  it('carries no overload warning, and the run drains', () => {
    for (const r of runs) {
      expect(r.warnings).toEqual([]);
      expect(r.requests.inFlight).toBe(0);
      expect(r.requests.completed + r.requests.dropped).toBe(r.requests.arrived);
      expect(r.stages['model']!.maxQueueLength).toBe(capacity);
    }
  });
});

describe('overloaded pool with an unbounded queue (ρ = 1.25)', () => {
  const N = 20_000;
  const LAMBDA = 1.25;
  let runs: RunResult[];
  beforeAll(() => {
    runs = replicate(
      poissonScenario({ qps: LAMBDA, requests: N, stages: [{ name: 'model', replicas: 1, service: { dist: 'exponential', mean: 1 } }] }),
      seedBlock(2040, REPLICATIONS),
    );
  });

  it('still finishes: every request completes once arrivals stop', () => {
    for (const r of runs) {
      expect(r.requests.arrived).toBe(N);
      expect(r.requests.completed).toBe(N);
      expect(r.requests.inFlight).toBe(0);
      expect(Number.isFinite(r.latencyMs.max)).toBe(true);
    }
  });

  it('carries a warning that names the stage and says the figures depend on the run length', () => {
    for (const r of runs) {
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toMatch(/"model"/);
      expect(r.warnings[0]).toMatch(/overloaded/);
      expect(r.warnings[0]).toMatch(/run length/);
    }
  });

  it('waits grow with the run as the fluid limit says: mean wait ≈ (N − 1)/2 · (1/μ − 1/λ)', () => {
    // Reference: 19,999/2 · (1 − 0.8) = 1,999.9 s. The correction from the idle time
    // before the walk escapes 0 is a few seconds (σ²/(2·drift) ≈ 1.64/0.4 ≈ 4 s, 0.2 %).
    // The walk's fluctuation makes one run's mean wait vary ≈ 5 %; SE over 20 runs ≈ 1.2 %.
    const theory = ((N - 1) / 2) * (1 - 1 / LAMBDA);
    const est = estimate(runs.map((r) => r.stages['model']!.queueWaitMs.mean / 1000));
    expectAgreement('unbounded overload mean wait', est, theory, { k: K, maxRelSe: 0.025, maxRelErr: 0.06 });
  });

  it('at exactly ρ = 1 the queue is unstable too and is flagged; at ρ = 0.9 it is not', () => {
    const at = (qps: number) =>
      runScenario(poissonScenario({ qps, requests: 2_000, stages: [{ name: 'model', replicas: 2, service: { dist: 'exponential', mean: 2 } }] }), { seed: 1 });
    // Two servers of mean 2 s: capacity 1/s.
    expect(at(1).warnings).toHaveLength(1);
    expect(at(0.9).warnings).toEqual([]);
  });
});
