import type { SeriesResult } from './time-series.ts';
import type { CostResult } from './cost.ts';
import type { LlmResult } from './metrics/llm-result.ts';
import type { ClassResult } from './metrics/run-classes.ts';

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

/** One class's partition of a stage's cache over the measured span. */
export interface CachePartitionResult {
  /** Entries it holds (the shares split into whole entries summing to the capacity). */
  capacity: number;
  /** Measured lookups of its class. */
  lookups: number;
  /** Share of those that hit; null with none. */
  hitRatio: number | null;
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
  /** Measured requests dropped here: queue full, or deadline passed while waiting. */
  dropped: number;
  /** Measured requests whose deadline passed while they waited here (part of `dropped`). */
  timedOut: number;
  /** Measured requests finished here. */
  completed: number;
  /** Sizes of the batches started after warm-up (exact: 1 everywhere without batching). */
  batchSize: { mean: number; p50: number; p99: number };
  /** Catalog model served here, if any. */
  model: string | null;
  /** Hardware the replicas run on, if named. */
  hardware: string | null;
  /** Hourly bill of the stage at its configured capacity (USD); 0 when no hardware is named. */
  costPerHourUsd: number;
  /** Quality figure of the model served here (null when none). */
  quality: { metric: string; value: number } | null;
  /** Time-average replicas ready to serve over the measured span (= replicas unless autoscaled). */
  meanReplicas: number;
  /** Most replicas ready at once. */
  maxReplicas: number;
  /** Autoscaled stages: syncs that changed the replica count. */
  scalingDecisions?: number;
  /** Buffer stages: acknowledgement latency producers saw. */
  ackMs?: { mean: number; p50: number; p99: number };
  /** Buffer stages: messages lost to bounded retention (part of `dropped`). */
  lostOldest?: number;
  /** Time requests spent at this stage, from reaching it to leaving it (wait and service, a cache hit, or a diverted path). */
  timeInStageMs?: { mean: number; p50: number; p99: number };
  /** Share of lookups that hit the stage's cache (measured requests); null with no lookup. */
  hitRatio?: number | null;
  /** Partitioned caches (`cache.partitions`, by class): each class's partition, by class name, in class order. */
  cachePartitions?: Record<string, CachePartitionResult>;
  /** Precompute stages: share of lookups that found a prediction. */
  coverage?: number | null;
  /** Precompute stages: the batch job, and its bill over the measured span. */
  precomputeJob?: { durationS: number; everyS: number; workers: number; costUsd?: number };
  /** Fan-out stages: backup sub-requests sent by hedging per sub-request. */
  hedgeExtraLoad?: number;
  /** Share of measured requests that started service here after waiting at all, P(wait > 0) (Erlang C for M/M/c); null when none started. */
  waitedShare?: number | null;
  /** With a waiting-time objective: share of measured requests that started service here having waited at most its wait, P(wait ≤ t); null when none started. */
  waitWithinShare?: number | null;
  /** Autoscaled stages with `behavior` (Kubernetes' scaling policies): every sync's decision, warm-up included. */
  scalingLog?: ScalingLogEntry[];
  /** Stages with faults: availability, requests lost to failures, time in incident (measured span). */
  faults?: FaultsResult;
}

/** One autoscaler sync (issue 17). */
export interface ScalingLogEntry {
  /** Simulated time of the sync (s). */
  timeS: number;
  /** The metric averaged over the last sync period (busy share, or requests per ready replica). */
  metric: number;
  /** ceil(ready × metric / target), or the current count within tolerance. */
  recommendation: number;
  /** What held the count short of the recommendation (a policy such as "scaleUp Pods 4 per 15s", a stabilization window, "max", "min"); null when nothing did. */
  limitedBy: string | null;
  /** The replica count asked for (ready and starting). */
  replicas: number;
}

/** A stage's faults over the measured span (src/models/metrics/stage-faults.ts). */
export interface FaultsResult {
  /** Time-average share of the stage's replicas up (MTBF / (MTBF + MTTR) for independent exponential failures and repairs). */
  availability: number;
  /** Measured requests dropped because the replica serving them failed (part of `dropped`). */
  lostToFailures: number;
  /** Seconds in incident: with at least one replica down (or, with gray failures or a health check, slow or out of rotation). */
  timeInIncidentS: number;
  /** Replica failures, and scheduled outages, that started in the measured span. */
  failures: number;
  outages: number;
  /** Time-average share of the stage's replicas slow (gray failures: E[duration] / (E[between] + E[duration]) for each). */
  slowShare: number;
  /** Slow spells (gray failures) that started in the measured span: of a replica, or with `gray.scope: shard` of a shard's replicas together. */
  slowSpells: number;
  /** Measured requests (sub-requests of a fan-out) that started service on a slow replica. */
  servedSlow: number;
  /** Time-average share of the stage's replicas out of the load balancer's rotation (ejected by the health check; 0 without one). */
  ejectedShare: number;
  /** Ejections by the health check in the measured span. */
  ejections: number;
  /** Mean time from a replica's impairment the probe sees (down, or slow with ejectSlow) to its ejection (s); null with no ejection. */
  meanTimeToEjectS: number | null;
  /** Measured requests whose time in the system (arrival to completion or drop) overlapped an incident window of this stage (from a replica down, slow or out of rotation to the recovery of the queue), and the rest. */
  requestsDuringIncidents: number;
  requestsOutsideIncidents: number;
  /** Share of those requests that completed within the run's latency objective (drops count as misses); null without an objective or without such requests. */
  sloDuringIncidents: number | null;
  sloOutsideIncidents: number | null;
  /** Incidents that ended in the measured span and recovered: the stage's queue back to no more than it held when the incident began. */
  recoveries: number;
  /** Mean and longest time from an incident's end to its recovery (s); null with none. */
  meanTimeToRecoverS: number | null;
  maxTimeToRecoverS: number | null;
}

