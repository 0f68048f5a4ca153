/**
 * Erlang C: the probability that an arrival waits in an M/M/c queue with offered load
 * a = λ/μ (a < c). Computed with the stable recursion on Erlang B:
 * B(0) = 1, B(k) = a·B(k−1)/(k + a·B(k−1)); C = c·B/(c − a·(1 − B)).
 */
export function erlangC(c: number, a: number): number {
  const b = c <= RECURSION_MAX_SERVERS ? erlangBRecursive(c, a) : erlangBFromTop(c, a);
  return (c * b) / (c - a * (1 - b));
}

/** Up to this many servers Erlang B takes the c-step recursion (a million steps: a few ms). */
const RECURSION_MAX_SERVERS = 1_000_000;

function erlangBRecursive(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/**
 * Erlang B for many servers in O(√a) steps instead of O(c): 1/B = Σ_{j=0..c} Π_{i<j} (c−i)/a,
 * the Poisson terms read down from the c-th. The factors exceed 1 while c − i > a, so
 * the sum either passes 1e300 (B below 1e-300: 0 for any use here) or peaks near
 * j = c − a and then falls like a Gaussian of width √a; it stops once a term no longer
 * changes the sum.
 */
function erlangBFromTop(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let j = 0; j < c; j++) {
    term *= (c - j) / a;
    sum += term;
    if (sum > 1e300) return 0;
    if (c - j <= a && term < sum * 1e-17) break;
  }
  return 1 / sum;
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
