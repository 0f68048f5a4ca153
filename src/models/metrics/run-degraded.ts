/** Share of measured requests a fallback rule sent to a lighter model or a heuristic. */
import type { RunResult } from '../result.ts';
import { runFigure, type RunCollectorKind, type RunContext } from './run-collector.ts';
import { requestsCollector } from './run-requests.ts';
import { fallbackCollector } from './stage-fallback.ts';

/** The figure. */
export const DEGRADED = {
  degradedShare: runFigure('degradedShare', 'share degraded by a fallback', 'pct', false, 'degraded'),
} as const;

/** Sums the stages' diversions at the end. */
export class DegradedCollector {
  result(run: RunContext): Pick<RunResult, 'degradedShare'> {
    let degraded = 0;
    for (const n of run.nodes) degraded += n.stage.metrics.of(fallbackCollector)?.degraded ?? 0;
    const arrived = run.of(requestsCollector)!.arrivedCount;
    return { degradedShare: arrived > 0 ? degraded / arrived : 0 };
  }
}

/** The registry entry. */
export const degradedCollector: RunCollectorKind<DegradedCollector> = {
  keys: ['degradedShare'],
  figures: Object.values(DEGRADED),
  create: () => new DegradedCollector(),
};
