/**
 * Erlang C: the probability that an arrival waits in an M/M/c queue with offered load
 * a = λ/μ (a < c). Computed with the stable recursion on Erlang B:
 * B(0) = 1, B(k) = a·B(k−1)/(k + a·B(k−1)); C = c·B/(c − a·(1 − B)).
 */
export function erlangC(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return (c * b) / (c - a * (1 - b));
}

/** Mean wait in queue of M/M/c (Erlang C): C(c, a) / (cμ − λ). */
export function mmcMeanWait(lambda: number, meanS: number, c: number): number {
  const a = lambda * meanS;
  return erlangC(c, a) / (c / meanS - lambda);
}

/** Mean wait in queue of M/G/1 (Pollaczek–Khinchine): λE[S²] / (2(1 − ρ)), E[S²] = E[S]²(1 + scv). */
export function mg1MeanWait(lambda: number, meanS: number, scv: number): number {
  const rho = lambda * meanS;
  return (lambda * meanS * meanS * (1 + scv)) / (2 * (1 - rho));
}

/**
 * Mean wait of M/G/c by the Allen–Cunneen approximation: the M/M/c wait scaled by
 * (1 + scv)/2 (exact for exponential service, within a few per cent for moderate scv).
 */
export function mgcMeanWaitApprox(lambda: number, meanS: number, c: number, scv: number): number {
  return mmcMeanWait(lambda, meanS, c) * ((1 + scv) / 2);
}
