import type { Request } from '../request.ts';

/**
 * The order a queue serves its waiting requests in: what a pool's queue group holds
 * (`QueueGroup.queue`). The FIFO ring (`RingQueue`) already has this shape, so FIFO
 * keeps today's queue; every other discipline is a file in this folder. A request
 * whose deadline passed may stay inside as a tombstone (`expired`): the group skips it
 * when it reaches the head.
 */
export interface WaitingLine {
  /** Requests held, tombstones included. */
  readonly length: number;
  /** Adds a waiting request. */
  push(req: Request): void;
  /**
   * Puts back a request taken out earlier (the replica serving it failed, issue 17): it
   * goes before every request its order ranks equal with it (FIFO: at the head).
   */
  unshift(req: Request): void;
  /** Removes and returns the request served next, or undefined when empty. */
  shift(): Request | undefined;
  /**
   * The request served next, without removing it (the batcher's wait counts from it).
   * Defined whenever `length` > 0 (it may be a tombstone): the pool reads it so.
   */
  peek(): Request | undefined;
}

/** What a discipline knows of the scenario's classes, by class index (`Request.classIndex`). */
export interface ClassTable {
  /** Class names, in the scenario's order (one "default" class without `classes`). */
  readonly names: readonly string[];
  /** Priority per class: a smaller number is served first (Cobham's class 1 first). */
  readonly priorities: readonly number[];
  /** Weight per class for weighted-fair sharing (1 unless given). */
  readonly weights: readonly number[];
  /** Deadline per class from arrival at the system (seconds); Infinity for none. */
  readonly deadlinesS: readonly number[];
}

/** A discipline's settings for one stage. */
export interface DisciplineContext {
  readonly classes: ClassTable;
  /** Index in `Request.attrs` of the attribute `shortest-first` orders by; −1 for none. */
  readonly attributeIndex: number;
}

/** Builds one queue of a discipline (a pool builds one per queue group). */
export type DisciplineFactory = (ctx: DisciplineContext) => WaitingLine;

/** The classes of a run without `classes`: one, named "default". */
export const SINGLE_CLASS: ClassTable = { names: ['default'], priorities: [0], weights: [1], deadlinesS: [Infinity] };
