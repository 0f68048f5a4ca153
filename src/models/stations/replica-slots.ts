import type { Timer } from '../../engine/index.ts';
import type { Request } from '../request.ts';

/** One batch (or lone request) in service on a known replica, with its completion timer. */
export class RunningWork {
  timer: Timer | null = null;
  constructor(
    readonly replica: number,
    /** The request when the batch is of one (the pool's fast path), else null. */
    readonly one: Request | null,
    /** The batch's requests, oldest first, when it holds more than one; else null. */
    readonly many: Request[] | null,
  ) {}

  /** Requests in service in this batch. */
  get size(): number {
    return this.one !== null ? 1 : this.many!.length;
  }
}

/**
 * Which replica of a shared-queue pool runs each batch, kept only when the stage has
 * faults (a failed replica's in-flight work must be found). A batch starts on the up
 * replica running the fewest batches (lowest index on ties), as a least-loaded
 * dispatcher behind the shared queue would place it, so a failure takes a fair share
 * of the work in service rather than the busiest replica's.
 *
 * Invariant: `running[i].size` ≤ concurrency, and 0 while replica `i` is down.
 */
export class ReplicaSlots {
  readonly up: Uint8Array;
  readonly running: Array<Set<RunningWork>>;

  constructor(
    replicas: number,
    readonly concurrency: number,
  ) {
    this.up = new Uint8Array(replicas).fill(1);
    this.running = Array.from({ length: replicas }, () => new Set<RunningWork>());
  }

  /**
   * The up replica with a free slot running the fewest batches. The caller knows one has
   * a free slot (the pool's shared group counts the free slots of up replicas).
   * PERF: O(replicas) per batch start, paid only by stages with faults.
   */
  pick(): number {
    let best = -1;
    let least = this.concurrency;
    for (let i = 0; i < this.up.length; i++) {
      if (this.up[i] === 1 && this.running[i]!.size < least) {
        least = this.running[i]!.size;
        best = i;
      }
    }
    if (best < 0) throw new Error('no up replica has a free slot');
    return best;
  }

  /** Marks replica `i` down and returns the work it was running, timers cancelled, oldest start first. */
  fail(i: number): RunningWork[] {
    this.up[i] = 0;
    const work = [...this.running[i]!];
    this.running[i]!.clear();
    for (const w of work) w.timer!.cancel();
    return work;
  }

  /** Marks replica `i` up again (it runs nothing). */
  repair(i: number): void {
    this.up[i] = 1;
  }
}
