import { RequestHeap } from './request-heap.ts';
import type { DisciplineFactory } from './waiting-line.ts';

/**
 * Non-preemptive priority: the waiting request of the smallest priority number starts
 * next, FIFO within a priority; a request in service always finishes. Cobham (1954)
 * gives the per-class mean waits of M/G/1 under it (`src/experiments/priority-theory.ts`).
 */
export const makePriority: DisciplineFactory = (ctx) => {
  const pr = ctx.classes.priorities;
  return new RequestHeap((r) => pr[r.classIndex]!);
};
