/**
 * The waiting-time service level at a stage, with a waiting-time objective
 * (`slo: "wait < 20s for 80%"`): the share of measured requests that started service
 * here within the objective's wait, P(wait ≤ t) (for an M/M/c pool, 1 − C·e^{−(cμ−λ)t},
 * Erlang C). Counted exactly per request rather than read from the wait sketch, whose
 * bucket boundaries would blur a threshold by up to its 1 % relative accuracy.
 *
 * It also adds each wait to the request's `waitedS`, the end-to-end wait the run's
 * objective (`run-wait-slo.ts`) reads at completion: the sum is kept only for runs that
 * ask for it, so without a waiting-time objective no stage hears anything more.
 */
import type { Request } from '../request.ts';
import type { StageResult } from '../result.ts';
import { stageFigure, type StageCollectorKind } from './stage-collector.ts';

/** The figure. */
export const WAIT_WITHIN = {
  waitWithinShare: stageFigure('waitWithinShare', 'share of requests that waited at most the objective', 'pct', true, 'P(wait≤t)'),
} as const;

/** Measured requests that started service here, and those that waited at most `waitS`. */
export class WaitWithinCollector {
  started = 0;
  within = 0;
  constructor(private readonly waitS: number) {}
  waited(req: Request, waitS: number): void {
    this.started++;
    if (waitS <= this.waitS) this.within++;
    req.waitedS += waitS;
  }
  result(): Pick<StageResult, 'waitWithinShare'> {
    return { waitWithinShare: this.started > 0 ? this.within / this.started : null };
  }
}

/** The registry entry: only runs with a waiting-time objective have the figure. */
export const waitWithinCollector: StageCollectorKind<WaitWithinCollector> = {
  keys: ['waitWithinShare'],
  placement: 'end',
  figures: Object.values(WAIT_WITHIN),
  appliesTo: (_d, system) => system.waitSlo !== null,
  create: (_d, system) => new WaitWithinCollector(system.waitSlo!.waitS),
};
