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

/** Times in stage (seconds), in a quantile sketch. */
export class TimeInStageCollector {
  time = new QuantileSketch();
  nodeLeft(_req: Request, inStageS: number): void {
    this.time.record(inStageS);
  }
  /**
   * PERF: in a path of one stage, entered on arrival and without retries, the time in
   * the stage is the end-to-end latency, value for value: the run's sketch is read
   * instead of recording a copy (one sketch insert per request saved on the M/M/4).
   */
  adoptEndToEnd(latency: QuantileSketch): boolean {
    this.time = latency;
    return true;
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
