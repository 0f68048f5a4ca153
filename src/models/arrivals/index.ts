import type { Simulation } from '../../engine/index.ts';
import type { ArrivalKind, ArrivalsSpec } from '../../config/schema.ts';
import type { ArrivalFactory, ArrivalProcess } from './arrival-process.ts';
import { makeConstant } from './constant.ts';
import { makePoisson } from './poisson.ts';

export type { ArrivalProcess, ArrivalFactory } from './arrival-process.ts';

/** Arrival processes by the name a scenario uses: adding one is a file and a line. */
export const arrivalRegistry: { [K in ArrivalKind]: ArrivalFactory<Extract<ArrivalsSpec, { process: K }>> } = {
  poisson: makePoisson,
  constant: makeConstant,
};

/** Builds the arrival process a spec names. */
export function makeArrivals(spec: ArrivalsSpec, sim: Simulation): ArrivalProcess {
  const factory = arrivalRegistry[spec.process] as ArrivalFactory<ArrivalsSpec>;
  return factory(spec, sim);
}
