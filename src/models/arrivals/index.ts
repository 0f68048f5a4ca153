import type { Simulation } from '../../engine/index.ts';
import type { ArrivalKind, ArrivalsSpec } from '../../config/description.ts';
import type { ArrivalContext, ArrivalFactory, ArrivalProcess } from './arrival-process.ts';
import { makeBursty } from './bursty.ts';
import { makeConstant } from './constant.ts';
import { makeDiurnal } from './diurnal.ts';
import { makePluginArrivals } from './plugin.ts';
import { makePoisson } from './poisson.ts';
import { makeSchedule } from './schedule.ts';
import { makeSpike } from './spike.ts';
import { makeTrace } from './trace.ts';
import { makeRenewal } from './renewal.ts';
import { makePerClassArrivals } from './per-class.ts';

export type { ArrivalProcess, ArrivalFactory, ArrivalContext } from './arrival-process.ts';
export type { PerClassArrivals } from './per-class.ts';
export { diurnalExpectedCount, diurnalPeakAtS, diurnalRateRps, type DiurnalSpec } from './diurnal.ts';
export { spikeExpectedCount, spikeRateRps, type SpikeSpec } from './spike.ts';
export { burstyCountVariance, burstyExpectedCount, burstyExpectedRateRps, burstyInterarrivalScv, burstyMeanRateRps, type BurstySpec } from './bursty.ts';
export { scheduleExpectedCount, scheduleMeanRateRps, scheduleRateRps, type ScheduleSpec, type ScheduleStep } from './schedule.ts';
export { renewalGap } from './renewal.ts';
export { thinnedPoisson, type RatePiece } from './thinning.ts';

/** Arrival processes by the name a scenario uses: adding one is a file and a line. */
export const arrivalRegistry: { [K in ArrivalKind]: ArrivalFactory<Extract<ArrivalsSpec, { process: K }>> } = {
  poisson: makePoisson,
  constant: makeConstant,
  diurnal: makeDiurnal,
  spike: makeSpike,
  bursty: makeBursty,
  schedule: makeSchedule,
  trace: makeTrace,
  plugin: makePluginArrivals,
  renewal: makeRenewal,
  classes: makePerClassArrivals,
};

/** Builds the arrival process a spec names. */
export function makeArrivals(spec: ArrivalsSpec, sim: Simulation, context: ArrivalContext = {}): ArrivalProcess {
  const factory = arrivalRegistry[spec.process] as ArrivalFactory<ArrivalsSpec>;
  return factory(spec, sim, { ...context, buildArrivals: makeArrivals });
}
