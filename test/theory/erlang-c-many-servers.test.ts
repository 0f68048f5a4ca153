/**
 * Erlang C for very many servers (the theory column of a text-mode run with
 * replicas × concurrency in the billions): above a million servers `erlangC` sums the
 * Erlang B series from its top term instead of running the c-step recursion, so it
 * answers in O(√a) steps. Checked against the recursion just above the switch, where
 * both can run, and against known limits where only the new path can.
 */
import { describe, expect, it } from 'vitest';
import { erlangC } from '../../src/experiments/queueing.ts';

/** The c-step recursion B(k) = a·B(k−1)/(k + a·B(k−1)), C = c·B/(c − a(1 − B)): the reference. */
function erlangCByRecursion(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return (c * b) / (c - a * (1 - b));
}

describe('Erlang C with many servers', () => {
  it.each([
    [1_000_001, 999_000],
    [1_000_001, 1_000_000],
    [1_500_000, 1_498_000],
    [2_000_000, 1_990_000],
  ])('c = %i, a = %i matches the recursion', (c, a) => {
    // Both sum the same positive terms in a different order: agreement to 1e-12 relative.
    expect(erlangC(c, a) / erlangCByRecursion(c, a) - 1).toBeCloseTo(0, 12);
  });

  it('answers at once for 1e11 servers', () => {
    // Far below capacity nobody waits; at 1e3 below capacity of 1e11, almost everyone
    // does (the Halfin–Whitt regime: β = (c − a)/√a ≈ 0.003, so C ≈ 1).
    expect(erlangC(1e11, 1)).toBe(0);
    expect(erlangC(1e11, 0.99e11)).toBe(0);
    // Halfin–Whitt: C ≈ 1 / (1 + βΦ(β)/φ(β)); Φ(β) = 0.5012617, φ(β) = 0.3989403 at
    // β = 0.0031623, so C ≈ 0.996042, exact up to O(1/√a) ≈ 3e-6.
    const beta = 1e3 / Math.sqrt(1e11);
    const halfinWhitt = 1 / (1 + (beta * 0.5012617) / 0.3989403);
    expect(erlangC(1e11, 1e11 - 1e3)).toBeCloseTo(halfinWhitt, 4);
    // "At once" is the test's timeout (10 s): a sum over 1e11 terms would never finish (no clock here: speed is bench/'s).
  }, 10_000);
});
