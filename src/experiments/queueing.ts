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

/**
 * P(wait ≤ t) of M/M/c: 1 − C(c, a)·e^{−(cμ − λ)t}, a = λ/μ (a waiting customer's wait is
 * exponential of rate cμ − λ). Kleinrock, Queueing Systems I (1975), eq. 3.40 and after.
 */
export function mmcWaitWithin(lambda: number, meanS: number, c: number, tS: number): number {
  return 1 - erlangC(c, lambda * meanS) * Math.exp(-(c / meanS - lambda) * tS);
}

/**
 * The root σ in (0, 1) of σ = A*(cμ(1 − σ)), A* the Laplace–Stieltjes transform of the
 * inter-arrival gap, that sets the queue of GI/M/c: an arrival finding every server busy
 * sees a geometric queue of ratio σ. g(σ) = A*(cμ(1 − σ)) − σ is convex, above 0 at 0 and
 * below 0 just under 1 when ρ = λ/(cμ) < 1 (its slope at 1 is 1/ρ − 1 > 0), so bisection
 * finds the one root (Kleinrock, Queueing Systems I, §6.4).
 */
export function gimcRoot(lst: (s: number) => number, c: number, meanS: number): number {
  const cmu = c / meanS;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 1e-16; i++) {
    const mid = (lo + hi) / 2;
    if (lst(cmu * (1 - mid)) - mid > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Waiting-time figures of a GI/M/c queue (exact, from the root σ). */
export interface GimcWait {
  sigma: number;
  /** P(wait > 0). */
  pWait: number;
  /** Mean wait in queue (seconds): P(wait > 0)/(cμ(1 − σ)). */
  meanWaitS: number;
  /** P(wait ≤ t): 1 − P(wait > 0)·e^{−cμ(1−σ)t}. */
  waitWithin(tS: number): number;
}

/** Above this many servers GI/M/c is not evaluated (the binomial sums lose precision); callers approximate. */
export const GIMC_MAX_SERVERS = 200;

/**
 * GI/M/c waiting time, exact for renewal arrivals with gap transform `lst` and
 * exponential service of mean `meanS` on c servers (ρ < 1). With σ from `gimcRoot`, a
 * waiting arrival waits Exp(cμ(1 − σ)), and the delay probability is D/(1 − σ) with
 * Takács's normalising constant
 *   1/D = 1/(1 − σ) + Σ_{j=1..c} C(c, j)/(C_j·(1 − A*(jμ))) · (c(1 − A*(jμ)) − j)/(c(1 − σ) − j),
 *   C_j = Π_{i=1..j} A*(iμ)/(1 − A*(iμ))
 * (Takács 1962, Introduction to the Theory of Queues, ch. 4; Gross, Shortle, Thompson &
 * Harris, Fundamentals of Queueing Theory, 4th ed., §6.4.2). Where c(1 − σ) is an
 * integer j the term is 0/0; its limit, the slope of c(1 − A*(xμ)) − x at x = c(1 − σ), is
 * taken there by a central difference. With Poisson arrivals it is Erlang C (tested).
 * Undefined when c is above `GIMC_MAX_SERVERS` or the sum leaves [0, 1].
 */
export function gimcWait(lst: (s: number) => number, c: number, meanS: number): GimcWait | undefined {
  if (!(c >= 1 && c <= GIMC_MAX_SERVERS && Number.isInteger(c))) return undefined;
  const mu = 1 / meanS;
  const sigma = gimcRoot(lst, c, meanS);
  const y = c * (1 - sigma);
  const h = (x: number) => c * (1 - lst(x * mu)) - x;
  let inv = 1 / (1 - sigma);
  let cj = 1;
  let binom = 1;
  for (let j = 1; j <= c; j++) {
    const a = lst(j * mu);
    cj *= a / (1 - a);
    binom = (binom * (c - j + 1)) / j;
    const d = 1e-3;
    const ratio = Math.abs(j - y) < d ? -(h((j + y) / 2 + d) - h((j + y) / 2 - d)) / (2 * d) : h(j) / (y - j);
    inv += (binom / (cj * (1 - a))) * ratio;
  }
  const pWait = 1 / inv / (1 - sigma);
  if (!(pWait >= 0 && pWait <= 1)) return undefined;
  const rate = c * mu * (1 - sigma);
  return { sigma, pWait, meanWaitS: pWait / rate, waitWithin: (tS) => 1 - pWait * Math.exp(-rate * tS) };
}

/**
 * Mean wait of GI/G/c by Allen–Cunneen (Kingman's formula when c = 1): the M/M/c wait
 * scaled by (ca² + cs²)/2, ca² and cs² the squared coefficients of variation of the gaps
 * and of service (Kingman 1961; Allen 1978, Probability, Statistics and Queueing Theory).
 * An approximation, best in heavy traffic.
 */
export function ggcMeanWaitApprox(lambda: number, meanS: number, c: number, scvArrivals: number, scvService: number): number {
  return mmcMeanWait(lambda, meanS, c) * ((scvArrivals + scvService) / 2);
}
