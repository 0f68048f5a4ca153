/**
 * Window counts of an arrival process and their check against a Poisson process of
 * known rate. In an NHPP the counts of disjoint windows are independent Poisson
 * variables of mean Λ_w = ∫_w λ (the defining property; Kingman 1993, "Poisson Processes"), so:
 *
 * - each window's z = (N − Λ)/√Λ is near standard normal (Λ in the hundreds or more);
 * - X² = Σ (N − Λ)²/Λ over k windows has mean k exactly and variance Σ (2 + 1/Λ_w)
 *   (a Poisson's fourth central moment is Λ + 3Λ²), near normal for k ≳ 50.
 *
 * A shape error (wrong phase, ramp or step) shows in single windows; a dispersion
 * error (too regular, or clumped) shows in X² even when no single window fails.
 */
import { expect } from 'vitest';
import type { ArrivalProcess } from '../../src/models/arrivals/index.ts';

/** Counts of arrivals in [edges[i], edges[i+1]), generating from 0 until edges' end. */
export function windowCounts(proc: ArrivalProcess, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  const endS = edges[edges.length - 1]!;
  let t = proc.next(0);
  let w = 0;
  let prev = 0;
  let backwards = 0;
  while (t < endS) {
    if (t < prev) backwards++;
    prev = t;
    while (edges[w + 1]! <= t) w++;
    if (t >= edges[0]!) counts[w]!++;
    t = proc.next(t);
  }
  expect(backwards, 'arrival times never go back').toBe(0);
  return counts;
}

/** Edges from `fromS` to `toS` every `stepS`. */
export function edgesEvery(fromS: number, toS: number, stepS: number): number[] {
  const n = Math.round((toS - fromS) / stepS);
  return Array.from({ length: n + 1 }, (_, i) => fromS + i * stepS);
}

/** Largest |z| over windows, and X² with its mean and sd under the Poisson hypothesis. */
export function poissonFit(observed: readonly number[], expected: readonly number[]): { worstZ: number; chi2: number; df: number; chi2Sd: number } {
  let worstZ = 0;
  let chi2 = 0;
  let variance = 0;
  observed.forEach((n, i) => {
    const mu = expected[i]!;
    const z = (n - mu) / Math.sqrt(mu);
    worstZ = Math.max(worstZ, Math.abs(z));
    chi2 += z * z;
    variance += 2 + 1 / mu;
  });
  return { worstZ, chi2, df: observed.length, chi2Sd: Math.sqrt(variance) };
}

/**
 * Per-window bound: with k windows, P(some |z| > 4.5) ≈ k·6.8e-6, under 0.2 % for the
 * ≤ 250 windows used here, so a correct process fails on no seed we are likely to pick,
 * while a wrong rate shape (off by even 10 % in a 1,000-arrival window: 3 sd) adds up
 * in X² at once.
 */
export const WINDOW_Z = 4.5;
/** X² must lie within 4 of its sds of its mean k (normal approximation; two-sided). */
export const CHI2_SDS = 4;

/** Asserts the counts fit Poisson means window by window and as a whole. */
export function expectPoissonCounts(observed: readonly number[], expected: readonly number[]): void {
  const fit = poissonFit(observed, expected);
  expect(fit.worstZ).toBeLessThan(WINDOW_Z);
  expect(Math.abs(fit.chi2 - fit.df)).toBeLessThan(CHI2_SDS * fit.chi2Sd);
}