/** Client retries (issue 4). */
export interface RetriesResult {
  /** Attempts sent for measured requests (first attempts included). */
  attempts: number;
  /** Retries sent. */
  retries: number;
  /** Retries the budget refused (the request then failed). */
  budgetDenied: number;
  /** Answers that came back after the client had given up on that attempt (wasted work). */
  wastedAnswers: number;
  /** Attempts per request, over requests that ended. */
  attemptsPerRequest: { mean: number; p99: number; max: number };
  /** attempts / arrived: the load multiplier clients put on the system. */
  attemptRatePerRequest: number;
}

/** Attainment of the scenario's latency objective. */
export interface SloResult {
  /** The objective, e.g. "p99 < 100ms". */
  target: string;
  /** Share of measured requests that completed within the latency target (drops count as misses). */
  attainment: number;
  /** Completions within the latency target per simulated second (counted like throughputRps). */
  goodputRps: number;
  /** attainment ≥ the objective's share. */
  met: boolean;
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
  /**
   * Counts of measured requests: arrived = completed + dropped + inFlight. `dropped`
   * includes `timedOut` (deadline passed while waiting); the rest found a queue full.
   */
  requests: { arrived: number; completed: number; dropped: number; timedOut: number; inFlight: number };
  /** dropped / arrived. */
  dropRate: number;
  /**
   * Completions per simulated second of the measured span: every request that
   * finished in it, including warm-up requests still queued when warm-up ended.
   */
  throughputRps: number;
  /** End-to-end latency of completed requests, arrival to end of last stage. */
  latencyMs: LatencySummaryMs;
  stages: Record<string, StageResult>;
  /** Bill of the configured capacity (issue 3). */
  cost: CostResult;
  /** The scenario's latency objective and whether it was met; null when it has none. */
  slo: SloResult | null;
  /**
   * Mean quality figure of what served each completed request (the last catalog
   * model on its path), request-weighted; null when no stage names a model.
   */
  quality: number | null;
  /** Metric of `quality` (e.g. "AUC"); null with it. */
  qualityMetric: string | null;
  /** Age of the precomputed prediction each request was served (seconds); null when none was. */
  freshness: { meanS: number; p50S: number; p99S: number } | null;
  /** Share of precompute lookups that found a prediction (the rest took the miss path); null without precompute. */
  coverage: number | null;
  /** Share of measured requests a fallback rule sent to a lighter model or a heuristic. */
  degradedShare: number;
  /** Backup sub-requests sent by hedging per sub-request, over all fan-out stages; null without fan-out. */
  hedgeExtraLoad: number | null;
  /** Retries of clients that time out; null when the scenario has no `retry`. */
  retries: RetriesResult | null;
  /** Per-window series over the whole run (issue 4). */
  timeSeries: SeriesResult;
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
  /** Token-level figures of the LLM stages (issue 14, `metrics/llm-result.ts`); absent when the scenario has none. */
  llm?: LlmResult;
  /** The waiting-time objective (`slo: "wait < 20s for 80%"`) end to end (`metrics/run-wait-slo.ts`); absent when the scenario has none. */
  waitSlo?: WaitSloResult;
  /** Figures per request class (issue 16, `metrics/run-classes.ts`); absent when the scenario declares no `classes`. */
  classes?: Record<string, ClassResult>;
}

/** Attainment of a waiting-time objective, end to end (queue waits summed over a request's stages). */
export interface WaitSloResult {
  /** The objective, e.g. "wait < 20s for 80%". */
  target: string;
  /** Share of measured requests that completed having waited at most the objective's wait (drops count as misses). */
  attainment: number;
  /** Share of measured completed requests that waited at all, P(wait > 0); null when none completed. */
  waitedShare: number | null;
  /** attainment ≥ the objective's share. */
  met: boolean;
}

/**
 * Where each key of `RunResult` sits in the JSON output (goldens compare bytes, so this
 * order is part of the contract). `ServingSystem.result` writes the run's own keys and
 * the run collectors' fragments (`metrics/run-collectors.ts`) in this order; an optional
 * key a run does not have is left out. A new key goes here too (the type below checks).
 */
export const RUN_RESULT_KEYS = [
  'scenario',
  'seed',
  'requests',
  'dropRate',
  'throughputRps',
  'latencyMs',
  'stages',
  'cost',
  'freshness',
  'coverage',
  'degradedShare',
  'hedgeExtraLoad',
  'slo',
  'quality',
  'qualityMetric',
  'retries',
  'measuredS',
  'warmupEndS',
  'endS',
  'events',
  'warnings',
  'timeSeries',
  'llm',
  'waitSlo',
  'classes',
] as const satisfies ReadonlyArray<keyof RunResult>;

type AssertNever<T extends never> = T;
/** Compile-time check: a key of `RunResult` missing from `RUN_RESULT_KEYS` fails here. */
export type RunResultKeysComplete = AssertNever<Exclude<keyof RunResult, (typeof RUN_RESULT_KEYS)[number]>>;
