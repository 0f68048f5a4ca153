/** Age of the precomputed prediction each measured completed request was served (seconds); null when none was. */
import type { SystemDescription } from '../../config/description.ts';
import { QuantileSketch } from '../../engine/index.ts';
import type { RunResult } from '../result.ts';
import { runFigure, type RunCollectorKind } from './run-collector.ts';

/** The freshness figures. */
export const FRESHNESS = {
  meanS: runFigure('freshness.meanS', 'mean age of predictions served', 's', false, 'age mean'),
  p50S: runFigure('freshness.p50S', 'p50 age of predictions served', 's', false, 'age p50'),
  p99S: runFigure('freshness.p99S', 'p99 age of predictions served', 's', false, 'age p99'),
} as const;

/** Ages of the predictions served, in a quantile sketch. */
export class FreshnessCollector {
  readonly age = new QuantileSketch();
  completed(_latencyS: number, _quality: number, freshnessS: number): void {
    if (freshnessS === freshnessS) this.age.record(freshnessS);
  }
  result(): Pick<RunResult, 'freshness'> {
    const a = this.age;
    return { freshness: a.count > 0 ? { meanS: a.mean, p50S: a.quantile(0.5), p99S: a.quantile(0.99) } : null };
  }
}

/** A run without a prediction store hears nothing. */
class NoFreshness {
  result(): Pick<RunResult, 'freshness'> {
    return { freshness: null };
  }
}

/** The registry entry. */
export const freshnessCollector: RunCollectorKind<FreshnessCollector | NoFreshness> = {
  keys: ['freshness'],
  figures: Object.values(FRESHNESS),
  create: (s: SystemDescription) => (s.stages.some((st) => st.precompute !== null) ? new FreshnessCollector() : new NoFreshness()),
};
