import { randomExponential, type Rng } from '../../engine/index.ts';

/** One piece of a piecewise-constant bound on a rate: `boundRps` holds until `untilS`. */
export interface RatePiece {
  readonly untilS: number;
  readonly boundRps: number;
}

/**
 * The next-arrival function of a non-homogeneous Poisson process of rate `rateRps(t)`,
 * by thinning (Lewis & Shedler 1979, "Simulation of nonhomogeneous Poisson processes
 * by thinning", Naval Res. Logist. Q. 26:403): candidates come at a bound λ* ≥ λ(t)
 * and each is kept with probability λ(t)/λ*. The bound is piecewise constant
 * (`pieces`, in time order, the last until Infinity), as in Ross, "Simulation",
 * §5.5: a candidate past its piece's end is discarded and drawing restarts at that
 * end, which is exact because exponential gaps are memoryless.
 *
 * The result is exact for any `nowS` (a Poisson process has independent
 * increments), so it keeps no state between calls. A rate above its bound is a bug
 * in the caller and throws: it is never clipped to the bound.
 */
export function thinnedPoisson(rateRps: (tS: number) => number, pieces: readonly RatePiece[], rng: Rng): (nowS: number) => number {
  if (pieces.length === 0 || pieces[pieces.length - 1]!.untilS !== Infinity) {
    throw new RangeError('the last piece of a rate bound must last until Infinity');
  }
  for (const [i, p] of pieces.entries()) {
    if (!(p.boundRps >= 0 && p.boundRps < Infinity)) throw new RangeError(`rate bound of piece ${i} must be finite and 0 or more, got ${p.boundRps}`);
    if (i > 0 && !(p.untilS > pieces[i - 1]!.untilS)) throw new RangeError('rate bound pieces must end in increasing time order');
  }
  const unitExp = randomExponential.source(rng)(1);
  return (nowS) => {
    let t = nowS;
    let i = 0;
    for (;;) {
      // Pieces are few (at most a handful) and t only grows: a linear scan is enough.
      while (pieces[i]!.untilS <= t) i++;
      const { untilS: end, boundRps: bound } = pieces[i]!;
      if (bound === 0) {
        if (end === Infinity) return Infinity;
        t = end;
        continue;
      }
      const c = t + unitExp() / bound;
      if (c >= end) {
        // A bound so small that the gap overflows to Infinity (e.g. 5e-324/s) in the last piece: no arrival, ever.
        if (end === Infinity) return Infinity;
        t = end;
        continue;
      }
      const r = rateRps(c);
      if (!(r >= 0 && r <= bound)) throw new RangeError(`rate ${r}/s at t = ${c} s is outside its bound [0, ${bound}]/s`);
      // A rate at its bound keeps every candidate: no draw needed (and none wasted).
      if (r === bound || rng() * bound < r) return c;
      t = c;
    }
  };
}
