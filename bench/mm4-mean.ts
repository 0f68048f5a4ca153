/**
 * The M/M/4 benchmarks' guard against a fast number about nothing: the mean latency of
 * the run must be near Erlang C's 1.75 s (src/scenarios/mm4.yaml: 4 replicas, exponential
 * 1 s service, 3.2 requests/s, ρ = 0.8). The 5 % band is loose on purpose: with 1M
 * requests the sampling error of the mean is about 0.5 %, and a run measured from an
 * empty system (SimJS, the floor) is lowered by about 1 %. Imports nothing of servesim,
 * so a child process timing another tool can use it.
 */

/** Erlang C's mean latency of the M/M/4 at ρ = 0.8, seconds. */
export const MM4_MEAN_S = 1.75;

/** Throws unless `meanS` is within 5 % of Erlang C's 1.75 s; `who` names the run in the message. */
export function checkMm4Mean(meanS: number, who: string): void {
  if (Math.abs(meanS - MM4_MEAN_S) > 0.05 * MM4_MEAN_S) throw new Error(`${who}: M/M/4 mean latency ${meanS} s, theory ${MM4_MEAN_S} s`);
}
