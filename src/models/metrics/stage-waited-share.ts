/**
 * P(wait > 0): the share of measured requests that started service at a stage after
 * waiting at all (found every slot busy, or waited for a batch to fill). For an M/M/c
 * pool it is Erlang C's C(c, λ/μ), the figure call-centre staffing sizes by.
 *
 * PERF: it hears no event. The wait collector's sketch already holds every measured
 * wait and counts the zero ones exactly (its zero bucket takes values below
 * about 2e-308, far under any difference of two simulated times), so the share is read
 * from it at the end and costs the hot path nothing.
 */
import type { StageResult } from '../result.ts';
import { stageFigure, type StageCollectorKind, type StageCollectorReader } from './stage-collector.ts';
import { waitCollector } from './stage-wait.ts';

/** The figure. */
export const WAITED_SHARE = {
  waitedShare: stageFigure('waitedShare', 'share of requests that waited', 'pct', false, 'P(wait>0)'),
} as const;

/** (measured requests that started service − those that waited 0) / those that started; null when none did. */
export class WaitedShareCollector {
  result(stage: StageCollectorReader): Pick<StageResult, 'waitedShare'> {
    const waits = stage.of(waitCollector)?.wait.toData();
    if (waits === undefined || waits.count === 0) return { waitedShare: null };
    return { waitedShare: (waits.count - waits.zeroCount) / waits.count };
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
