import type { ArrivalFactory } from './arrival-process.ts';
import { thinnedPoisson } from './thinning.ts';

/** The `spike` arrivals spec, durations in seconds (see src/config/schema.ts). */
export interface SpikeSpec {
  process: 'spike';
  /** Base rate outside the spike, requests per second. */
  qps: number;
  /** The rate during the spike is factor × qps (below 1, a dip). */
  factor: number;
  /** Start of the spike. */
  at: number;
  /** Length of the spike, ramps included: it is over at `at + duration`. */
  duration: number;
  /** Length of each linear ramp (up from `at`, down to `at + duration`); 0 or absent for a step. */
  ramp?: number | undefined;
}

/**
 * Height of the spike at `tS` as a share of its full height, in [0, 1]: a trapezoid
 * rising over [at, at + ramp], flat, falling over [at + duration − ramp, at + duration].
 */
function shape(spec: SpikeSpec, tS: number): number {
  const r = spec.ramp ?? 0;
  const start = spec.at;
  const end = spec.at + spec.duration;
  if (tS < start || tS >= end) return 0;
  // min(1, ·) only absorbs rounding of the boundaries (start + r, end − r), so the
  // rate never passes its peak by an ulp; in exact arithmetic both ratios are ≤ 1.
  if (tS < start + r) return Math.min(1, (tS - start) / r);
  if (tS < end - r) return 1;
  return Math.min(1, (end - tS) / r);
}

/** ∫ shape over [0, tS], in seconds at full height (closed form of the trapezoid). */
function shapeIntegral(spec: SpikeSpec, tS: number): number {
  const r = spec.ramp ?? 0;
  const start = spec.at;
  const end = spec.at + spec.duration;
  // Each branch is reached only when its interval is non-empty, so r = 0 never divides.
  if (tS <= start) return 0;
  if (tS <= start + r) return (tS - start) ** 2 / (2 * r);
  if (tS <= end - r) return r / 2 + (tS - start - r);
  if (tS <= end) return spec.duration - r - (end - tS) ** 2 / (2 * r);
  return spec.duration - r;
}

/** Rate at `tS`: qps·(1 + (factor − 1)·shape(t)), shape the trapezoid of the spike. */
export function spikeRateRps(spec: SpikeSpec, tS: number): number {
  return spec.qps * (1 + (spec.factor - 1) * shape(spec, tS));
}

/**
 * ∫ λ(t) dt over [fromS, toS], the expected number of arrivals in that window:
 * qps·(b − a) plus the spike's extra (factor − 1)·qps·(S(b) − S(a)), S the integral of
 * the trapezoid. The whole spike adds (factor − 1)·qps·(duration − ramp) arrivals.
 */
export function spikeExpectedCount(spec: SpikeSpec, fromS: number, toS: number): number {
  return spec.qps * (toS - fromS + (spec.factor - 1) * (shapeIntegral(spec, toS) - shapeIntegral(spec, fromS)));
}

/**
 * A load spike (or dip): Poisson arrivals at `qps`, stepping (or ramping linearly) to
 * factor × qps at `at` and back by `at + duration`. Drawn exactly as a
 * non-homogeneous Poisson process by thinning (Lewis & Shedler 1979) under a
 * piecewise bound (the base rate outside the spike, the higher of base and peak
 * inside), from the `arrivals` stream.
 *
 * `meanRateRps` is the long-run rate, the base `qps`: the spike is a transient, which
 * adds (factor − 1)·qps·(duration − ramp) arrivals in all, so a run of length T sees
 * an average of qps + that / T (`spikeExpectedCount(spec, 0, T) / T`, `meanRate(0, T)`). The SCV is
 * left undefined, as the gaps are not identically distributed (it is 1 if factor is 1).
 */
export const makeSpike: ArrivalFactory<SpikeSpec> = (spec, sim) => {
  const ramp = spec.ramp ?? 0;
  if (!(spec.qps > 0 && spec.factor > 0 && spec.at >= 0 && spec.duration > 0 && ramp >= 0 && 2 * ramp <= spec.duration)) {
    throw new RangeError(`spike arrivals need qps > 0, factor > 0, at >= 0, duration > 0 and 0 <= 2·ramp <= duration, got ${JSON.stringify(spec)}`);
  }
  // The rate at shape = 1, by the same expression, so rounding cannot exceed the bound.
  const peakRps = spec.qps * (1 + (spec.factor - 1) * 1);
  const during = { untilS: spec.at + spec.duration, boundRps: Math.max(spec.qps, peakRps) };
  const after = { untilS: Infinity, boundRps: spec.qps };
  const pieces = spec.at > 0 ? [{ untilS: spec.at, boundRps: spec.qps }, during, after] : [during, after];
  const next = thinnedPoisson((t) => spikeRateRps(spec, t), pieces, sim.random.stream('arrivals'));
  return {
    meanRateRps: spec.qps,
    meanRate: (fromS = 0, toS = Infinity) => (toS === Infinity ? spec.qps : spikeExpectedCount(spec, fromS, toS) / (toS - fromS)),
    interarrivalScv: spec.factor === 1 ? 1 : undefined,
    next,
  };
};
