import { deterministic } from '../../engine/index.ts';
import type { ArrivalFactory } from './arrival-process.ts';

/**
 * Deterministic arrivals every 1/qps seconds, the first at 1/qps. The k-th arrival
 * is computed as k/qps rather than by adding gaps, so no rounding drift builds up.
 * As a renewal process its gaps are deterministic (the D of D/M/c theory).
 */
export const makeConstant: ArrivalFactory<{ process: 'constant'; qps: number }> = (spec) => {
  let k = 0;
  return {
    meanRateRps: spec.qps,
    meanRate: () => spec.qps,
    interarrivalScv: 0,
    gapDistribution: deterministic(1 / spec.qps),
    next: () => ++k / spec.qps,
  };
};
