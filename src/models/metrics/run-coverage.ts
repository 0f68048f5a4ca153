/** Share of measured precompute lookups, over every prediction store, that found a prediction; null without one. */
import type { RunResult } from '../result.ts';
import { precomputeCollector } from './stage-precompute.ts';
import { runFigure, type RunCollectorKind, type RunContext } from './run-collector.ts';

/** The figure. */
export const COVERAGE = {
  coverage: runFigure('coverage', 'prediction coverage', 'pct', true, 'coverage'),
} as const;

/** Sums the stages' prediction lookups at the end. */
export class CoverageCollector {
  result(run: RunContext): Pick<RunResult, 'coverage'> {
    let covered = 0;
    let missed = 0;
    for (const n of run.nodes) {
      const p = n.stage.metrics.of(precomputeCollector);
      if (p === undefined) continue;
      covered += p.covered;
      missed += p.missed;
    }
    return { coverage: covered + missed > 0 ? covered / (covered + missed) : null };
  }
}

/** The registry entry. */
export const coverageCollector: RunCollectorKind<CoverageCollector> = {
  keys: ['coverage'],
  figures: Object.values(COVERAGE),
  create: () => new CoverageCollector(),
};
