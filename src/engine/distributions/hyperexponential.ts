import type { Distribution } from './distribution.ts';

/** One phase of a hyperexponential: taken with probability `p`, exponential of mean `meanS`. */
export interface HyperPhase {
  p: number;
  meanS: number;
}

/**
 * Two-phase hyperexponential with balanced means (p₁m₁ = p₂m₂) of the given mean and
 * cv ≥ 1: p₁ = (1 + √((cv² − 1)/(cv² + 1)))/2, mᵢ = mean/(2pᵢ) (Whitt 1982, "Approximating
 * a point process by a renewal process", Manage. Sci. 28(2):125, §4). cv = 1 is the
 * exponential.
 */
export function balancedPhases(mean: number, cv: number): HyperPhase[] {
  if (!(cv >= 1)) throw new RangeError(`a hyperexponential's cv must be at least 1, got ${cv}`);
  const p1 = (1 + Math.sqrt((cv * cv - 1) / (cv * cv + 1))) / 2;
  const p2 = 1 - p1;
  return p2 > 0 ? [{ p: p1, meanS: mean / (2 * p1) }, { p: p2, meanS: mean / (2 * p2) }] : [{ p: 1, meanS: mean }];
}

/**
 * Hyperexponential: a phase chosen with its probability, then an exponential of the
 * phase's mean; both draws come from one source (d3-random's composite idiom). Mean
 * Σpᵢmᵢ, second moment 2Σpᵢmᵢ², Laplace–Stieltjes transform Σpᵢ/(1 + mᵢs).
 */
export function hyperexponential(phases: readonly HyperPhase[]): Distribution {
  const total = phases.reduce((a, ph) => a + ph.p, 0);
  if (phases.length === 0 || phases.some((ph) => !(ph.p >= 0) || !(ph.meanS > 0)) || !(Math.abs(total - 1) < 1e-9)) {
    throw new RangeError(`hyperexponential phases need probabilities >= 0 summing to 1 and means > 0, got ${JSON.stringify(phases)}`);
  }
  const mean = phases.reduce((a, ph) => a + ph.p * ph.meanS, 0);
  const second = phases.reduce((a, ph) => a + 2 * ph.p * ph.meanS * ph.meanS, 0);
  const cum: number[] = [];
  let acc = 0;
  for (const ph of phases) cum.push((acc += ph.p));
  const last = phases.length - 1;
  return {
    kind: 'hyperexponential',
    mean,
    variance: second - mean * mean,
    source: (rng) => () => {
      const u = rng();
      let i = 0;
      while (i < last && u >= cum[i]!) i++;
      return -phases[i]!.meanS * Math.log(1 - rng());
    },
    lst: (s) => phases.reduce((a, ph) => a + ph.p / (1 + ph.meanS * s), 0),
  };
}
