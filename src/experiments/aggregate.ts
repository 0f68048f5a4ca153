import { meanCi95, QuantileSketch } from '../engine/index.ts';
import type { DetailedRun, RunResult } from '../models/index.ts';

/**
 * A figure over replications: their mean and the 95 % confidence half-width (Student t).
 * NaN when there is none (one replication has no interval); JSON prints NaN as null.
 */
export interface Estimate {
  mean: number;
  ci95: number;
}

/** A tree shaped like RunResult whose numeric leaves are estimates. */
export type EstimateTree = { [key: string]: Estimate | EstimateTree };

/** Keys that are not figures to average (series, identities, lists). */
const SKIP = new Set(['timeSeries', 'seed', 'scenario', 'warnings', 'unpricedStages', 'events'] as const);
type SkippedKey = typeof SKIP extends Set<infer K> ? K : never;

/** The keys of T that `collect` keeps: numbers and objects (not lists, strings, booleans or SKIP keys). */
type Kept<T, K extends keyof T> = K extends SkippedKey ? never : NonNullable<T[K]> extends number ? K : NonNullable<T[K]> extends readonly unknown[] ? never : NonNullable<T[K]> extends object ? K : never;
type EstimateOf<V> = NonNullable<V> extends number ? Estimate : Estimates<NonNullable<V>>;

/**
 * The estimates of a result type T (a RunResult): its tree with every kept number an
 * Estimate. A figure that may be null or absent (`slo`, `quality`) is optional: it is
 * there when the first replication has it.
 */
export type Estimates<T> = { [K in keyof T as null extends T[K] ? never : undefined extends T[K] ? never : Kept<T, K>]: EstimateOf<T[K]> } & {
  [K in keyof T as null extends T[K] ? Kept<T, K> : undefined extends T[K] ? Kept<T, K> : never]?: EstimateOf<T[K]>;
};

function collect(values: readonly unknown[]): Estimate | EstimateTree | undefined {
  const first = values[0];
  if (typeof first === 'number') {
    const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (xs.length === 0) return { mean: NaN, ci95: NaN };
    const { mean, ci95 } = meanCi95(xs);
    return { mean, ci95 };
  }
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    const tree: EstimateTree = {};
    for (const key of Object.keys(first)) {
      if (SKIP.has(key as SkippedKey)) continue;
      const sub = collect(values.map((v) => (v as Record<string, unknown> | null)?.[key]));
      if (sub !== undefined) tree[key] = sub;
    }
    return tree;
  }
  return undefined;
}

/** A run result's figures over replications: what every experiment's JSON prints as `figures`. */
export type RunEstimates = Estimates<RunResult>;

/**
 * Replications summarised: every numeric figure of RunResult (percentiles included) as
 * the mean over replications with a 95 % confidence interval, plus the latency
 * percentiles of all replications' requests pooled, from their sketches merged exactly.
 */
export interface Aggregate {
  replications: number;
  seeds: Array<number | string>;
  figures: EstimateTree;
  pooled: { latencyMs: { mean: number; p50: number; p90: number; p99: number; p999: number; max: number }; count: number };
  /** The first replication's full result (its time series feed charts). */
  first: RunResult;
  /** The merged latency sketch (seconds). */
  latency: QuantileSketch;
}

/** Aggregates the replications of one configuration (in replication order). */
export function aggregate(runs: readonly DetailedRun[]): Aggregate {
  const merged = new QuantileSketch();
  for (const r of runs) merged.addData(r.latency);
  const ms = (q: number) => merged.quantile(q) * 1000;
  return {
    replications: runs.length,
    seeds: runs.map((r) => r.result.seed),
    figures: collect(runs.map((r) => r.result)) as EstimateTree,
    pooled: {
      latencyMs: { mean: merged.mean * 1000, p50: ms(0.5), p90: ms(0.9), p99: ms(0.99), p999: ms(0.999), max: merged.max * 1000 },
      count: merged.count,
    },
    first: runs[0]!.result,
    latency: merged,
  };
}

/** The estimate at a dotted path (`latencyMs.p99`, `stages.model.utilization`), or undefined. */
export function estimateAt(tree: EstimateTree, path: string): Estimate | undefined {
  let cur: Estimate | EstimateTree | undefined = tree;
  for (const k of path.split('.')) {
    if (cur === undefined || isEstimate(cur)) return undefined;
    cur = (cur as EstimateTree)[k];
  }
  return cur !== undefined && isEstimate(cur) ? cur : undefined;
}

/** An estimate leaf, not a subtree (a subtree may have a child named "mean", e.g. latencyMs.mean). */
function isEstimate(x: Estimate | EstimateTree): x is Estimate {
  return typeof (x as Estimate).mean === 'number' && typeof (x as Estimate).ci95 === 'number';
}

/** The number at a dotted path of a run result, or NaN. */
export function valueAt(result: RunResult, path: string): number {
  let cur: unknown = result;
  for (const k of path.split('.')) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return typeof cur === 'number' ? cur : typeof cur === 'boolean' ? (cur ? 1 : 0) : NaN;
}
