/**
 * M/M/1 against closed-form theory: the sojourn time (wait + service) of FIFO M/M/1
 * is exponential with rate μ − λ (Kleinrock, "Queueing Systems" vol. 1, ch. 3;
 * Gross, Shortle, Thompson & Harris, "Fundamentals of Queueing Theory", 4th ed., ch. 2),
 * so E[T] = 1/(μ − λ) and its q-quantile is −ln(1 − q)/(μ − λ).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import type { RunResult } from '../../src/models/index.ts';
import { estimate, expectAgreement, K, replicate, REPLICATIONS, seedBlock } from '../support/replications.ts';

// λ = 0.8/s, μ = 1/s, ρ = 0.8. The relaxation time of M/M/1 is about
// 1/(μ(1 − √ρ)²) ≈ 90 s (Morse, Operations Research 3, 1955); a warm-up of 10k arrivals
// (≈ 12,500 s) removes the empty-start bias many times over.
const YAML = `
name: mm1
arrivals: { process: poisson, qps: 0.8 }
stop: { requests: 100000 }
warmup: { requests: 10000 }
stages:
  - name: model
    replicas: 1
    service: { dist: exponential, mean: "1s" }
`;
const LAMBDA = 0.8;
const MU = 1;

// REPLICATIONS (20) independent runs, compared with k = K (5) standard errors; see
// test/support/replications.ts for why.
const SEEDS = seedBlock(1100, REPLICATIONS);

let runs: RunResult[];
beforeAll(() => {
  runs = replicate(scenarioFromText({ name: 'mm1.yaml', text: YAML }), SEEDS);
});

describe('M/M/1 (λ = 0.8, μ = 1)', () => {
  it('mean sojourn is 1/(μ − λ)', () => {
    // Reference: 1/(1 − 0.8) = 5 s.
    const theoryS = 1 / (MU - LAMBDA);
    expect(theoryS).toBeCloseTo(5, 12);
    // One run of 90k measured requests estimates E[T] to about ±3 % (1 SD; the
    // sojourns are strongly autocorrelated at ρ = 0.8), so the mean of 20 runs has an
    // SE of 0.55–0.85 % (measured over six seed blocks). maxRelSe = 1.5 % asks for
    // that precision with slack for the noise of the SE itself; a bias above 5·SE
    // (3–4 %) fails, and 4 % is the loose absolute bound.
    const est = estimate(runs.map((r) => r.latencyMs.mean / 1000));
    expectAgreement('M/M/1 mean sojourn', est, theoryS, { k: K, maxRelSe: 0.015, maxRelErr: 0.04 });
  });

  it('p99 of sojourn is ln(100)/(μ − λ)', () => {
    // Reference: ln(100)/0.2 = 23.026 s.
    const theoryS = Math.log(100) / (MU - LAMBDA);
    expect(theoryS).toBeCloseTo(23.0259, 3);
    // The per-run p99 (from the 0.1 %-accurate sketch) varies about 5–7 % between
    // runs, so its mean over 20 runs has an SE of 1.1–1.7 % (measured); the sketch's
    // own error (≤ 0.1 %) and the O(1/n) bias of a sample quantile are far below that.
    const est = estimate(runs.map((r) => r.latencyMs.p99 / 1000));
    expectAgreement('M/M/1 p99 sojourn', est, theoryS, { k: K, maxRelSe: 0.025, maxRelErr: 0.06 });
  });

  it('median and p90 follow the same exponential law', () => {
    // Reference: ln(2)/0.2 = 3.466 s and ln(10)/0.2 = 11.513 s. The body of the
    // distribution is estimated more tightly than its tail (SE 0.5–0.6 % and 0.6–1.0 %).
    const p50 = estimate(runs.map((r) => r.latencyMs.p50 / 1000));
    expectAgreement('M/M/1 p50 sojourn', p50, Math.log(2) / (MU - LAMBDA), { k: K, maxRelSe: 0.012, maxRelErr: 0.03 });
    const p90 = estimate(runs.map((r) => r.latencyMs.p90 / 1000));
    expectAgreement('M/M/1 p90 sojourn', p90, Math.log(10) / (MU - LAMBDA), { k: K, maxRelSe: 0.015, maxRelErr: 0.04 });
  });

  it('mean wait in queue is ρ/(μ − λ)', () => {
    // Reference: 0.8/0.2 = 4 s (E[T] − E[S]).
    const est = estimate(runs.map((r) => r.stages['model']!.queueWaitMs.mean / 1000));
    expectAgreement('M/M/1 mean wait', est, LAMBDA / MU / (MU - LAMBDA), { k: K, maxRelSe: 0.02, maxRelErr: 0.05 });
  });
});
