/** What became of the measured requests that reached a stage: dropped (time-outs among them) or completed. */
import type { Request } from '../request.ts';
import type { StageResult } from '../result.ts';
import { stageFigure, type DropReason, type StageCollectorKind } from './stage-collector.ts';

/** The outcome figures. */
export const OUTCOMES = {
  dropped: stageFigure('dropped', 'dropped', 'count', false),
  timedOut: stageFigure('timedOut', 'timed out', 'count', false),
  completed: stageFigure('completed', 'completed', 'count', true),
} as const;

/** Counts of measured requests dropped here (queue full, deadline, lost from a buffer), timed out (part of dropped), and finished. */
export class OutcomesCollector {
  droppedCount = 0;
  timedOutCount = 0;
  completedCount = 0;
  finished(_req: Request): void {
    this.completedCount++;
  }
  dropped(_req: Request, reason: DropReason): void {
    this.droppedCount++;
    if (reason === 'deadline') this.timedOutCount++;
  }
  result(): Pick<StageResult, 'dropped' | 'timedOut' | 'completed'> {
    return { dropped: this.droppedCount, timedOut: this.timedOutCount, completed: this.completedCount };
  }
}

/** The registry entry. */
export const outcomesCollector: StageCollectorKind<OutcomesCollector> = {
  keys: ['dropped', 'timedOut', 'completed'],
  placement: 'queue',
  figures: Object.values(OUTCOMES),
  appliesTo: () => true,
  create: () => new OutcomesCollector(),
};
