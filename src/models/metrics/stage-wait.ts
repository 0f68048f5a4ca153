/** Queue wait of measured requests that started service at a stage. */
import { QuantileSketch } from '../../engine/index.ts';
import type { Request } from '../request.ts';
import type { StageResult } from '../result.ts';
import { msSummary, stageFigure, type StageCollectorKind } from './stage-collector.ts';

/** The wait figures. */
export const WAIT = {
  mean: stageFigure('queueWaitMs.mean', 'mean wait', 'ms', false, 'wait mean ms'),
  p50: stageFigure('queueWaitMs.p50', 'p50 wait', 'ms', false, 'wait p50'),
  p99: stageFigure('queueWaitMs.p99', 'p99 wait', 'ms', false, 'wait p99'),
} as const;

/** Time measured requests waited before service (seconds), in a quantile sketch. */
export class WaitCollector {
  readonly wait = new QuantileSketch();
  waited(_req: Request, waitS: number): void {
    this.wait.record(waitS);
  }
  result(): Pick<StageResult, 'queueWaitMs'> {
    return { queueWaitMs: msSummary(this.wait) };
  }
}

/** The registry entry. */
export const waitCollector: StageCollectorKind<WaitCollector> = {
  keys: ['queueWaitMs'],
  placement: 'queue',
  figures: Object.values(WAIT),
  appliesTo: () => true,
  create: () => new WaitCollector(),
};
