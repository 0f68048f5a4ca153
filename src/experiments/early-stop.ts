import type { Scenario } from '../config/schema.ts';
import type { Slo } from '../config/slo.ts';
import { tCritical95 } from '../engine/index.ts';
import type { RunProgress } from '../models/index.ts';

/**
 * When a plan's probe may stop before the end of its run: the verdict "meets the SLO"
 * (attainment = within target / measured arrivals ≥ f) is already decided. Plain data,
 * so that a worker thread can rebuild the rule (`EarlyStop`) from it.
 *
 * Two rules, checked every `checkEvery` arrivals:
 * 1. Certain. With N ≤ `maxMeasured` measured arrivals in all, k requests certainly
 *    over target (dropped, completed at or above the target, or still in flight and
 *    already older than it) and w completed within target:
 *    - k > (1 − f)·N_max, i.e. 1 − k/N_max < f: the final attainment (N − K)/N ≤ 1 − k/N
 *      ≤ 1 − k/N_max is below f, a miss whatever comes next;
 *    - w/N_max ≥ f: the final attainment is at least w/N, a pass whatever comes next.
 *    N_max is exact for a run stopped by request count; for a Poisson run stopped by
 *    time it is the count's mean + 5 standard deviations (exceeded once in 3 million).
 *    This also bounds a probe's memory: measured requests in flight, less those that
 *    arrived within the last target's span, are certain misses, so a probe stops before
 *    it holds more than (1 − f)·N_max + (arrivals in one target's span) + `checkEvery`
 *    measured requests (at 1M QPS, 55 s measured, p99 < 30 ms: about 580,000, some 230 MB,
 *    where an under-provisioned probe used to fill gigabytes).
 * 2. At 95 %. The run's measured requests, in finishing order, are cut into `batches`
 *    equal batches of N/`batches` (batch means: a queue's successive requests are
 *    correlated, batches of many much less; what correlation is left between neighbours
 *    inflates the variance by (1 + r1)/(1 − r1)). Once `minBatches` of them (half the
 *    run) are done, the
 *    final miss share is predicted as (misses so far + p·R)/N for the R requests to come,
 *    p the batch mean, with the variance of both the future batches and p's own
 *    estimate (R·b·s² + R²·s²/m, b the batch size, s² the batch variance floored at the
 *    binomial p(1 − p)/b). The run is looked at once per batch, so each look
 *    uses a one-sided bound at 0.05/(2·looks) (Bonferroni: all looks together call a
 *    wrong verdict less than 5 % of the time), Student-t widened. A pass needs the upper
 *    bound below 1 − f with p the larger of the mean of all batches
 *    and of the later half (a queue still filling up misses more later); a miss needs
 *    the lower bound above it with the smaller of the two.
 */
export interface EarlyStopSpec {
  /** The SLO's share f and latency target (seconds). */
  fraction: number;
  latencyS: number;
  /** Most measured arrivals the run can have (rule 1). */
  maxMeasured: number;
  /** The expected number of measured arrivals (rule 2's batches and prediction). */
  expectedMeasured: number;
  /** Apply rule 2 (at 95 %) besides rule 1 (certain). */
  statistical: boolean;
  batches: number;
  minBatches: number;
  /** Arrivals between two checks (a power of two). */
  checkEvery: number;
}

/** Why and when a probe stopped early. */
export interface EarlyStopOutcome {
  /** Simulated time of the stop (seconds). */
  atS: number;
  /** Share of the expected measured requests finished by then. */
  share: number;
  meets: boolean;
  /** 'certain' (rule 1) or 'at 95%' (rule 2). */
  rule: 'certain' | 'at 95%';
  /** The rule's evidence in words. */
  reason: string;
}

/** Batches of a probe (rule 2) and the fewest finished before it may decide. */
const BATCHES = 20;
const MIN_BATCHES = 10;
/** Standard deviations above its mean that bound a Poisson count (rule 1 with a time stop). */
const POISSON_Z = 5;

/**
 * The early-stop rule of a probe of `scenario` against `slo`, or undefined when the
 * number of measured arrivals cannot be bounded before the run (a time stop with
 * arrivals other than Poisson). `statistical` turns rule 2 on.
 */
export function earlyStopSpec(scenario: Scenario, slo: Slo, statistical: boolean): EarlyStopSpec | undefined {
  const warmReq = scenario.warmup?.requests ?? 0;
  const warmS = scenario.warmup?.duration ?? 0;
  let max = Infinity;
  let expected = Infinity;
  if (scenario.stop?.requests !== undefined) {
    max = scenario.stop.requests - warmReq;
    expected = max;
  }
  const a = scenario.arrivals as { process: string; qps?: number };
  if (scenario.stop?.duration !== undefined && a.process === 'poisson' && typeof a.qps === 'number') {
    const mean = a.qps * Math.max(0, scenario.stop.duration - warmS);
    max = Math.min(max, Math.ceil(mean + POISSON_Z * Math.sqrt(mean) + 1));
    expected = Math.min(expected, mean);
  }
  if (!Number.isFinite(max) || !(expected >= 1)) return undefined;
  const batch = expected / BATCHES;
  // Several checks per batch, never more often than every 64 arrivals.
  let checkEvery = 64;
  while (checkEvery * 2 <= Math.min(4096, batch / 4)) checkEvery *= 2;
  return { fraction: slo.fraction, latencyS: slo.latencyS, maxMeasured: max, expectedMeasured: expected, statistical, batches: BATCHES, minBatches: MIN_BATCHES, checkEvery };
}

