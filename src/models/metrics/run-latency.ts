/** End-to-end latency of measured completed requests, arrival to the end of the last stage, in a quantile sketch. */
import { QuantileSketch } from '../../engine/index.ts';
import type { LatencySummaryMs, RunResult } from '../result.ts';
import { runFigure, type RunCollectorKind } from './run-collector.ts';

const MS = 1000;

/** The latency figures. */
export const LATENCY = {
  mean: runFigure('latencyMs.mean', 'mean latency', 'ms', false, 'mean'),
  p50: runFigure('latencyMs.p50', 'p50 latency', 'ms', false, 'p50'),
  p90: runFigure('latencyMs.p90', 'p90 latency', 'ms', false, 'p90'),
  p95: runFigure('latencyMs.p95', 'p95 latency', 'ms', false, 'p95'),
  p99: runFigure('latencyMs.p99', 'p99 latency', 'ms', false, 'p99'),
  p999: runFigure('latencyMs.p999', 'p99.9 latency', 'ms', false, 'p99.9'),
  max: runFigure('latencyMs.max', 'max latency', 'ms', false, 'max'),
} as const;

/** Latencies (seconds); the sketch is also merged exactly across runs (`DetailedRun`). */
export class LatencyCollector {
  readonly latency = new QuantileSketch();
  completed(latencyS: number): void {
    this.latency.record(latencyS);
  }
  result(): Pick<RunResult, 'latencyMs'> {
    return { latencyMs: latencySummaryMs(this.latency) };
  }
}

/** A sketch of latencies (seconds) as the result's summary in milliseconds (the run's, and each class's). */
export function latencySummaryMs(l: QuantileSketch): LatencySummaryMs {
  return {
    mean: l.mean * MS,
    p50: l.quantile(0.5) * MS,
    p90: l.quantile(0.9) * MS,
    p95: l.quantile(0.95) * MS,
    p99: l.quantile(0.99) * MS,
    p999: l.quantile(0.999) * MS,
    max: l.max * MS,
  };
}

/** The registry entry. */
export const latencyCollector: RunCollectorKind<LatencyCollector> = {
  keys: ['latencyMs'],
  figures: Object.values(LATENCY),
  create: () => new LatencyCollector(),
};
