/**
 * M/M/1/K (one server, `queue: { capacity: K − 1 }`, K places in all) against its
 * stationary law P_n = (1 − ρ)ρⁿ / (1 − ρ^{K+1}), n = 0..K (1/(K+1) each when ρ = 1;
 * Kleinrock vol. 1, ch. 3). By PASTA an arrival finds K present, and is dropped, with
 * probability P_K; throughput is λ(1 − P_K) = μ(1 − P₀); the mean number waiting is
 * Lq = Σ_{n≥1} (n − 1)P_n.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/models/index.ts';
import { mm1kProbability } from '../support/queueing-theory.ts';
import { estimate, expectAgreement, K, replicate, REPLICATIONS, seedBlock } from '../support/replications.ts';
import { poissonScenario } from '../support/scenarios.ts';

interface Case {
  rho: number;
  /** The scenario's `queue.capacity`: the waiting room, excluding the one in service. */
  capacity: number;
  /** Reference P_K, computed by hand. */
  reference: number;
  seedBase: number;
}

const CASES: Case[] = [
  // Reference: K = 5, ρ = 0.9: 0.1·0.9⁵/(1 − 0.9⁶) = 0.059049/0.468559 = 0.126022.
  { rho: 0.9, capacity: 4, reference: 0.126022, seedBase: 1700 },
  // Reference: K = 5, ρ = 1: every state equally likely, P_K = 1/6 = 0.166667.
  { rho: 1, capacity: 4, reference: 1 / 6, seedBase: 1740 },
  // Reference: K = 3, ρ = 0.5: 0.5·0.125/(1 − 0.0625) = 0.066667.
  { rho: 0.5, capacity: 2, reference: 0.0666667, seedBase: 1780 },
];

const MU = 1;

describe.each(CASES)('M/M/1/K with ρ = $rho, queue capacity $capacity', (cs) => {
  const Kplaces = cs.capacity + 1;
  const P = (n: number) => mm1kProbability(cs.rho, Kplaces, n);
  let runs: RunResult[];
  beforeAll(() => {
    // A chain on K + 1 ≤ 6 states mixes within tens of seconds: 1k warm-up arrivals are plenty.
    const sc = poissonScenario({
      qps: cs.rho * MU,
      requests: 50_000,
      warmupRequests: 1_000,
      stages: [{ name: 'model', replicas: 1, queue: { capacity: cs.capacity }, service: { dist: 'exponential', mean: 1 / MU } }],
    });
    runs = replicate(sc, seedBlock(cs.seedBase, REPLICATIONS));
  });

  it('the formula reproduces the reference value and sums to 1', () => {
    expect(P(Kplaces)).toBeCloseTo(cs.reference, 5);
    let total = 0;
    for (let n = 0; n <= Kplaces; n++) total += P(n);
    expect(total).toBeCloseTo(1, 12);
  });

  it('drop rate is P_K', () => {
    // The SE across 20 runs of 49k arrivals measured 0.4–0.55 % of P_K (one run:
    // ±2–2.5 %). maxRelSe 1 %, k = K (5), loose bound 3 %.
    const est = estimate(runs.map((r) => r.dropRate));
    expectAgreement(`M/M/1/${Kplaces} drop rate`, est, P(Kplaces), { k: K, maxRelSe: 0.01, maxRelErr: 0.03 });
    for (const r of runs) expect(r.stages['model']!.maxQueueLength).toBeLessThanOrEqual(cs.capacity);
  });

  it('throughput is μ(1 − P₀) = λ(1 − P_K) and utilization is 1 − P₀', () => {
    const theory = MU * (1 - P(0));
    expect(theory).toBeCloseTo(cs.rho * MU * (1 - P(Kplaces)), 12);
    // Completions and busy time over 50,000–100,000 s: SE across runs measured
    // 0.06–0.13 %. maxRelSe 0.3 %, loose bound 1 %.
    const thr = estimate(runs.map((r) => r.throughputRps));
    expectAgreement(`M/M/1/${Kplaces} throughput`, thr, theory, { k: K, maxRelSe: 0.003, maxRelErr: 0.01 });
    const util = estimate(runs.map((r) => r.stages['model']!.utilization));
    expectAgreement(`M/M/1/${Kplaces} utilization`, util, theory, { k: K, maxRelSe: 0.003, maxRelErr: 0.01 });
  });

  it('mean number waiting is Σ (n − 1)P_n', () => {
    let lq = 0;
    for (let n = 2; n <= Kplaces; n++) lq += (n - 1) * P(n);
    // The SE across runs measured 0.2–0.4 % of Lq; maxRelSe 1.5 %, loose bound 4 %.
    const est = estimate(runs.map((r) => r.stages['model']!.meanQueueLength));
    expectAgreement(`M/M/1/${Kplaces} mean queue length`, est, lq, { k: K, maxRelSe: 0.015, maxRelErr: 0.04 });
  });
});
