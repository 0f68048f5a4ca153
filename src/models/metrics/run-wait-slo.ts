/**
 * The waiting-time objective end to end (`slo: "wait < 20s for 80%"`): of measured
 * requests, the share that completed having waited at most the objective's wait in
 * queues (summed over their stages; drops count as misses, as for the latency
 * objective), and among completed ones the share that waited at all, P(wait > 0).
 * A run without the objective has no `waitSlo` key (the contract only gains it).
 *
 * What "its waits" are: the queue waits the request itself had at each stage it started
 * service at (`stage-wait-within.ts` sums them). With retrying clients, the answered
 * attempt's; at a fan-out, the parent's own (its shards' waits belong to sub-requests and
 * are not carried over); a cache hit or a diverted path adds nothing.
 */
import type { WaitSlo } from '../../config/slo.ts';
import type { RunResult } from '../result.ts';
import { runFigure, type RunCollectorKind, type RunContext } from './run-collector.ts';
import { requestsCollector } from './run-requests.ts';

/** The figures. */
export const WAIT_SLO = {
  attainment: runFigure('waitSlo.attainment', 'share within the waiting-time objective', 'pct', true, 'wait SLO attainment'),
  waitedShare: runFigure('waitSlo.waitedShare', 'share of completed requests that waited at all', 'pct', false, 'P(wait>0)'),
} as const;

/** Measured completions, those within the wait, and those that waited at all. */
export class WaitSloCollector {
  completedCount = 0;
  within = 0;
  waitedAny = 0;
  constructor(private readonly slo: WaitSlo) {}
  completed(_latencyS: number, _quality: number, _freshnessS: number, waitedS: number): void {
    this.completedCount++;
    if (waitedS <= this.slo.waitS) this.within++;
    if (waitedS > 0) this.waitedAny++;
  }
  result(run: RunContext): Pick<RunResult, 'waitSlo'> {
    const arrived = run.of(requestsCollector)!.arrivedCount;
    const attainment = arrived > 0 ? this.within / arrived : NaN;
    return {
      waitSlo: {
        target: this.slo.target,
        attainment,
        waitedShare: this.completedCount > 0 ? this.waitedAny / this.completedCount : null,
        met: arrived > 0 && attainment >= this.slo.fraction,
      },
    };
  }
}

/** Without the objective the collector hears nothing and adds no key. */
class NoWaitSlo {
  result(): Partial<RunResult> {
    return {};
  }
}

/** The registry entry. */
export const waitSloCollector: RunCollectorKind<WaitSloCollector | NoWaitSlo> = {
  keys: ['waitSlo'],
  figures: Object.values(WAIT_SLO),
  create: (s) => (s.waitSlo === null ? new NoWaitSlo() : new WaitSloCollector(s.waitSlo)),
};
