import { erlangC } from './queueing.ts';

/**
 * What the closed forms need of the one stage a plan sizes: its servers per replica,
 * one service's mean and squared coefficient of variation, the arrival rate and the
 * arrivals' scv. Only a lone shared-queue stage without batching, deadline or queue
 * bound qualifies (the formulas' assumptions); `plan` reads it from the scenario built
 * at one count (`stageShapes`).
 */
export interface PoolShape {
  lambda: number;
  meanS: number;
  scvService: number;
  scvArrivals: number;
  serversPerReplica: number;
}

/**
 * The closed forms' reading of a plan: `stable` is the fewest replicas with offered load
 * below capacity (fewer are refused without simulation); `lowerBound` the fewest whose
 * queue wait alone leaves the SLO reachable, P(W > t) ≤ 1 − f (Erlang C: exact for
 * M/M/c, so below it the SLO is missed in theory); `estimate` the fewest whose whole
 * latency meets it in theory (exact M/M/c sojourn for exponential service and Poisson
 * arrivals, else Allen–Cunneen's wait past t − E[S]). The simulations check the estimate
 * and the count below it first; none of these is trusted without them.
 */
export interface PlanBracket {
  formula: 'Erlang C (M/M/c)' | 'Allen–Cunneen (G/G/c)';
  stable: number;
  lowerBound: number;
  estimate: number;
}

/**
 * P(T > t) for FIFO M/M/s: with probability 1 − C no wait and T = S ~ Exp(μ); else
 * W ~ Exp(sμ − λ) and T hypoexponential (Gross et al., "Fundamentals of Queueing
 * Theory", ch. 2).
 */
export function mmcSojournTail(s: number, lambda: number, meanS: number, t: number): number {
  const mu = 1 / meanS;
  const C = erlangC(s, lambda * meanS);
  const r1 = s * mu - lambda;
  const hypo = Math.abs(r1 - mu) <= 1e-9 * mu ? (1 + mu * t) * Math.exp(-mu * t) : (mu * Math.exp(-r1 * t) - r1 * Math.exp(-mu * t)) / (mu - r1);
  return (1 - C) * Math.exp(-mu * t) + C * hypo;
}

/**
 * P(W > x) for G/G/s by Allen–Cunneen: Erlang C for the chance of waiting, and a wait
 * exponential with rate (sμ − λ)·2/(ca² + cs²) (exact for M/M/s).
 */
export function ggcWaitTail(s: number, lambda: number, meanS: number, scvA: number, scvS: number, x: number): number {
  if (x < 0) return 1;
  const C = erlangC(s, lambda * meanS);
  return C * Math.exp(-((s / meanS - lambda) * x * 2) / (scvA + scvS));
}

/** The fewest replicas in [lo, hi] for which `ok` holds (`ok` monotone), or hi + 1. */
function firstIn(lo: number, hi: number, ok: (c: number) => boolean): number {
  let a = lo;
  let b = hi + 1;
  while (a < b) {
    const m = Math.floor((a + b) / 2);
    if (ok(m)) b = m;
    else a = m + 1;
  }
  return a;
}

/** The closed-form bracket of a plan sizing `shape`'s replicas in [lo, hi] for `fraction` within `latencyS`. */
export function planBracket(shape: PoolShape, lo: number, hi: number, latencyS: number, fraction: number): PlanBracket {
  const { lambda, meanS, serversPerReplica: k } = shape;
  const allowed = 1 - fraction;
  const stable = Math.max(lo, Math.floor((lambda * meanS) / k) + 1);
  const exact = Math.abs(shape.scvService - 1) < 1e-9 && Math.abs(shape.scvArrivals - 1) < 1e-9;
  const waitTail = (c: number, x: number) => ggcWaitTail(c * k, lambda, meanS, shape.scvArrivals, shape.scvService, x);
  const lowerBound = firstIn(stable, hi, (c) => waitTail(c, latencyS) <= allowed);
  const estimate = exact
    ? firstIn(lowerBound, hi, (c) => mmcSojournTail(c * k, lambda, meanS, latencyS) <= allowed)
    : firstIn(lowerBound, hi, (c) => waitTail(c, latencyS - meanS) <= allowed);
  return { formula: exact ? 'Erlang C (M/M/c)' : 'Allen–Cunneen (G/G/c)', stable, lowerBound, estimate };
}
