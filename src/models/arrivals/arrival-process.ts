import type { Distribution, Simulation } from '../../engine/index.ts';
import type { TraceOpener } from '../../config/trace-csv.ts';
import type { ArrivalsSpec } from '../../config/description.ts';

/** A source of arrival instants. */
export interface ArrivalProcess {
  /**
   * Long-run mean arrival rate (per second) as known without reading anything, for the
   * load check before a run; NaN for a trace replay, whose rate is in its file.
   */
  readonly meanRateRps: number;
  /**
   * The process's own mean rate (per second) over [fromS, toS] of simulated time: the
   * expected arrivals in that window over its length; with `toS` Infinity (the
   * default), the long-run rate. A trace replay reads its file for it: (rows in the
   * window − 1) / (time from the first of them to the last), NaN with fewer than two
   * at different times. Theory reads this, never the scenario's `qps` key.
   */
  meanRate(fromS?: number, toS?: number): number;
  /** Squared coefficient of variation of inter-arrival gaps (1 for Poisson), when known. */
  readonly interarrivalScv: number | undefined;
  /**
   * The gap distribution of a renewal process (independent, identically distributed
   * gaps), whose Laplace–Stieltjes transform GI/M/c theory reads; absent for the rest.
   */
  readonly gapDistribution?: Distribution;
  /** Time of the next arrival after one at `nowS`, or `Infinity` when none is left. */
  next(nowS: number): number;
  /** Names of the numeric attributes each request carries (traces); empty or absent otherwise. */
  readonly attributeNames?: readonly string[];
  /** Attributes of the arrival most recently returned by `next`, in `attributeNames` order. */
  attributes?(): readonly number[] | null;
}

/** What an arrival process may need from outside the simulation (files live behind this boundary). */
export interface ArrivalContext {
  /** Opens a trace file; given by the CLI (disk) or the browser (memory). */
  openTrace?: TraceOpener;
  /** Trace columns that hold counts (an LLM stage's token columns): each row must hold a whole number >= 1 there. */
  countColumns?: readonly string[];
  /** `process: classes`: each class's own arrival process, and how to build one (`makeArrivals`). */
  classArrivals?: ReadonlyArray<{ name: string; arrivals: ArrivalsSpec }>;
  buildArrivals?: (spec: ArrivalsSpec, sim: Simulation, context?: ArrivalContext) => ArrivalProcess;
}

/** Builds an arrival process from its validated spec, drawing from the run's streams. */
export type ArrivalFactory<S> = (spec: S, sim: Simulation, context?: ArrivalContext) => ArrivalProcess;
