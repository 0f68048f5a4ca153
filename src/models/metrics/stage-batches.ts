/** Sizes of the batches a stage started after warm-up (exact: 1 everywhere without batching). */
import type { StageResult } from '../result.ts';
import { countsSummary } from './counts-summary.ts';
import { stageFigure, type StageCollectorKind } from './stage-collector.ts';

/** The batch-size figures. */
export const BATCHES = {
  mean: stageFigure('batchSize.mean', 'mean batch size', 'num', null, 'batch mean'),
  p50: stageFigure('batchSize.p50', 'p50 batch size', 'num', null, 'batch p50'),
  p99: stageFigure('batchSize.p99', 'p99 batch size', 'num', null, 'batch p99'),
} as const;

/** Batches started, by size (index = batch size). */
export class BatchesCollector {
  readonly sizes: Float64Array;
  constructor(maxBatch: number) {
    this.sizes = new Float64Array(maxBatch + 1);
  }
  batchStarted(size: number): void {
    this.sizes[size]!++;
  }
  result(): Pick<StageResult, 'batchSize'> {
    const { mean, p50, p99 } = countsSummary(this.sizes);
    return { batchSize: { mean, p50, p99 } };
  }
}

/** The registry entry. */
export const batchesCollector: StageCollectorKind<BatchesCollector> = {
  keys: ['batchSize'],
  placement: 'queue',
  figures: Object.values(BATCHES),
  appliesTo: () => true,
  create: (d) => new BatchesCollector(d.maxBatch),
};