/** The rule of an `EarlyStopSpec` applied to one run: give `shouldStop` to the run, read `outcome` after. */
export class EarlyStop {
  outcome: EarlyStopOutcome | undefined;
  /** (time, arrivals) at each check, to bound the arrivals of the last `latencyS` seconds. */
  private readonly times: number[] = [];
  private readonly arrivals: number[] = [];
  private oldest = 0;
  /** Finished measured requests and misses among them at each batch boundary crossed. */
  private readonly batchN: number[] = [0];
  private readonly batchMiss: number[] = [0];

  constructor(readonly spec: EarlyStopSpec) {}

  readonly shouldStop = (p: RunProgress): boolean => {
    const s = this.spec;
    const finished = p.completed + p.dropped;
    const missed = finished - p.withinSlo;
    // Arrivals since the latest check at least latencyS ago: an upper bound on those younger than the target.
    while (this.oldest + 1 < this.times.length && this.times[this.oldest + 1]! <= p.nowS - s.latencyS) this.oldest++;
    const recent = this.times.length > 0 && this.times[this.oldest]! <= p.nowS - s.latencyS ? p.arrivedTotal - this.arrivals[this.oldest]! : p.arrivedTotal;
    this.times.push(p.nowS);
    this.arrivals.push(p.arrivedTotal);
    const oldInFlight = Math.max(0, p.arrived - finished - recent);
    const certainMisses = missed + oldInFlight;
    const allowed = 1 - s.fraction;
    const share = finished / s.expectedMeasured;
    if (1 - certainMisses / s.maxMeasured < s.fraction) {
      return this.stop(p.nowS, share, false, 'certain', `${certainMisses} measured requests are already over the target, more than ${pct(allowed)} of the most the run can measure (${s.maxMeasured})`);
    }
    if (p.withinSlo / s.maxMeasured >= s.fraction) {
      return this.stop(p.nowS, share, true, 'certain', `${p.withinSlo} measured requests already finished within the target, ${pct(s.fraction)} of the most the run can measure (${s.maxMeasured})`);
    }
    if (!s.statistical) return false;
    const b = s.expectedMeasured / s.batches;
    if (finished < this.batchN.length * b) return false;
    this.batchN.push(finished);
    this.batchMiss.push(missed);
    const m = this.batchN.length - 1;
    if (m < s.minBatches) return false;
    const xs: number[] = [];
    for (let j = 1; j <= m; j++) xs.push((this.batchMiss[j]! - this.batchMiss[j - 1]!) / (this.batchN[j]! - this.batchN[j - 1]!));
    const all = missed / finished;
    const h = Math.floor(m / 2);
    const late = (missed - this.batchMiss[h]!) / (finished - this.batchN[h]!);
    const mean = xs.reduce((a, x) => a + x, 0) / m;
    const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (m - 1);
    // Neighbouring batches still correlated (a long service, a queue build-up spanning a boundary): the
    // variance of their mean grows by (1 + r1)/(1 − r1), r1 the lag-1 autocorrelation (capped at 0.8).
    let lag = 0;
    for (let j = 1; j < m; j++) lag += (xs[j]! - mean) * (xs[j - 1]! - mean);
    const r1 = variance > 0 ? Math.min(0.8, Math.max(0, lag / (m - 1) / variance)) : 0;
    const pFloor = Math.max(all, 3 / finished);
    const s2 = Math.max(variance, (pFloor * (1 - pFloor)) / b) * ((1 + r1) / (1 - r1));
    const remaining = Math.max(0, s.expectedMeasured - finished);
    const se = Math.sqrt(remaining * b * s2 + (remaining * remaining * s2) / m) / s.expectedMeasured;
    // Up to (batches − minBatches) looks, each able to end the run either way: Bonferroni
    // keeps the chance that any of them calls the wrong verdict under 5 % (one-sided
    // α = 0.05 / (2 · looks) per look; z of it, widened by Student's t/z ratio at m − 1 df).
    const t = (zUpper(0.05 / (2 * (s.batches - s.minBatches))) * tCritical95(m - 1)) / 1.959963984540054;
    const upper = (missed + Math.max(all, late) * remaining) / s.expectedMeasured + t * se;
    const lower = (missed + Math.min(all, late) * remaining) / s.expectedMeasured - t * se;
    if (upper < allowed) return this.stop(p.nowS, share, true, 'at 95%', `the final share over the target is predicted below ${pct(upper)} (bound at 95% over all looks, from ${m} batches), under the ${pct(allowed)} allowed`);
    if (lower > allowed) return this.stop(p.nowS, share, false, 'at 95%', `the final share over the target is predicted above ${pct(lower)} (bound at 95% over all looks, from ${m} batches), over the ${pct(allowed)} allowed`);
    return false;
  };

  private stop(atS: number, share: number, meets: boolean, rule: EarlyStopOutcome['rule'], reason: string): true {
    this.outcome = { atS, share, meets, rule, reason };
    return true;
  }
}

/** The upper α quantile of the standard normal (Acklam's rational approximation's tail, |error| < 1.2e-9 relative, for α < 0.02425). */
function zUpper(alpha: number): number {
  const q = Math.sqrt(-2 * Math.log(alpha));
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  return -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
}

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`;
}
