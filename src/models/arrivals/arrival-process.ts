import type { Simulation } from '../../engine/index.ts';

/** A source of arrival instants. */
export interface ArrivalProcess {
  /** Long-run mean arrival rate (per second), for load checks and theory. */
  readonly meanRateRps: number;
  /** Squared coefficient of variation of inter-arrival gaps (1 for Poisson), when known. */
  readonly interarrivalScv: number | undefined;
  /** Time of the next arrival after one at `nowS`, or `Infinity` when none is left. */
  next(nowS: number): number;
}

/** Builds an arrival process from its validated spec, drawing from the run's streams. */
export type ArrivalFactory<S> = (spec: S, sim: Simulation) => ArrivalProcess;
