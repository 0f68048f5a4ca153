/**
 * The data a report shows, whatever produced it (one run, replications, a comparison,
 * a sweep or a plan). Builders in src/report fill it; renderers (HTML, Markdown) draw it.
 * Plain JSON: it can be embedded in an HTML file as is.
 */

/** A figure with an optional 95 % confidence interval (from replications). */
export interface Figure {
  value: number;
  /** Half-width of the 95 % confidence interval; absent for a single run. */
  ci95?: number;
}

/** One variant (architecture, configuration, or sweep/plan point) and its figures. */
export interface ReportVariant {
  name: string;
  /** Latency CDF: pairs [latency ms, cumulative share], increasing. */
  cdf: Array<[number, number]>;
  latencyMs: { mean: Figure; p50: Figure; p90: Figure; p99: Figure; p999: Figure };
  throughputRps: Figure;
  dropRate: Figure;
  /** Cost per hour and per million requests (USD); NaN when no hardware is named. */
  costPerHourUsd: Figure;
  costPerMillionUsd: Figure;
  /** SLO attainment and verdict, when the scenario has an SLO. */
  slo?: { target: string; attainment: Figure; met: boolean };
  /** The waiting-time objective's share within the wait, P(wait > 0) and verdict, when the scenario has one. */
  waitSlo?: { target: string; attainment: Figure; waitedShare: Figure; met: boolean };
  quality?: Figure;
  /**
   * TTFT and TPOT CDFs of a scenario with an LLM stage (first replication), [ms, share]
   * pairs, and its per-window KV utilization, batch (sequences per step per replica) and TTFT p99 (the first LLM stage's, at most
   * MAX_SERIES_POINTS points: merged windows average the utilization and keep the largest
   * p99); absent otherwise.
   */
  llm?: {
    ttftCdf: Array<[number, number]>;
    tpotCdf: Array<[number, number]>;
    series?: { startS: number[]; kvUtilization: number[]; batchSeqs: number[]; ttftP99Ms: Array<number | null> };
  };
  /**
   * Each request class's latency CDF ([ms, share] pairs, the first replication's
   * `classes.<name>.cdfMs`), in the scenario's order; absent without classes.
   */
  classes?: Array<{ name: string; cdf: Array<[number, number]> }>;
  /** Where latency goes: mean time in each stage (ms), in path order. */
  stages: Array<{ name: string; timeMs: number; waitMs: number; utilization: number; replicas: number }>;
  /**
   * Per-window series of one run (the first replication), at most MAX_SERIES_POINTS
   * (src/report/build.ts) points: a longer run's windows are merged k at a time
   * (throughput their mean; p99, replicas and queue length their largest).
   */
  series: {
    startS: number[];
    p99Ms: Array<number | null>;
    throughputRps: number[];
    /** Per stage: replicas and queue length per window. */
    stages: Array<{ name: string; replicas: number[]; queueLength: number[] }>;
  };
}

/** A closed-form estimate beside the simulated figure, with the assumptions in words. */
export interface TheoryRow {
  stage: string;
  /** e.g. "M/M/c (Erlang C)" or "M/G/1 (Pollaczek–Khinchine)". */
  model: string;
  quantity: string;
  analytic: number;
  simulated: Figure;
  /** Plain words: why the two agree, or which assumption breaks and by how much they differ. */
  note: string;
}

/** A point of a sweep or a plan, for the cost-versus-p99 chart. */
export interface TradeoffPoint {
  label: string;
  costPerHourUsd: number;
  p99Ms: number;
  meetsSlo: boolean | null;
  /** The configuration a plan chose (labelled and marked in the chart). */
  chosen?: boolean;
}

/** One point of a sweep curve: the varied value and what the charts draw against it. */
export interface SweepPointFigures {
  x: number | string;
  p99Ms: Figure;
  /**
   * Closed-form p99 of the end-to-end latency, where the path has one (e.g. one M/M/c
   * stage: P(T > t) from Erlang C and the exponential service); drawn beside the simulated p99.
   */
  theoryP99Ms?: number;
  /**
   * Closed-form mean wait beside the simulated one, per stage with a finite analytic
   * figure (e.g. Erlang C for an M/M/c stage); empty when no model applies.
   */
  theory: Array<{ stage: string; model: string; analyticWaitMs: number; simulatedWaitMs: Figure }>;
}

/** A sweep: the varied path and one curve per variant (one curve, named '', without variants). */
export interface SweepSection {
  path: string;
  curves: Array<{ name: string; points: SweepPointFigures[]; kneeX?: number | string; maxXMeetingSlo?: number | string }>;
}

/** A whole report. */
export interface Report {
  title: string;
  /** One paragraph saying what was run and what it shows. */
  summary: string;
  variants: ReportVariant[];
  /** Cost against p99 for every variant or plan/sweep point; the Pareto frontier is derived from it. */
  tradeoff: TradeoffPoint[];
  theory: TheoryRow[];
  /** The summary table, already formatted. */
  table: { columns: string[]; rows: string[][] };
  /** Warnings and notes shown under the table. */
  notes: string[];
  /** Present when the report is a sweep: p99 against the varied value, with the knee. */
  sweep?: SweepSection;
}
