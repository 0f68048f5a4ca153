/** The share of measured requests dropped (time-outs included). It hears no event: it reads the request counts. */
import type { RunResult } from '../result.ts';
import { runFigure, type RunCollectorKind, type RunContext } from './run-collector.ts';
import { requestsCollector } from './run-requests.ts';

/** The figure. */
export const DROPS = {
  dropRate: runFigure('dropRate', 'drop rate', 'pct', false, 'drop rate'),
} as const;

/** dropped / arrived; 0 with no arrival. */
export class DropsCollector {
  result(run: RunContext): Pick<RunResult, 'dropRate'> {
    const r = run.of(requestsCollector)!;
    return { dropRate: r.arrivedCount > 0 ? r.droppedCount / r.arrivedCount : 0 };
  }
}

/** The registry entry. */
export const dropsCollector: RunCollectorKind<DropsCollector> = {
  keys: ['dropRate'],
  figures: Object.values(DROPS),
  create: () => new DropsCollector(),
};
