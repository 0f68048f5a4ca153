/** Backup sub-requests sent by hedging per sub-request, over every fan-out stage; null without fan-out. */
import type { RunResult } from '../result.ts';
import { runFigure, type RunCollectorKind, type RunContext } from './run-collector.ts';
import { fanoutCollector } from './stage-fanout.ts';

/** The figure. */
export const HEDGING = {
  hedgeExtraLoad: runFigure('hedgeExtraLoad', 'extra load from hedging', 'pct', false, 'hedge load'),
} as const;

/** Sums the fan-out stages' collectors at the end. */
export class HedgingCollector {
  result(run: RunContext): Pick<RunResult, 'hedgeExtraLoad'> {
    let subRequests = 0;
    let hedges = 0;
    for (const st of run.stations) {
      const f = st.metrics.of(fanoutCollector);
      if (f === undefined) continue;
      subRequests += f.subRequests;
      hedges += f.hedges;
    }
    return { hedgeExtraLoad: subRequests > 0 ? hedges / subRequests : null };
  }
}

/** The registry entry. */
export const hedgingCollector: RunCollectorKind<HedgingCollector> = {
  keys: ['hedgeExtraLoad'],
  figures: Object.values(HEDGING),
  create: () => new HedgingCollector(),
};
