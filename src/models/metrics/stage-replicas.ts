/**
 * A stage's replicas over the measured span (mean and largest count ready to serve) and,
 * when it is autoscaled, the scaling decisions that changed its target. From the
 * station's ready-replicas counter and the autoscaler's log, so it hears no event.
 */
import type { StageResult } from '../result.ts';
import type { MeasuredSpan } from './run-collector.ts';
import { stageFigure, type StageCollectorKind, type StationReading } from './stage-collector.ts';

/** The figures. */
export const REPLICAS = {
  meanReplicas: stageFigure('meanReplicas', 'mean replicas ready', 'num', null, 'avg replicas'),
  maxReplicas: stageFigure('maxReplicas', 'most replicas ready', 'count', null, 'max replicas'),
  scalingDecisions: stageFigure('scalingDecisions', 'scaling decisions that changed the target', 'count', null, 'scalings'),
} as const;

/** Reads the station's ready replicas and its autoscaler's decisions at the end of the run. */
export class ReplicasCollector {
  result(_stage: unknown, span: MeasuredSpan, at: StationReading): Pick<StageResult, 'meanReplicas' | 'maxReplicas' | 'scalingDecisions'> {
    const { endS, spanS } = span;
    const ready = at.station.counters.readyReplicas;
    return {
      meanReplicas: spanS > 0 ? ready.integral(endS) / spanS : at.station.readyCount,
      maxReplicas: ready.max,
      ...(at.scaling !== undefined ? { scalingDecisions: at.scaling.filter((d) => d.desired !== d.ready + d.provisioning).length } : {}),
    };
  }
}

/** The registry entry. */
export const replicasCollector: StageCollectorKind<ReplicasCollector> = {
  keys: ['meanReplicas', 'maxReplicas', 'scalingDecisions'],
  placement: 'replicas',
  figures: Object.values(REPLICAS),
  appliesTo: () => true,
  create: () => new ReplicasCollector(),
};
