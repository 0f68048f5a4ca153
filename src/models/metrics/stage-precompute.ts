/**
 * A main-path stage's prediction store: coverage (the share of measured lookups that
 * found a prediction) and the batch job, with its bill over the measured span: the
 * worker-hours of every job overlapping it at the job hardware's price.
 */
import type { PrecomputeDescription, SystemDescription } from '../../config/description.ts';
import { precomputeDurationS } from '../precompute-job.ts';
import type { Request } from '../request.ts';
import type { StageResult } from '../result.ts';
import type { MeasuredSpan } from './run-collector.ts';
import { stageFigure, type StageCollectorKind, type StageCollectorReader } from './stage-collector.ts';

/** The precompute figures. */
export const PRECOMPUTE = {
  coverage: stageFigure('coverage', 'prediction coverage', 'pct', true, 'coverage'),
  jobCost: stageFigure('precomputeJob.costUsd', 'batch job bill', 'usd', false, 'job cost'),
} as const;

/** Measured lookups that found a prediction, and those that missed. */
export class PrecomputeCollector {
  covered = 0;
  missed = 0;
  private readonly durationS: number;
  constructor(private readonly pre: PrecomputeDescription, system: SystemDescription) {
    this.durationS = precomputeDurationS(pre, system.users?.count ?? 0);
  }
  predictionLookup(_req: Request, found: boolean): void {
    if (found) this.covered++;
    else this.missed++;
  }
  result(_stage: StageCollectorReader, { startS, endS }: MeasuredSpan): Pick<StageResult, 'coverage' | 'precomputeJob'> {
    const { pre, durationS } = this;
    const job: NonNullable<StageResult['precomputeJob']> = { durationS, everyS: pre.everyS, workers: pre.workers };
    const hw = pre.hardware;
    if (hw !== null) {
      // Worker-hours of every job overlapping the measured span [startS, endS].
      let hours = 0;
      for (let k = Math.floor((startS - durationS) / pre.everyS); k * pre.everyS <= endS; k++) {
        if (k < 0 && !(pre.warmStart && k === -1)) continue;
        const a = Math.max(startS, k * pre.everyS);
        const b = Math.min(endS, k * pre.everyS + durationS);
        if (b > a) hours += ((b - a) / 3600) * pre.workers;
      }
      job.costUsd = hours * hw.usdPerHour;
    }
    const looked = this.covered + this.missed;
    return { coverage: looked > 0 ? this.covered / looked : null, precomputeJob: job };
  }
}

/** The registry entry: main-path stages with a prediction store. */
export const precomputeCollector: StageCollectorKind<PrecomputeCollector> = {
  keys: ['coverage', 'precomputeJob'],
  placement: 'node',
  figures: Object.values(PRECOMPUTE),
  appliesTo: (d) => d.precompute !== null && !d.standby,
  create: (d, system) => new PrecomputeCollector(d.precompute!, system),
};
