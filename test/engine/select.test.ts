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
});
