/**
 * The autoscaler's decision log of a stage whose autoscale gives `behavior`
 * (Kubernetes' scaling policies): every sync's time, metric, recommendation, what
 * limited it and the replica count asked for, warm-up included (each entry has its
 * time). Read from the autoscaler's log at the end of the run, so it hears no event.
 * Stages without `behavior` have no log: their output is as it was before issue 17.
 */
import type { ScalingLogEntry, StageResult } from '../result.ts';
import type { StageCollectorKind, StationReading } from './stage-collector.ts';

/** Reads the autoscaler's decisions. */
export class ScalingLogCollector {
  result(_stage: unknown, _span: unknown, at: StationReading): Pick<StageResult, 'scalingLog'> {
    const log: ScalingLogEntry[] = (at.scaling ?? []).map((d) => ({
      timeS: d.timeS,
      metric: d.metric,
      recommendation: d.recommendation,
      limitedBy: d.limitedBy,
      replicas: d.desired,
    }));
    return { scalingLog: log };
  }
}

/** The registry entry: autoscaled stages with `behavior`. A log, not a figure: no descriptor. */
export const scalingLogCollector: StageCollectorKind<ScalingLogCollector> = {
  keys: ['scalingLog'],
  placement: 'end',
  figures: [],
  appliesTo: (d) => d.autoscale !== null && d.autoscale.behavior !== null,
  create: () => new ScalingLogCollector(),
};
