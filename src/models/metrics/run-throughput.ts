/**
 * Throughput: completions per simulated second of the measured span, counting every
 * request that finished in it (warm-up ones still queued when warm-up ended included),
 * so a queue full of warm-up requests at the start does not bias it down.
 */
import type { RunResult } from '../result.ts';
import { runFigure, type RunCollectorKind, type RunContext } from './run-collector.ts';

/** The figure. */
export const THROUGHPUT = {
  // Neither way is better: throughput follows the offered load.
  throughputRps: runFigure('throughputRps', 'throughput', 'rate', null, 'throughput'),
} as const;

/** Departures after warm-up, over the span. */
export class ThroughputCollector {
  departures = 0;
  departed(): void {
    this.departures++;
  }
  result(run: RunContext): Pick<RunResult, 'throughputRps'> {
    return { throughputRps: run.spanS > 0 ? this.departures / run.spanS : 0 };
  }
}

/** The registry entry. */
export const throughputCollector: RunCollectorKind<ThroughputCollector> = {
  keys: ['throughputRps'],
  figures: Object.values(THROUGHPUT),
  create: () => new ThroughputCollector(),
};
