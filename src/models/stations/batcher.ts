import type { QueueGroup } from './queue-group.ts';

/**
 * The dynamic batching rule a pool holds (Triton's dynamic batcher with
 * `max_queue_delay`, TorchServe's `maxBatchDelay`): a free execution slot takes the
 * first `maxBatch` waiting requests at once if that many wait; with fewer, it waits
 * until `maxWaitS` has passed since the oldest waiting request arrived at the station,
 * then takes all of them, unless enough arrive before to fill a batch. `maxWaitS` 0
 * takes whatever waits at once; `maxBatch` 1 is the plain M/G/c pool.
 */
export class DynamicBatcher {
  constructor(
    /** Largest batch a slot takes at once (1 = no batching). */
    readonly maxBatch: number,
    /** Longest a slot waits, from the oldest waiting request's arrival, for a batch to fill. */
    readonly maxWaitS: number,
  ) {}

  /**
   * A request arriving at `g` starts at once: a slot is free and a batch is ready (it
   * completes one, or no waiting is allowed, or the oldest waiting request's wait is up).
   */
  startsOnArrival(g: QueueGroup, nowS: number): boolean {
    return g.freeSlots > 0 && (g.live + 1 >= this.maxBatch || this.maxWaitS === 0 || (g.live > 0 && this.headDueS(g) <= nowS));
  }

  /**
   * When a free slot of `g` holding `avail` requests (the queue's, plus one just
   * arrived when the queue is empty) should start its batch: a time after `nowS` to
   * wait until, or `nowS` or earlier to start now.
   */
  startAtS(g: QueueGroup, avail: number, nowS: number): number {
    if (avail >= this.maxBatch || this.maxWaitS === 0) return nowS;
    return g.live > 0 ? this.headDueS(g) : nowS + this.maxWaitS;
  }

  /** Size of the batch a slot starts from `avail` waiting requests. */
  sizeOf(avail: number): number {
    return avail < this.maxBatch ? avail : this.maxBatch;
  }

  /** When the oldest live request of `g` has waited `maxWaitS` (drops expired heads first). */
  private headDueS(g: QueueGroup): number {
    return g.head().enqueuedS + this.maxWaitS;
  }
}
