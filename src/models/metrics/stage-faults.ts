/**
 * A stage's faults over the measured span: availability (time-average share of its
 * replicas up), measured requests lost with a failed replica, time with any replica
 * down, and the failures and outages that started. Hears `dropped` (reason `failure`);
 * the rest it reads from the stage's fault injector at the end.
 */
import type { Request } from '../request.ts';
import type { FaultsResult, StageResult } from '../result.ts';
import type { MeasuredSpan } from './run-collector.ts';
import { stageFigure, type DropReason, type StageCollectorKind, type StationReading } from './stage-collector.ts';

/** The figures. */
export const FAULTS = {
  availability: stageFigure('faults.availability', 'availability (share of replicas up)', 'pct', true, 'avail'),
  lostToFailures: stageFigure('faults.lostToFailures', 'requests lost to failures', 'count', false, 'lost'),
  timeInIncidentS: stageFigure('faults.timeInIncidentS', 'time with a replica down', 's', false, 'incident'),
  failures: stageFigure('faults.failures', 'replica failures', 'count', false),
  outages: stageFigure('faults.outages', 'outages', 'count', false),
} as const;

/** Counts measured requests dropped as lost to a failure; reads the injector at the end. */
export class FaultsCollector {
  lost = 0;
  dropped(_req: Request, reason: DropReason): void {
    if (reason === 'failure') this.lost++;
  }
  result(_stage: unknown, span: MeasuredSpan, at: StationReading): Pick<StageResult, 'faults'> {
    const f = at.faults;
    if (f === undefined) return {};
    const { endS, spanS } = span;
    // Every replica of every shard (a fan-out's theory counts replicas per shard).
    const replicas = at.station.theory.replicas * at.station.theory.shards;
    const faults: FaultsResult = {
      availability: spanS > 0 ? 1 - f.down.integral(endS) / (spanS * replicas) : f.down.current === 0 ? 1 : 1 - f.down.current / replicas,
      lostToFailures: this.lost,
      timeInIncidentS: f.incident.integral(endS),
      failures: f.failures,
      outages: f.outagesStarted,
    };
    return { faults };
  }
}

/** The registry entry. */
export const faultsCollector: StageCollectorKind<FaultsCollector> = {
  keys: ['faults'],
  placement: 'end',
  figures: Object.values(FAULTS),
  appliesTo: (d) => d.faults !== null,
  create: () => new FaultsCollector(),
};
