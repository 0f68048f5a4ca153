import { randomExponential } from '../../engine/index.ts';
import type { ArrivalFactory } from './arrival-process.ts';

/**
 * Poisson arrivals at `qps`: exponential gaps of mean 1/qps drawn from the
 * `arrivals` stream, with no clipping (Vidur clips gaps at 3/λ, which raises the
 * real rate by about 5 %; we do not).
 */
export const makePoisson: ArrivalFactory<{ process: 'poisson'; qps: number }> = (spec, sim) => {
  const gap = randomExponential.source(sim.random.stream('arrivals'))(spec.qps);
  return {
    meanRateRps: spec.qps,
    meanRate: () => spec.qps,
    interarrivalScv: 1,
    next: (nowS) => nowS + gap(),
  };
};
