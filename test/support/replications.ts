import { expect } from 'vitest';
import type { Scenario } from '../../src/config/schema.ts';
import { runScenario, type RunResult } from '../../src/models/index.ts';

/**
 * Independent replications: the same scenario run under several fixed root seeds.
 * Each run is one observation of an estimator (say, the mean sojourn of 90k measured
 * requests); the spread across runs gives its standard error with no assumption about
 * the correlation between requests inside a run (the method of independent
 * replications; Law & Kelton, "Simulation Modeling and Analysis", ch. 9).
 */
export function replicate(scenario: Scenario, seeds: readonly number[]): RunResult[] {
  return seeds.map((seed) => runScenario(scenario, { seed }));
}

/** Mean of independent replications and its standard error s/√n. */
export interface Estimate {
  mean: number;
  /** Standard error of `mean`: sample standard deviation / √n. */
  se: number;
  n: number;
  values: number[];
}

/** The across-replication mean and standard error of `values`. */
export function estimate(values: readonly number[]): Estimate {
  const n = values.length;
  if (n < 2) throw new Error('an estimate needs at least two replications');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { mean, se: Math.sqrt(ss / (n - 1) / n), n, values: [...values] };
}

/** How close an estimate must come to theory, and how sharp it must be. */
export interface Agreement {
  /**
   * |mean − theory| ≤ k·SE. With n replications the standardised error follows
   * Student's t with n−1 degrees of freedom; k is chosen so that a correct model
   * fails with probability well under 1 % (e.g. t₉: P(|T| > 4) ≈ 0.003).
   */
  k: number;
  /**
   * SE ≤ maxRelSe·|theory|: the test has power. Without it a noisy estimate would
   * pass anything; with it, a bias larger than k·maxRelSe·|theory| is caught.
   */
  maxRelSe: number;
  /** |mean − theory| ≤ maxRelErr·|theory|: a loose absolute sanity bound. */
  maxRelErr: number;
}

/** Asserts the three conditions of `Agreement` for one estimate, with a readable label. */
export function expectAgreement(label: string, est: Estimate, theory: number, a: Agreement): void {
  const err = Math.abs(est.mean - theory);
  const where = `${label}: estimate ${est.mean.toPrecision(6)} ± ${est.se.toPrecision(3)} (SE, n=${est.n}) vs theory ${theory.toPrecision(6)}`;
  // Set SERVESIM_THEORY_LOG=1 to see every margin (z-score, SE relative to theory).
  if (process.env['SERVESIM_THEORY_LOG']) {
    const z = (est.mean - theory) / est.se;
    console.log(`${where}; z = ${z.toFixed(2)}, SE/theory = ${((100 * est.se) / Math.abs(theory)).toFixed(2)} %`);
  }
  expect(est.se, `${where}; SE too large for the test to have power`).toBeLessThanOrEqual(a.maxRelSe * Math.abs(theory));
  expect(err, `${where}; off by more than ${a.k} SE`).toBeLessThanOrEqual(a.k * est.se);
  expect(err, `${where}; off by more than ${(a.maxRelErr * 100).toFixed(1)} %`).toBeLessThanOrEqual(a.maxRelErr * Math.abs(theory));
}

/**
 * Replications per theory check: 20 runs give the SE estimate 19 degrees of freedom,
 * so it is itself good to about ±16 % (1 SD), and k below can be read off Student's t.
 */
export const REPLICATIONS = 20;

/**
 * The k of every theory check, |mean − theory| ≤ k·SE. With 20 replications,
 * P(|t₁₉| > 5) < 10⁻⁴ for a correct model. The per-run estimators are right-skewed
 * (a long busy period lifts one run's mean wait), which fattens the tails of the
 * t-statistic, and the suite holds some fifty such checks that must all survive any
 * future change of draw order; 5 keeps false alarms rare after such a reshuffle.
 * Power comes from `maxRelSe`, not from a small k. (k = 4 was tried first: one M/D/1
 * block of seeds reached z = 3.6 with no bias, confirmed over 400 further runs.)
 */
export const K = 5;

/** Seeds 1..n shifted by `base`: each file takes its own block so runs never coincide. */
export function seedBlock(base: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => base + i);
}
