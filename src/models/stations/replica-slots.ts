import type { Timer } from '../../engine/index.ts';
import type { Request } from '../request.ts';
import type { QueueGroup } from './queue-group.ts';

/** One batch (or lone request) in service on a known replica, with its completion timer (null while its replica does not answer). */
export class RunningWork {
  timer: Timer | null = null;
  /** The group whose slots it holds (a pool's shared queue, or a fan-out's shard); set by the station. */
  group: QueueGroup | null = null;
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

/** The tree's value of a replica that cannot take a batch (down, or every slot busy). */
const BUSY = 0x7fffffff;

/**
 * Which replica of a shared-queue pool runs each batch, kept only when the stage has
 * faults (a failed replica's in-flight work must be found). A batch starts on the up
 * replica running the fewest batches (lowest index on ties), as a least-loaded
 * dispatcher behind the shared queue would place it, so a failure takes a fair share
 * of the work in service rather than the busiest replica's.
 *
 * A replica has three fault states besides its work: in rotation or not (`up`: the
 * dispatcher may give it work), answering or not (`dead`: a crashed replica the health
 * check has not yet ejected still takes work and answers nothing, a black hole), and its
 * service-time factor (`slowdown`: 1 healthy, k while a gray failure slows it).
 *
 * Invariant: `running[i].size` ≤ concurrency; 0 while replica `i` is out of rotation and
 * dead; a dead replica's work has no timer.
 */
export class ReplicaSlots {
  /** 1 while the replica is in rotation (the dispatcher may give it work). */
  readonly up: Uint8Array;
  /** 1 while the replica is down but still in rotation or holding work: it answers nothing. */
  readonly dead: Uint8Array;
  /** Factor on the service time of every batch the replica starts (1 healthy, the gray slowdown while slow). */
  readonly slowdown: Float64Array;
  readonly running: Array<Set<RunningWork>>;
  /**
   * PERF: a min segment tree over the replicas of "batches running" (BUSY when down or
   * full), so `pick` and every update cost O(log replicas) instead of a scan; the scan
   * is kept as `pickByScan`, the reference the tests compare it with.
   */
  private readonly tree: Int32Array;
  private readonly leaves: number;

  constructor(
    replicas: number,
    readonly concurrency: number,
  ) {
    this.up = new Uint8Array(replicas).fill(1);
    this.dead = new Uint8Array(replicas);
    this.slowdown = new Float64Array(replicas).fill(1);
    this.running = Array.from({ length: replicas }, () => new Set<RunningWork>());
    let p = 1;
    while (p < replicas) p *= 2;
    this.leaves = p;
    this.tree = new Int32Array(2 * p).fill(BUSY);
    for (let i = 0; i < replicas; i++) this.tree[p + i] = 0;
    for (let k = p - 1; k >= 1; k--) this.tree[k] = Math.min(this.tree[2 * k]!, this.tree[2 * k + 1]!);
  }

  /**
   * The up replica with a free slot running the fewest batches, lowest index on ties.
   * The caller knows one has a free slot (the pool's shared group counts the free
   * slots of up replicas).
   */
  pick(except = -1): number {
    if (except >= 0) this.setLeaf(except, BUSY);
    const t = this.tree;
    const none = t[1]! >= BUSY;
    let k = 1;
    if (!none) while (k < this.leaves) k = t[2 * k]! <= t[2 * k + 1]! ? 2 * k : 2 * k + 1;
    if (except >= 0) this.update(except);
    if (none) throw new Error(except >= 0 ? `no up replica but ${except} has a free slot` : 'no up replica has a free slot');
    return k - this.leaves;
  }

  /**
   * Whether an up replica other than `except` has a free slot: a hedge must not run on
   * the replica serving its original (it would share that replica's state: its slowness,
   * its failure).
   */
  hasFreeExcept(except: number): boolean {
    this.setLeaf(except, BUSY);
    const free = this.tree[1]! < BUSY;
    this.update(except);
    return free;
  }

  /** `pick` by a plain scan (the reference version). */
  pickByScan(except = -1): number {
    let best = -1;
    let least = this.concurrency;
    for (let i = 0; i < this.up.length; i++) {
      if (i !== except && this.up[i] === 1 && this.running[i]!.size < least) {
        least = this.running[i]!.size;
        best = i;
      }
    }
    if (best < 0) throw new Error('no up replica has a free slot');
    return best;
  }

  /**
   * The work serving `r` alone, if any: a scan of every replica's running work, for the
   * rare callers (a hedge's pick, a tied loser stopped), so nothing is kept per request.
   */
  find(r: Request): RunningWork | undefined {
    for (const set of this.running) for (const w of set) if (w.one === r) return w;
    return undefined;
  }

  /** `w` started on its replica. */
  add(w: RunningWork): void {
    this.running[w.replica]!.add(w);
    this.update(w.replica);
  }

  /** `w` finished on its replica. */
  remove(w: RunningWork): void {
    this.running[w.replica]!.delete(w);
    this.update(w.replica);
  }

  /** Takes replica `i` out of rotation and returns the work it was running, timers cancelled, oldest start first. */
  fail(i: number): RunningWork[] {
    this.up[i] = 0;
    return this.takeWork(i);
  }

  /** Puts replica `i` back in rotation, answering (it runs nothing). */
  repair(i: number): void {
    this.up[i] = 1;
    this.dead[i] = 0;
    this.update(i);
  }

  /** Replica `i` stops answering (it crashed) but stays in rotation: its work is held, timers cancelled, until `revive` or `fail`. */
  stop(i: number): void {
    this.dead[i] = 1;
    for (const w of this.running[i]!) {
      w.timer?.cancel();
      w.timer = null;
    }
  }

  /** Replica `i` answers again (restarted): returns the work it held (lost with the crash), oldest start first. */
  revive(i: number): RunningWork[] {
    this.dead[i] = 0;
    return this.takeWork(i);
  }

  /** Takes answering replica `i` out of rotation: its running work finishes there (it drains); returns how much runs. */
  eject(i: number): number {
    this.up[i] = 0;
    this.update(i);
    return this.running[i]!.size;
  }

  /** Puts answering replica `i` back in rotation (work it still drains stays). */
  readmit(i: number): void {
    this.up[i] = 1;
    this.update(i);
  }

  private takeWork(i: number): RunningWork[] {
    const work = [...this.running[i]!];
    this.running[i]!.clear();
    for (const w of work) w.timer?.cancel();
    this.update(i);
    return work;
  }

  private update(i: number): void {
    const n = this.running[i]!.size;
    this.setLeaf(i, this.up[i] === 1 && n < this.concurrency ? n : BUSY);
  }

  private setLeaf(i: number, v: number): void {
    const t = this.tree;
    let k = this.leaves + i;
    t[k] = v;
    for (k >>= 1; k >= 1; k >>= 1) t[k] = Math.min(t[2 * k]!, t[2 * k + 1]!);
  }
}
