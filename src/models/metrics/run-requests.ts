/** Counts of measured requests: arrived = completed + dropped + in flight; time-outs inside dropped. */
import type { RunResult } from '../result.ts';
import { runFigure, type RunCollectorKind, type RunDropReason } from './run-collector.ts';

/** The count figures. */
export const REQUESTS = {
  arrived: runFigure('requests.arrived', 'requests measured', 'count', null, 'arrived'),
  completed: runFigure('requests.completed', 'requests completed', 'count', true, 'completed'),
  dropped: runFigure('requests.dropped', 'requests dropped', 'count', false, 'dropped'),
  timedOut: runFigure('requests.timedOut', 'requests timed out', 'count', false, 'timed out'),
  inFlight: runFigure('requests.inFlight', 'requests in flight at the end', 'count', null, 'in flight'),
} as const;

/** Measured arrivals, completions, drops and time-outs. */
export class RequestsCollector {
  arrivedCount = 0;
  completedCount = 0;
  droppedCount = 0;
  timedOutCount = 0;
  arrived(): void {
    this.arrivedCount++;
  }
  completed(): void {
    this.completedCount++;
  }
  dropped(reason: RunDropReason): void {
    this.droppedCount++;
    if (reason === 'timedOut') this.timedOutCount++;
  }
  result(): Pick<RunResult, 'requests'> {
    const { arrivedCount: arrived, completedCount: completed, droppedCount: dropped } = this;
    return { requests: { arrived, completed, dropped, timedOut: this.timedOutCount, inFlight: arrived - completed - dropped } };
  }
}

/** The registry entry. */
export const requestsCollector: RunCollectorKind<RequestsCollector> = {
  keys: ['requests'],
  figures: Object.values(REQUESTS),
  create: () => new RequestsCollector(),
};
