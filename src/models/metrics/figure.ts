/**
 * What a renderer needs to know of one figure of a run's result: where it is, what to
 * call it, its unit, how to write it and which way is better. Every table (the CLI's
 * run, compare, sweep and plan output), the HTML/Markdown reports and the playground
 * render figures from these descriptors through one formatter, so a figure is named
 * and formatted in one place: the collector that measures it.
 */

/** How a figure's value is written (`src/report/figures.ts` writes it). */
export type FigureFormat =
  /** milliseconds: 12.3 ms */
  | 'ms'
  /** seconds: 1.2 s */
  | 's'
  /** a count: 1,234 */
  | 'count'
  /** per second: 1,234/s */
  | 'rate'
  /** a share written as a percentage: 99.95% (never rounded up to 100.0%) */
  | 'pct'
  /** dollars: $1.23 */
  | 'usd'
  /** a plain figure with about three significant digits */
  | 'num'
  /** a model's quality score, to four decimals: 0.8123 (differences between models sit in the third) */
  | 'score';

/** One figure of a run's result. */
export interface FigureDescriptor {
  /**
   * Where the value is: a dotted path into `RunResult` for `scope: 'run'`
   * (`latencyMs.p99`, `cost.perMillionRequests`), into one stage's `StageResult` for
   * `scope: 'stage'` (`queueWaitMs.p99`). These paths are part of the JSON contract.
   */
  path: string;
  scope: 'run' | 'stage';
  /** What a sentence calls it: "p99 latency". */
  label: string;
  /** A table's column header, when shorter than the label: "p99". */
  short?: string;
  format: FigureFormat;
  /** Which way is better, for comparisons and charts; null when neither is. */
  higherIsBetter: boolean | null;
}
