import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectKth } from '../../src/engine/index.ts';

describe('selectKth', () => {
  it('returns what a sort puts at index k, for any data (duplicates, sorted, reversed)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 300 }), fc.nat(), (xs, kSeed) => {
        const k = kSeed % xs.length;
        const sorted = [...xs].sort((a, b) => a - b);
        const a = Float64Array.from(xs);
        expect(selectKth(a, a.length, k)).toBe(sorted[k]);
      }),
      { numRuns: 500, seed: 3 },
    );
    const many = Float64Array.from({ length: 1000 }, (_, i) => i % 7);
    expect(selectKth(many, 1000, 500)).toBe([...many].sort((a, b) => a - b)[500]);
  });

  it('stays linear on a window of equal values, or nearly all equal (a deterministic service, no queueing)', () => {
    // Quadratic here would be 4e10 steps, far past the test's timeout; linear is a few ms.
    const n = 200_000;
    const same = new Float64Array(n).fill(0.125);
    expect(selectKth(same, n, Math.floor(0.99 * (n - 1)))).toBe(0.125);
    expect(selectKth(same, n, Math.floor(0.5 * (n - 1)))).toBe(0.125);
    const nearly = Float64Array.from({ length: n }, (_, i) => (i % 1000 === 0 ? 0.5 + i / n : 0.125));
    const sorted = [...nearly].sort((a, b) => a - b);
    for (const k of [0, 1000, n >> 1, n - 201, n - 2, n - 1]) expect(selectKth(Float64Array.from(nearly), n, k)).toBe(sorted[k]);
  });
});
