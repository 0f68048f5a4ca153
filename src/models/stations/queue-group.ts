import { RingQueue } from '../../engine/index.ts';
import type { WaitingLine } from '../disciplines/waiting-line.ts';
import type { Request } from '../request.ts';
import type { PoolStation } from './pool.ts';
import type { ReplicaSlots } from './replica-slots.ts';

/**
 * Requests waiting for, and being served by, a set of execution slots: the whole pool
 * under a shared queue, one replica under a load balancer, or one shard of a fan-out.
 * The queue discipline is FIFO (the ring) unless the stage names another
 * (`src/models/disciplines/`); a request whose deadline passed stays in the queue as a
 * tombstone (`expired`) until it reaches the head.
 */
export class QueueGroup {
  readonly queue: WaitingLine;
  /** Waiting requests not expired (the queue may hold expired ones until they reach its head). */
  live = 0;
  /** Requests in service. */
  inService = 0;
  /** Due time of the pending batch-wait timer; Infinity when none. */
  timerAtS = Infinity;
  /** A per-replica group being removed: it takes no new requests and leaves once empty. */
  draining = false;
  /** Which of the group's replicas runs each batch, kept only with faults (`PoolStation.enableFaults`); null otherwise. */
  slots: ReplicaSlots | null = null;

  constructor(
    readonly station: PoolStation,
    /** Free execution slots; negative while removed capacity still finishes its work. */
    public freeSlots: number,
    /** The discipline's queue; the FIFO ring when none is given. */
    queue?: WaitingLine,
  ) {
    this.queue = queue ?? new RingQueue<Request>(16);
  }

  /** Removes and returns the oldest live request (the caller knows `live > 0`). */
  takeOldest(): Request {
    let r = this.queue.shift()!;
    while (r.expired) r = this.queue.shift()!;
    this.live--;
    return r;
  }

  /** The oldest live request, dropping expired ones at the head (the caller knows `live > 0`). */
  head(): Request {
    const q = this.queue;
    while (q.peek()!.expired) q.shift();
    return q.peek()!;
  }
}
