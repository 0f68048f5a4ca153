/**
 * Closed-form results of elementary queueing theory, used as the expected values of
 * the theory tests. Notation: arrival rate λ, service rate μ per server, c servers,
 * offered load a = λ/μ (Erlangs), utilization ρ = a/c.
 *
 * References: Kleinrock, "Queueing Systems, Vol. 1: Theory" (1975), ch. 3 (M/M/1,
 * M/M/m, M/M/1/K, M/M/m/m) and ch. 5 (M/G/1); Gross, Shortle, Thompson & Harris,
 * "Fundamentals of Queueing Theory", 4th ed. (2008), ch. 2 (Markovian queues).
 */

/**
 * Erlang's loss formula B(c, a): the blocking probability of M/M/c/c (and, by
 * insensitivity, of M/G/c/c). Computed with the stable recursion
 * B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
 */
export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/**
 * Erlang's delay formula C(c, a) = P(W > 0) in M/M/c (a < c), from B by
 * C = c·B / (c − a·(1 − B)).
 */
export function erlangC(c: number, a: number): number {
  if (!(a < c)) throw new RangeError(`Erlang C needs a < c, got a=${a}, c=${c}`);
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

/**
 * P(X₁ + X₂ > t) for independent exponentials of rates r1 and r2 (hypoexponential):
 * (r2·e^{−r1 t} − r1·e^{−r2 t}) / (r2 − r1), and its limit (1 + r t)·e^{−r t} (Erlang-2)
 * when the rates coincide.
 */
export function hypoexpSurvival(r1: number, r2: number, t: number): number {
  if (Math.abs(r1 - r2) <= 1e-9 * Math.max(r1, r2)) return (1 + r1 * t) * Math.exp(-r1 * t);
  return (r2 * Math.exp(-r1 * t) - r1 * Math.exp(-r2 * t)) / (r2 - r1);
}

/**
 * P(T > t) for the sojourn T = W + S of FIFO M/M/c: with probability 1 − C the
 * request does not wait and T = S ~ Exp(μ); otherwise W ~ Exp(cμ − λ), independent
 * of its own S, so T is hypoexponential (Gross et al., ch. 2, M/M/c waiting times).
 */
export function mmcSojournSurvival(c: number, lambda: number, mu: number, t: number): number {
  const C = erlangC(c, lambda / mu);
  return (1 - C) * Math.exp(-mu * t) + C * hypoexpSurvival(c * mu - lambda, mu, t);
}

/** Mean wait in queue of M/M/c: Wq = C(c, a) / (cμ − λ). */
export function mmcMeanWait(c: number, lambda: number, mu: number): number {
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}

/**
 * Pollaczek–Khinchine mean wait of M/G/1: Wq = λ·E[S²] / (2(1 − ρ)), with
 * E[S²] = Var(S) + E[S]² (Kleinrock vol. 1, ch. 5).
 */
export function pollaczekKhinchineWait(lambda: number, meanS: number, varS: number): number {
  const rho = lambda * meanS;
  if (!(rho < 1)) throw new RangeError(`P–K needs ρ < 1, got ${rho}`);
  return (lambda * (varS + meanS * meanS)) / (2 * (1 - rho));
}

/**
 * Stationary probabilities of M/M/1/K (K places in all, one in service):
 * P_n = (1 − ρ)ρⁿ / (1 − ρ^{K+1}), and 1/(K+1) for every n when ρ = 1
 * (Kleinrock vol. 1, ch. 3). Valid for ρ > 1 too: a finite chain is always stable.
 */
export function mm1kProbability(rho: number, K: number, n: number): number {
  if (Math.abs(rho - 1) < 1e-12) return 1 / (K + 1);
  return ((1 - rho) * rho ** n) / (1 - rho ** (K + 1));
}

/**
 * The t with P(T > t) = 1 − q for a decreasing survival function, by bisection on
 * [0, hi] to a relative width of 1e-12 (ample: the tests compare at 1e-3 or worse).
 */
export function quantileFromSurvival(survival: (t: number) => number, q: number, hi: number): number {
  const target = 1 - q;
  if (!(survival(hi) < target)) throw new RangeError(`quantile ${q} lies beyond ${hi}`);
  let lo = 0;
  while (hi - lo > 1e-12 * hi) {
    const mid = (lo + hi) / 2;
    if (survival(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
