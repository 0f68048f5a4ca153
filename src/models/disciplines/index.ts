import { makeEarliestDeadlineFirst } from './earliest-deadline-first.ts';
import { makeFifo } from './fifo.ts';
import { makePriority } from './priority.ts';
import { makeShortestFirst } from './shortest-first.ts';
import type { DisciplineFactory } from './waiting-line.ts';
import { makeWeightedFair } from './weighted-fair.ts';

export { RequestHeap } from './request-heap.ts';
export { WeightedFairLine } from './weighted-fair.ts';
export { SINGLE_CLASS, type ClassTable, type DisciplineContext, type DisciplineFactory, type WaitingLine } from './waiting-line.ts';

/**
 * Queue disciplines of a pool stage (`discipline: { policy }`), by name: adding one is a
 * file in this folder and a line here. Each builds the `WaitingLine` of one queue group;
 * a batch takes from the line's head, so every discipline composes with batching.
 */
export const disciplineRegistry = {
  fifo: makeFifo,
  priority: makePriority,
  /** Its line is the priority one; the preemption is its station's (`stations/preemptive-pool.ts`). */
  'priority-preemptive': makePriority,
  'weighted-fair': makeWeightedFair,
  'shortest-first': makeShortestFirst,
  'earliest-deadline-first': makeEarliestDeadlineFirst,
} as const satisfies Record<string, DisciplineFactory>;

/** A discipline's name. */
export type DisciplineName = keyof typeof disciplineRegistry;

/** The names, for validation and messages. */
export const DISCIPLINE_NAMES = Object.keys(disciplineRegistry) as DisciplineName[];

/** Disciplines that read class priorities (others ignore them: a scenario giving priorities gets a warning). */
export const READS_PRIORITY: ReadonlySet<DisciplineName> = new Set(['priority', 'priority-preemptive']);
