import { randomExponential } from '../../engine/index.ts';
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
 * `reader` with every row checked to hold a whole count of at least 1 in each of `columns`
 * (token counts an LLM stage reads): a bad row is an error naming its line. Columns the
 * trace lacks are left to whoever reads them (they name the columns there are).
 */
function checkCounts(reader: TraceReader, file: string, columns: readonly string[]): TraceReader {
  const idx = columns.map((c) => reader.attributeNames.indexOf(c)).filter((i) => i >= 0);
  if (idx.length === 0) return reader;
  const names = reader.attributeNames;
  return {
    attributeNames: names,
    ...(reader.close !== undefined ? { close: () => reader.close!() } : {}),
    next() {
      const r = reader.next();
      if (r === undefined) return r;
      for (const i of idx) {
        const v = r.attrs[i]!;
        if (!(v >= 1 && Number.isInteger(v))) {
          throw new InputError([`${shownField(file)}:${r.line}: column "${shownField(names[i]!, 40)}" is ${v}: a token count must be a whole number of at least 1`]);
        }
      }
      return r;
    },
  };
}

/**
 * Mean arrival rate of a trace, read in one pass: (rows − 1) / (last − first
 * timestamp) over the rows whose offset from the first row, divided by `speed`, falls
 * in [fromS, toS] (the whole trace by default); NaN with fewer than two such rows at
 * different times.
 */
function traceMeanRate(open: () => TraceReader, file: string, speed = 1, fromS = 0, toS = Infinity): number {
  const reader = open();
  let n = 0;
  let started = false;
  let w0 = 0;
  let f0 = 0;
  let first = 0;
  let last = 0;
  for (let r = reader.next(); r !== undefined; r = reader.next()) {
    if (!started) {
      started = true;
      w0 = r.wholeS;
      f0 = r.fracS;
    }
    const offsetS = r.wholeS - w0 + (r.fracS - f0);
    if (!(Math.abs(offsetS) <= MAX_REPLAY_OFFSET_S)) throw new InputError([tooFar(file, r.line, offsetS)]);
    const t = offsetS / speed;
    if (t < fromS || t > toS) continue;
    if (n === 0) first = t;
    last = t;
    n++;
  }
  return n >= 2 && last > first ? (n - 1) / (last - first) : NaN;
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
  const counts = context?.countColumns ?? [];
  const open = () => checkCounts(openTrace(spec.file, { timestampColumn: spec.timestamp }), spec.file, counts);
  if (spec.timing === 'poisson') {
    const rate = traceMeanRate(open, spec.file) * spec.rate;
    if (Number.isNaN(rate)) throw new InputError([`${shownField(spec.file)}: needs at least two rows at different times to have a mean rate (timing: poisson)`]);
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
  return {
    // Unknown until the file is read: the load check before a run does not read it twice.
    meanRateRps: NaN,
    meanRate: (fromS = 0, toS = Infinity) => traceMeanRate(open, spec.file, spec.rate, fromS, toS),
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
