import type { ArrivalFactory } from './arrival-process.ts';
import { thinnedPoisson } from './thinning.ts';

/** The `diurnal` arrivals spec, durations in seconds (see src/config/schema.ts). */
export interface DiurnalSpec {
  process: 'diurnal';
  /** Mean rate over a period, requests per second. */
  qps: number;
  /** Relative swing in [0, 1]: the peak is qps·(1 + amplitude), the trough qps·(1 − amplitude). */
  amplitude: number;
  /** Length of one cycle (86 400 s for a day). */
  period: number;
  /** Time of the peak within the period; the middle of the period (noon) when absent. */
  peakAt?: number | undefined;
}

const TWO_PI = 2 * Math.PI;

/** Time of the peak within the period, seconds: `peakAt`, or half the period by default. */
export function diurnalPeakAtS(spec: DiurnalSpec): number {
  return spec.peakAt ?? spec.period / 2;
}

/** Rate at time `tS`: λ(t) = qps·(1 + amplitude·cos(2π(t − peakAt)/period)). */
export function diurnalRateRps(spec: DiurnalSpec, tS: number): number {
  return spec.qps * (1 + spec.amplitude * Math.cos((TWO_PI * (tS - diurnalPeakAtS(spec))) / spec.period));
}

/**
 * ∫ λ(t) dt over [fromS, toS], the expected number of arrivals in that window:
 * qps·((b − a) + amplitude·period/(2π)·(sin θ(b) − sin θ(a))), θ(t) = 2π(t − peakAt)/period.
 */
export function diurnalExpectedCount(spec: DiurnalSpec, fromS: number, toS: number): number {
  const peak = diurnalPeakAtS(spec);
  const theta = (t: number) => (TWO_PI * (t - peak)) / spec.period;
  return spec.qps * (toS - fromS + ((spec.amplitude * spec.period) / TWO_PI) * (Math.sin(theta(toS)) - Math.sin(theta(fromS))));
}

/**
 * A daily (or any periodic) load curve: a non-homogeneous Poisson process of
 * sinusoidal rate `diurnalRateRps`, drawn by thinning at the peak rate
 * qps·(1 + amplitude) (Lewis & Shedler 1979), from the `arrivals` stream. The mean
 * rate over a period is exactly `qps`. The inter-arrival SCV is left undefined: gaps
 * are not identically distributed over the day (it is 1 when amplitude is 0).
 */
export const makeDiurnal: ArrivalFactory<DiurnalSpec> = (spec, sim) => {
  if (!(spec.qps > 0 && spec.amplitude >= 0 && spec.amplitude <= 1 && spec.period > 0)) {
    throw new RangeError(`diurnal arrivals need qps > 0, 0 <= amplitude <= 1 and period > 0, got ${JSON.stringify(spec)}`);
  }
  // Same expression as the rate at cos = 1, so rounding can never put a rate above it.
  const peakRps = spec.qps * (1 + spec.amplitude * 1);
  const next = thinnedPoisson((t) => diurnalRateRps(spec, t), [{ untilS: Infinity, boundRps: peakRps }], sim.random.stream('arrivals'));
  return {
    meanRateRps: spec.qps,
    meanRate: (fromS = 0, toS = Infinity) => (toS === Infinity ? spec.qps : diurnalExpectedCount(spec, fromS, toS) / (toS - fromS)),
    interarrivalScv: spec.amplitude === 0 ? 1 : undefined,
    next,
  };
};
