/**
 * Closed forms for queues shared by priority classes (issue 16). Classes are given in
 * priority order, the first served first; σ_k = ρ_1 + … + ρ_k is the load of class k and
 * every class before it. Each formula assumes Poisson arrivals per class, one queue,
 * an unbounded waiting room, no batching and a stable load (σ_K < 1).
 */
import { erlangC } from './queueing.ts';

/** One class as the formulas read it: its arrival rate and the first two moments of its service time. */
export interface PriorityClassLoad {
  /** Arrival rate of the class (requests/s). */
  lambda: number;
  /** Mean service time E[S] (seconds). */
  meanS: number;
  /** Second moment E[S²] (seconds²): E[S]²(1 + scv). */
  secondMomentS2: number;
}

/** Cumulative loads σ_0 = 0, σ_1, …, σ_K. */
function cumulativeLoads(classes: readonly PriorityClassLoad[]): number[] {
  const sigma = [0];
  for (const c of classes) sigma.push(sigma[sigma.length - 1]! + c.lambda * c.meanS);
  return sigma;
}

/**
 * M/G/1 non-preemptive priority, Cobham (1954): the mean wait in queue of class k is
 * W_k = W_0 / ((1 − σ_{k−1})(1 − σ_k)), W_0 = Σ_i λ_i E[S_i²] / 2 the mean residual work
 * of the request in service (Kleinrock, Queueing Systems vol. 2, §3.6). Seconds, per class.
 */
export function cobhamMeanWaitsS(classes: readonly PriorityClassLoad[]): number[] {
  const w0 = classes.reduce((a, c) => a + (c.lambda * c.secondMomentS2) / 2, 0);
  const sigma = cumulativeLoads(classes);
  return classes.map((_, k) => w0 / ((1 - sigma[k]!) * (1 - sigma[k + 1]!)));
}

/**
 * M/G/1 preemptive-resume priority: the mean time in system of class k is
 * T_k = E[S_k] / (1 − σ_{k−1}) + (Σ_{i≤k} λ_i E[S_i²] / 2) / ((1 − σ_{k−1})(1 − σ_k)):
 * a class sees only the classes before it (Kleinrock vol. 2, §3.7; Harchol-Balter,
 * "Performance Modeling and Design of Computer Systems", §32.3). Seconds, per class.
 */
export function preemptiveResumeSojournsS(classes: readonly PriorityClassLoad[]): number[] {
  const sigma = cumulativeLoads(classes);
  let r = 0;
  return classes.map((c, k) => {
    r += (c.lambda * c.secondMomentS2) / 2;
    const before = 1 - sigma[k]!;
    return c.meanS / before + r / (before * (1 - sigma[k + 1]!));
  });
}

/**
 * M/M/c non-preemptive priority with one service rate μ for every class: the mean wait
 * in queue of class k is W_k = C(c, λ/μ) / (cμ (1 − σ_{k−1})(1 − σ_k)), with
 * σ_k = Σ_{i≤k} λ_i / (cμ) and C Erlang's delay probability (Gross, Shortle, Thompson &
 * Harris, "Fundamentals of Queueing Theory", 4th ed., §3.4.1). Seconds, per class.
 */
export function mmcPriorityMeanWaitsS(lambdas: readonly number[], meanS: number, servers: number): number[] {
  const mu = 1 / meanS;
  const total = lambdas.reduce((a, l) => a + l, 0);
  const c = erlangC(servers, total * meanS);
  const sigma = [0];
  for (const l of lambdas) sigma.push(sigma[sigma.length - 1]! + l / (servers * mu));
  return lambdas.map((_, k) => c / (servers * mu * (1 - sigma[k]!) * (1 - sigma[k + 1]!)));
}

/**
 * Kleinrock's conservation law for M/G/1: under any work-conserving discipline the
 * mean unfinished work in the system is Σ_i λ_i E[S_i²] / (2(1 − ρ)), the same as under
 * FIFO, whatever the order of service (Kleinrock vol. 2, §3.4). Seconds of work.
 */
export function conservedMeanWorkS(classes: readonly PriorityClassLoad[]): number {
  const rho = classes.reduce((a, c) => a + c.lambda * c.meanS, 0);
  const w0 = classes.reduce((a, c) => a + (c.lambda * c.secondMomentS2) / 2, 0);
  return w0 / (1 - rho);
}
