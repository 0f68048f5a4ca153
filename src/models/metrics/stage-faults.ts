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
  timeInIncidentS: stageFigure('faults.timeInIncidentS', 'time in incident (a replica down, slow or out of rotation)', 's', false, 'incident'),
  failures: stageFigure('faults.failures', 'replica failures', 'count', false),
  outages: stageFigure('faults.outages', 'outages', 'count', false),
  slowShare: stageFigure('faults.slowShare', 'share of replicas slow (gray failures)', 'pct', false, 'slow'),
  slowSpells: stageFigure('faults.slowSpells', 'slow spells', 'count', false),
  servedSlow: stageFigure('faults.servedSlow', 'requests served by a slow replica', 'count', false),
  ejectedShare: stageFigure('faults.ejectedShare', 'share of replicas out of rotation', 'pct', false, 'ejected'),
  ejections: stageFigure('faults.ejections', 'health-check ejections', 'count', false),
  meanTimeToEjectS: stageFigure('faults.meanTimeToEjectS', 'mean time to eject', 's', false),
  requestsDuringIncidents: stageFigure('faults.requestsDuringIncidents', 'requests during incidents', 'count', null),
  requestsOutsideIncidents: stageFigure('faults.requestsOutsideIncidents', 'requests outside incidents', 'count', null),
  sloDuringIncidents: stageFigure('faults.sloDuringIncidents', 'SLO attainment during incidents', 'pct', true, 'SLO during'),
  sloOutsideIncidents: stageFigure('faults.sloOutsideIncidents', 'SLO attainment outside incidents', 'pct', true, 'SLO outside'),
  recoveries: stageFigure('faults.recoveries', 'recoveries', 'count', null),
  meanTimeToRecoverS: stageFigure('faults.meanTimeToRecoverS', 'mean time to recover', 's', false, 'recover'),
  maxTimeToRecoverS: stageFigure('faults.maxTimeToRecoverS', 'longest time to recover', 's', false),
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
    const replicas = f.replicas;
    /** Time-average share of the replicas a counter holds (its current share over an empty span). */
    const share = (tw: typeof f.down) => (spanS > 0 ? tw.integral(endS) / (spanS * replicas) : tw.current / replicas);
    const hasSlo = f.sloTargetS !== Infinity;
    const faults: FaultsResult = {
      availability: 1 - share(f.down),
      lostToFailures: this.lost,
      timeInIncidentS: f.incident.integral(endS),
      failures: f.failures,
      outages: f.outagesStarted,
      slowShare: share(f.slow),
      slowSpells: f.slowSpells,
      servedSlow: f.servedSlow,
      ejectedShare: share(f.ejected),
      ejections: f.ejections,
      meanTimeToEjectS: f.ejections > 0 ? f.ejectDelaySumS / f.ejections : null,
      requestsDuringIncidents: f.requestsDuring,
      requestsOutsideIncidents: f.requestsOutside,
      sloDuringIncidents: hasSlo && f.requestsDuring > 0 ? f.withinDuring / f.requestsDuring : null,
      sloOutsideIncidents: hasSlo && f.requestsOutside > 0 ? f.withinOutside / f.requestsOutside : null,
      recoveries: f.recoveries,
      meanTimeToRecoverS: f.recoveries > 0 ? f.recoverySumS / f.recoveries : null,
      maxTimeToRecoverS: f.recoveries > 0 ? f.recoveryMaxS : null,
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
