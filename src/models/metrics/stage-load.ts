/**
 * A stage's size and load over the measured span, from the station's own time-weighted
 * counters (no event carries them): its replicas and servers, the share of server time
 * busy, and the mean and largest queue. They hear no event, so they cost the hot path nothing.
 */
import type { StageResult } from '../result.ts';
import { stageFigure, type StageCollectorKind, type StationReading } from './stage-collector.ts';
import type { MeasuredSpan } from './run-collector.ts';

/** The figures. */
export const LOAD = {
  replicas: stageFigure('replicas', 'replicas at the end', 'count', null),
  servers: stageFigure('servers', 'servers (replicas × concurrency)', 'count', null),
  utilization: stageFigure('utilization', 'utilization (busy share of server time)', 'pct', null, 'utilization'),
  meanQueueLength: stageFigure('meanQueueLength', 'mean queue length', 'num', false, 'avg queue'),
  maxQueueLength: stageFigure('maxQueueLength', 'largest queue', 'count', false, 'max queue'),
} as const;

/** Reads the station's counters at the end of the run. */
export class LoadCollector {
  result(_stage: unknown, span: MeasuredSpan, at: StationReading): Pick<StageResult, 'replicas' | 'servers' | 'utilization' | 'meanQueueLength' | 'maxQueueLength'> {
    const st = at.station;
    const c = st.counters;
    const { endS, spanS } = span;
    const slotTime = c.slots.integral(endS);
    return {
      replicas: st.replicas,
      servers: st.servers,
      utilization: slotTime > 0 ? c.busy.integral(endS) / slotTime : 0,
      meanQueueLength: spanS > 0 ? c.queueLength.integral(endS) / spanS : 0,
      maxQueueLength: c.queueLength.max,
    };
  }
}

/** The registry entry. */
export const loadCollector: StageCollectorKind<LoadCollector> = {
  keys: ['replicas', 'servers', 'utilization', 'meanQueueLength', 'maxQueueLength'],
  placement: 'station',
  figures: Object.values(LOAD),
  appliesTo: () => true,
  create: () => new LoadCollector(),
};
