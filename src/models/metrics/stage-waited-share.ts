/**
 * P(wait > 0): the share of measured requests that started service at a stage after
 * waiting at all (found every slot busy, or waited for a batch to fill). For an M/M/c
 * pool it is Erlang C's C(c, λ/μ), the figure call-centre staffing sizes by.
 */
import type { Request } from '../request.ts';
import type { StageResult } from '../result.ts';
import { stageFigure, type StageCollectorKind } from './stage-collector.ts';

/** The figure. */
export const WAITED_SHARE = {
  waitedShare: stageFigure('waitedShare', 'share of requests that waited', 'pct', false, 'P(wait>0)'),
} as const;

/** Measured requests that started service, and those among them that waited longer than 0. */
export class WaitedShareCollector {
  started = 0;
  waitedAtAll = 0;
  waited(_req: Request, waitS: number): void {
    this.started++;
    if (waitS > 0) this.waitedAtAll++;
  }
  result(): Pick<StageResult, 'waitedShare'> {
    return { waitedShare: this.started > 0 ? this.waitedAtAll / this.started : null };
  }
}

/** The registry entry. */
export const waitedShareCollector: StageCollectorKind<WaitedShareCollector> = {
  keys: ['waitedShare'],
  placement: 'end',
  figures: Object.values(WAITED_SHARE),
  appliesTo: () => true,
  create: () => new WaitedShareCollector(),
};
