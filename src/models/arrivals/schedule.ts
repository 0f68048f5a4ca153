import { randomExponential } from '../../engine/index.ts';
import type { ArrivalFactory } from './arrival-process.ts';

/** One step of a rate schedule: from `at` (seconds) on, the rate is `qps`. */
export interface ScheduleStep {
  at: number;
  qps: number;
}

/** The `schedule` arrivals spec, durations in seconds (see src/config/schema.ts). */
export interface ScheduleSpec {
  process: 'schedule';
  /** Steps in increasing time order, the first at 0; each rate holds until the next step. */
  steps: ScheduleStep[];
  /** Period after which the schedule starts over; absent: the last rate holds forever. */
  repeat?: number | undefined;
}

/** Arrivals one full period of a repeating schedule brings (∫ over [0, repeat]). */
function perPeriod(spec: ScheduleSpec, periodS: number): number {
  let sum = 0;
  spec.steps.forEach((st, i) => (sum += st.qps * ((spec.steps[i + 1]?.at ?? periodS) - st.at)));
  return sum;
}

/** Index of the step in force at offset `offS` into the schedule (binary search; steps[0].at = 0). */
function stepAt(steps: readonly ScheduleStep[], offS: number): number {
  let lo = 0;
  let hi = steps.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (steps[mid]!.at <= offS) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Rate at `tS`: the rate of the last step at or before t (modulo `repeat` if set). */
export function scheduleRateRps(spec: ScheduleSpec, tS: number): number {
  const off = spec.repeat === undefined ? tS : tS - Math.floor(tS / spec.repeat) * spec.repeat;
  return spec.steps[stepAt(spec.steps, off)]!.qps;
}

/** ∫ λ over [0, tS] (tS ≥ 0): whole periods, then whole steps, then part of one. */
function cumulative(spec: ScheduleSpec, tS: number): number {
  let base = 0;
  let off = tS;
  if (spec.repeat !== undefined) {
    const k = Math.floor(tS / spec.repeat);
    base = k * perPeriod(spec, spec.repeat);
    off = tS - k * spec.repeat;
  }
  const i = stepAt(spec.steps, off);
  for (let j = 0; j < i; j++) base += spec.steps[j]!.qps * (spec.steps[j + 1]!.at - spec.steps[j]!.at);
  return base + spec.steps[i]!.qps * (off - spec.steps[i]!.at);
}

/** ∫ λ(t) dt over [fromS, toS], the expected number of arrivals in that window. */
export function scheduleExpectedCount(spec: ScheduleSpec, fromS: number, toS: number): number {
  return cumulative(spec, toS) - cumulative(spec, fromS);
}

/**
 * Long-run rate: the mean over one period when the schedule repeats, else the last
 * step's rate (which holds forever after the last step).
 */
export function scheduleMeanRateRps(spec: ScheduleSpec): number {
  return spec.repeat === undefined ? spec.steps[spec.steps.length - 1]!.qps : perPeriod(spec, spec.repeat) / spec.repeat;
}

/**
 * A piecewise-constant rate schedule, optionally repeating: a Poisson process whose
 * rate steps at given times, drawn exactly by inverting the integrated rate Λ (the
 * time-change theorem for Poisson processes, e.g. Çinlar 1975, "Introduction to
 * Stochastic Processes"):
 * each arrival spends one unit exponential of "work" from the `arrivals` stream,
 * walking forward through the steps, a step of rate r using up r × its length.
 * Zero-rate steps are skipped; with no repeat and a last rate of 0, arrivals end.
 */
export const makeSchedule: ArrivalFactory<ScheduleSpec> = (spec, sim) => {
  const steps = spec.steps;
  const period = spec.repeat;
  const n = steps.length;
  if (n === 0 || steps[0]!.at !== 0) throw new RangeError('a schedule needs steps, the first at 0 s');
  steps.forEach((st, i) => {
    if (!(st.qps >= 0 && st.qps < Infinity)) throw new RangeError(`schedule step ${i} needs a finite rate of 0 or more, got ${st.qps}`);
    if (i > 0 && !(st.at > steps[i - 1]!.at)) throw new RangeError('schedule steps must be in increasing time order');
  });
  if (period !== undefined && !(period > steps[n - 1]!.at)) throw new RangeError(`the repeat period must be longer than the last step's time, got ${period}`);
  // Also what keeps the walk below finite: some step of every period has a rate.
  if (steps.every((st) => st.qps === 0)) throw new RangeError('a schedule needs at least one step with a rate above 0');

  const unitExp = randomExponential.source(sim.random.stream('arrivals'))(1);
  const constant = steps.every((st) => st.qps === steps[0]!.qps);
  return {
    meanRateRps: scheduleMeanRateRps(spec),
    meanRate: (fromS = 0, toS = Infinity) => (toS === Infinity ? scheduleMeanRateRps(spec) : scheduleExpectedCount(spec, fromS, toS) / (toS - fromS)),
    // A schedule of one rate is plain Poisson; otherwise gaps are not identically distributed.
    interarrivalScv: constant ? 1 : undefined,
    next: (nowS) => {
      let k = period === undefined ? 0 : Math.floor(nowS / period);
      const cycleS = (c: number) => (period === undefined ? 0 : c * period);
      let i = stepAt(steps, nowS - cycleS(k));
      let t = nowS;
      let work = unitExp();
      for (;;) {
        const r = steps[i]!.qps;
        const end = i + 1 < n ? cycleS(k) + steps[i + 1]!.at : period === undefined ? Infinity : cycleS(k + 1);
        // max(0, ·): rounding of cycle × period may put a boundary a hair before t.
        const span = Math.max(0, end - t);
        if (r > 0) {
          const available = span * r; // Infinity for the last, endless step
          if (work < available) return t + work / r;
          work -= available;
        } else if (end === Infinity) {
          return Infinity;
        }
        t = Math.max(t, end);
        if (++i === n) {
          i = 0;
          k++;
        }
      }
    },
  };
};
