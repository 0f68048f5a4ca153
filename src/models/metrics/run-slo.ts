/**
 * Attainment of the scenario's latency objective: the share of measured requests that
 * completed within the target (drops count as misses), and goodput, the completions
 * within the target per second of the measured span (counted like throughput).
 */
import type { SystemDescription } from '../../config/description.ts';
import type { RunResult } from '../result.ts';
import { runFigure, type RunCollectorKind, type RunContext } from './run-collector.ts';
import { requestsCollector } from './run-requests.ts';

/** The SLO figures. */
export const SLO = {
  attainment: runFigure('slo.attainment', 'share within the SLO target', 'pct', true, 'SLO attainment'),
  goodputRps: runFigure('slo.goodputRps', 'goodput', 'rate', true, 'goodput'),
} as const;

/** Measured completions and departures within the target (every completion when there is no objective). */
export class SloCollector {
  withinSlo = 0;
  departuresWithinSlo = 0;
  private readonly latencyS: number;
  constructor(private readonly slo: SystemDescription['slo']) {
    this.latencyS = slo?.latencyS ?? Infinity;
  }
  departed(latencyS: number): void {
    if (latencyS < this.latencyS) this.departuresWithinSlo++;
  }
  completed(latencyS: number): void {
    if (latencyS < this.latencyS) this.withinSlo++;
  }
  result(run: RunContext): Pick<RunResult, 'slo'> {
    const slo = this.slo;
    if (slo === null) return { slo: null };
    const arrived = run.of(requestsCollector)!.arrivedCount;
    return {
      slo: {
        target: slo.target,
        attainment: arrived > 0 ? this.withinSlo / arrived : NaN,
        goodputRps: run.spanS > 0 ? this.departuresWithinSlo / run.spanS : 0,
        met: arrived > 0 && this.withinSlo / arrived >= slo.fraction,
      },
    };
  }
}

/** Without an objective the collector hears nothing: `slo` is null. */
class NoSlo {
  result(): Pick<RunResult, 'slo'> {
    return { slo: null };
  }
}

/** The registry entry (a run without an objective gets a collector that hears nothing). */
export const sloCollector: RunCollectorKind<SloCollector | NoSlo> = {
  keys: ['slo'],
  figures: Object.values(SLO),
  create: (s) => (s.slo === null ? new NoSlo() : new SloCollector(s.slo)),
};
