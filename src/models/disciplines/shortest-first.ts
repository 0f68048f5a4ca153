import { RequestHeap } from './request-heap.ts';
import type { DisciplineFactory } from './waiting-line.ts';

/**
 * Shortest first (non-preemptive SJF) by a request attribute (output tokens, or a noisy
 * prediction of them): the smallest value starts next, FIFO among equals. A request
 * without the attribute (its class does not carry it) counts as 0.
 */
export const makeShortestFirst: DisciplineFactory = (ctx) => {
  const at = ctx.attributeIndex;
  return new RequestHeap((r) => {
    const v = r.attrs?.[at];
    return v === undefined || v !== v ? 0 : v;
  });
};
