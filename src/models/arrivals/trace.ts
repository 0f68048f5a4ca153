import { randomExponential } from 'd3-random';
import { InputError } from '../../config/errors.ts';
import type { TraceReader } from '../../config/trace-csv.ts';
import type { ArrivalFactory } from './arrival-process.ts';
import { shownField } from '../../config/shown.ts';

/**
 * Latest arrival a replay may schedule, in seconds after its first row: 2^53 µs. Beyond
 * it a double no longer resolves a microsecond, so service times would be rounded
 * away; a timestamp this far out is a unit mistake (milliseconds read as seconds) or a
 * corrupt row.
 */
export const MAX_REPLAY_OFFSET_S = 2 ** 53 / 1e6;

/** The `trace` arrivals spec (see src/config/schema.ts). */
export interface TraceArrivalsSpec {
  process: 'trace';
  file: string;
  /** Replay speed: 2 replays twice as fast (gaps halved). */
  rate: number;
  /** Name of the timestamp column; found by name (TIMESTAMP, time, ...) when absent. */
  timestamp?: string | undefined;
  /**
   * `trace` (default) keeps the recorded times; `poisson` keeps the rows (their
   * attributes, in order) but spaces them as a Poisson process at the trace's mean
   * rate: the same requests without the trace's burstiness.
   */
  timing?: 'trace' | 'poisson' | undefined;
}

function tooFar(file: string, line: number, offsetS: number): string {
  return `${shownField(file)}:${line}: this row arrives ${offsetS.toExponential(3)} s after the first; a replay spans at most ${MAX_REPLAY_OFFSET_S.toExponential(2)} s (about 285 years), where simulated time still resolves a microsecond: are the timestamps in seconds?`;
}

/**
 * Rows of a trace and the time from its first to its last timestamp (seconds), read in
 * one pass: its mean rate is (rows − 1) / span, one gap fewer than rows.
 */
function traceExtent(open: () => TraceReader, file: string): { rows: number; spanS: number } {
  const reader = open();
  let n = 0;
  let w0 = 0;
  let f0 = 0;
  let w1 = 0;
  let f1 = 0;
  for (let r = reader.next(); r !== undefined; r = reader.next()) {
    if (n === 0) {
      w0 = r.wholeS;
      f0 = r.fracS;
    }
    w1 = r.wholeS;
    f1 = r.fracS;
    if (!(Math.abs(w1 - w0 + (f1 - f0)) <= MAX_REPLAY_OFFSET_S)) throw new InputError([tooFar(file, r.line, w1 - w0 + (f1 - f0))]);
    n++;
  }
  return { rows: n, spanS: n > 0 ? w1 - w0 + (f1 - f0) : 0 };
}

/** Mean arrival rate of a trace at its recorded times: (rows − 1) / span; NaN with fewer than two rows at different times. */
function traceMeanRate(open: () => TraceReader, file: string): number {
  const { rows, spanS } = traceExtent(open, file);
  return rows >= 2 && spanS > 0 ? (rows - 1) / spanS : NaN;
}

/**
 * Replays a CSV of real arrivals: the first row arrives at time 0, each later row at
 * (its timestamp − the first's) / rate. No randomness at all. Numeric columns other
 * than the timestamp ride along as request attributes (e.g. token counts). Rows
 * stream from the reader one at a time, so memory does not grow with the trace.
 * A timestamp earlier than the one before is an error naming its line.
 */
export const makeTrace: ArrivalFactory<TraceArrivalsSpec> = (spec, sim, context) => {
  const openTrace = context?.openTrace;
  if (openTrace === undefined) throw new InputError([`arrivals.file: this environment cannot open trace files`]);
  const open = () => openTrace(spec.file, { timestampColumn: spec.timestamp });
  if (spec.timing === 'poisson') {
    const recorded = traceMeanRate(open, spec.file);
    if (Number.isNaN(recorded)) throw new InputError([`${shownField(spec.file)}: needs at least two rows at different times to have a mean rate (timing: poisson)`]);
    const rate = recorded * spec.rate;
    const reader = open();
    const gap = randomExponential.source(sim.random.stream('arrivals'))(rate);
    let current: readonly number[] | null = null;
    let started = false;
    return {
      meanRateRps: rate,
      meanRate: () => rate,
      interarrivalScv: 1,
      attributeNames: reader.attributeNames,
      attributes: () => current,
      next: (nowS) => {
        const r = reader.next();
        if (r === undefined) {
          current = null;
          return Infinity;
        }
        current = r.attrs;
        // The first row arrives at 0, as in a replay; then Poisson gaps.
        if (!started) {
          started = true;
          return 0;
        }
        return nowS + gap();
      },
    };
  }
  const reader = open();
  let started = false;
  let w0 = 0;
  let f0 = 0;
  let prevT = 0;
  let current: readonly number[] | null = null;
  let meanRps: number | undefined;
  return {
    // Unknown until the file is read: the load check before a run does not read it twice.
    meanRateRps: NaN,
    meanRate: () => (meanRps ??= traceMeanRate(open, spec.file) * spec.rate),
    interarrivalScv: undefined,
    attributeNames: reader.attributeNames,
    attributes: () => current,
    next: () => {
      const r = reader.next();
      if (r === undefined) {
        current = null;
        return Infinity;
      }
      if (!started) {
        started = true;
        w0 = r.wholeS;
        f0 = r.fracS;
      }
      // Whole seconds and fractions subtract apart: no precision lost to the epoch.
      const t = (r.wholeS - w0 + (r.fracS - f0)) / spec.rate;
      if (!(t <= MAX_REPLAY_OFFSET_S)) throw new InputError([tooFar(spec.file, r.line, t)]);
      if (t < prevT) {
        throw new InputError([`${shownField(spec.file)}:${r.line}: timestamps must not go back in time (this row is ${((prevT - t) * spec.rate).toFixed(6)} s before the previous one); sort the trace by time`]);
      }
      prevT = t;
      current = r.attrs;
      return t;
    },
  };
};
