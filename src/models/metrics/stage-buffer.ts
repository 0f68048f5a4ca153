/** A buffer stage's figures: the acknowledgement latency producers saw, and messages lost to bounded retention. */
import { QuantileSketch } from '../../engine/index.ts';
import type { Request } from '../request.ts';
import type { StageResult } from '../result.ts';
import { msSummary, stageFigure, type DropReason, type StageCollectorKind } from './stage-collector.ts';

/** The buffer figures. */
export const BUFFER = {
  ackMean: stageFigure('ackMs.mean', 'mean acknowledgement latency', 'ms', false, 'ack mean ms'),
  ackP99: stageFigure('ackMs.p99', 'p99 acknowledgement latency', 'ms', false, 'ack p99'),
  lostOldest: stageFigure('lostOldest', 'messages lost to retention', 'count', false, 'lost'),
} as const;

/** Ack latency of measured requests (seconds), and those pushed out of the full buffer by newer ones (part of `dropped`). */
export class BufferCollector {
  readonly ack = new QuantileSketch();
  lostOldest = 0;
  acked(_req: Request, ackS: number): void {
    this.ack.record(ackS);
  }
  dropped(_req: Request, reason: DropReason): void {
    if (reason === 'oldest') this.lostOldest++;
  }
  result(): Pick<StageResult, 'ackMs' | 'lostOldest'> {
    return { ackMs: msSummary(this.ack), lostOldest: this.lostOldest };
  }
}

/** The registry entry: stages with `buffer:` (an acknowledgement). */
export const bufferCollector: StageCollectorKind<BufferCollector> = {
  keys: ['ackMs', 'lostOldest'],
  placement: 'kind',
  figures: Object.values(BUFFER),
  appliesTo: (d) => d.ack !== null,
  create: () => new BufferCollector(),
};
