/**
 * The thinning helper on tiny cases: its guards, an exact end of arrivals, and the
 * rule that a rate above its bound is an error rather than clipped.
 */
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/engine/index.ts';
import { thinnedPoisson } from '../../src/models/arrivals/thinning.ts';

const rng = () => RandomStreams.independent(7, 'thinning-test');

describe('thinning (Lewis & Shedler) under a piecewise-constant bound', () => {
  it('a rate above its bound throws instead of being clipped', () => {
    const next = thinnedPoisson(() => 20, [{ untilS: Infinity, boundRps: 10 }], rng());
    expect(() => next(0)).toThrow(/outside its bound/);
  });

  it('a last piece of bound 0 ends the arrivals; earlier zero pieces are skipped', () => {
    const next = thinnedPoisson((t) => (t < 1 ? 0 : t < 2 ? 1000 : 0), [
      { untilS: 1, boundRps: 0 },
      { untilS: 2, boundRps: 1000 },
      { untilS: Infinity, boundRps: 0 },
    ], rng());
    const times: number[] = [];
    for (let t = next(0); t !== Infinity; t = next(t)) times.push(t);
    expect(times.length).toBeGreaterThan(800); // 1,000 expected, sd ≈ 32
    expect(Math.min(...times)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...times)).toBeLessThan(2);
  });

  it('a last-piece bound so small that its gap overflows (5e-324/s) ends the arrivals instead of running off the pieces', () => {
    // Found by the fuzz test: spike arrivals at qps 5e-324 crashed on the piece after the last.
    const next = thinnedPoisson(() => 5e-324, [{ untilS: 10, boundRps: 5e-324 }, { untilS: Infinity, boundRps: 5e-324 }], rng());
    expect(next(0)).toBe(Infinity);
    expect(next(20)).toBe(Infinity);
  });

  it('refuses bounds that do not cover all time or go back', () => {
    expect(() => thinnedPoisson(() => 1, [{ untilS: 5, boundRps: 1 }], rng())).toThrow(/until Infinity/);
    expect(() => thinnedPoisson(() => 1, [{ untilS: 5, boundRps: 1 }, { untilS: 3, boundRps: 1 }, { untilS: Infinity, boundRps: 1 }], rng())).toThrow(/increasing/);
    expect(() => thinnedPoisson(() => 1, [{ untilS: Infinity, boundRps: -1 }], rng())).toThrow(/0 or more/);
  });
});
