import { InputError } from '../../config/errors.ts';
import type { TraceRecord } from '../../config/trace-csv.ts';
import type { ArrivalFactory } from './arrival-process.ts';

/** The `trace` arrivals spec (see src/config/schema.ts). */
export interface TraceArrivalsSpec {
  process: 'trace';
  file: string;
  /** Replay speed: 2 replays twice as fast (gaps halved). */
  rate: number;
  /** Name of the timestamp column; found by name (TIMESTAMP, time, ...) when absent. */
  timestamp?: string | undefined;
}

/**
 * Replays a CSV of real arrivals: the first row arrives at time 0, each later row at
 * (its timestamp − the first's) / rate. No randomness at all. Numeric columns other
 * than the timestamp ride along as request attributes (e.g. token counts). Rows
 * stream from the reader one at a time, so memory does not grow with the trace.
 * A timestamp earlier than the one before is an error naming its line.
 */
export const makeTrace: ArrivalFactory<TraceArrivalsSpec> = (spec, _sim, context) => {
  if (context?.openTrace === undefined) throw new InputError([`arrivals.file: this environment cannot open trace files`]);
  const reader = context.openTrace(spec.file, { timestampColumn: spec.timestamp });
  let first: TraceRecord | undefined;
  let prevT = 0;
  let current: Float64Array | null = null;
  return {
    meanRateRps: NaN,
    interarrivalScv: undefined,
    attributeNames: reader.attributeNames,
    attributes: () => current,
    next: () => {
      const r = reader.next();
      if (r === undefined) {
        current = null;
        return Infinity;
      }
      if (first === undefined) first = r;
      // Whole seconds and fractions subtract apart: no precision lost to the epoch.
      const t = (r.wholeS - first.wholeS + (r.fracS - first.fracS)) / spec.rate;
      if (t < prevT) {
        throw new InputError([`${spec.file}:${r.line}: timestamps must not go back in time (this row is ${((prevT - t) * spec.rate).toFixed(6)} s before the previous one); sort the trace by time`]);
      }
      prevT = t;
      current = r.attrs;
      return t;
    },
  };
};
