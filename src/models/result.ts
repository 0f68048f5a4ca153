/** Latency summary in milliseconds. */
export interface LatencySummaryMs {
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

/** Per-stage figures of a run (measured requests, measured span). */
export interface StageResult {
  replicas: number;
  /** Servers: replicas × concurrency. */
  servers: number;
  /** Time-average share of servers busy. */
  utilization: number;
  /** Time-average number of requests waiting. */
  meanQueueLength: number;
  /** Largest number of requests waiting at once. */
  maxQueueLength: number;
  queueWaitMs: { mean: number; p50: number; p99: number };
  /** Measured requests dropped here (queue full). */
  dropped: number;
  /** Measured requests finished here. */
  completed: number;
}

/**
 * The machine contract of `servesim run --json` (issue 2). Later capabilities add
 * keys; none is ever removed or changes meaning. Every figure counts requests
 * that arrived after warm-up, over the span from the end of warm-up to the end of
 * the run.
 */
export interface RunResult {
  scenario: string;
  seed: number | string;
  requests: { arrived: number; completed: number; dropped: number; inFlight: number };
  /** dropped / arrived. */
  dropRate: number;
  /** Completions per simulated second of the measured span. */
  throughputRps: number;
  /** End-to-end latency of completed requests, arrival to end of last stage. */
  latencyMs: LatencySummaryMs;
  stages: Record<string, StageResult>;
  /** Length of the measured span (seconds of simulated time). */
  measuredS: number;
  /** Simulated time at which measurement started (end of warm-up). */
  warmupEndS: number;
  /** Simulated time of the last event. */
  endS: number;
  /** Events the engine fired. */
  events: number;
  /** Plain-words warnings about the result's meaning (e.g. an overloaded pool). */
  warnings: string[];
}
