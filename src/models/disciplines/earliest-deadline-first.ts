import { RequestHeap } from './request-heap.ts';
import type { DisciplineFactory } from './waiting-line.ts';

/**
 * Earliest deadline first (non-preemptive): the waiting request whose deadline comes
 * first starts next. Its deadline is the earlier of its class's (from arrival at the
 * system) and its stage or system time-out; requests with neither go after every
 * request with one, FIFO.
 */
export const makeEarliestDeadlineFirst: DisciplineFactory = (ctx) => {
  const d = ctx.classes.deadlinesS;
  return new RequestHeap((r) => Math.min(r.arrivalS + d[r.classIndex]!, r.deadlineS));
};
