/** Time measured requests spent at a main-path stage, from reaching its node to leaving it (wait and service, a cache hit, or a diverted path). */
import { QuantileSketch } from '../../engine/index.ts';
import type { Request } from '../request.ts';
import type { StageResult } from '../result.ts';
import { msSummary, stageFigure, type StageCollectorKind } from './stage-collector.ts';

/** The time-in-stage figures. */
export const TIME_IN_STAGE = {
  mean: stageFigure('timeInStageMs.mean', 'mean time in stage', 'ms', false, 'time in stage ms'),
  p50: stageFigure('timeInStageMs.p50', 'p50 time in stage', 'ms', false, 'time p50'),
  p99: stageFigure('timeInStageMs.p99', 'p99 time in stage', 'ms', false, 'time p99'),
} as const;

/** Times in stage (seconds), in a DDSketch. */
export class TimeInStageCollector {
  readonly time = new QuantileSketch();
  nodeLeft(_req: Request, inStageS: number): void {
    this.time.record(inStageS);
  }
  result(): Pick<StageResult, 'timeInStageMs'> {
    return { timeInStageMs: msSummary(this.time) };
  }
}

/** The registry entry: stages on the main path (a standby stage has no node). */
export const timeInStageCollector: StageCollectorKind<TimeInStageCollector> = {
  keys: ['timeInStageMs'],
  placement: 'node',
  figures: Object.values(TIME_IN_STAGE),
  appliesTo: (d) => !d.standby,
  create: () => new TimeInStageCollector(),
};
