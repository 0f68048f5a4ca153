import type { ArrivalFactory } from './arrival-process.ts';

/**
 * Deterministic arrivals every 1/qps seconds, the first at 1/qps. The k-th arrival
 * is computed as k/qps rather than by adding gaps, so no rounding drift builds up.
 */
export const makeConstant: ArrivalFactory<{ process: 'constant'; qps: number }> = (spec) => {
  let k = 0;
  return {
    meanRateRps: spec.qps,
    meanRate: () => spec.qps,
    interarrivalScv: 0,
    next: () => ++k / spec.qps,
  };
};
