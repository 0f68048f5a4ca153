import type { Rng } from './random.ts';
import { SlotCache, widen } from './slot-cache.ts';

/**
 * Random eviction: when full, a uniformly drawn held key makes room (expired or not).
 * The key map and the time-to-live are `SlotCache`'s; this file is the eviction rule.
 * Held slots sit densely in `dense[0..size−1]`, so a draw is one index; removal moves
 * the last one into the hole. Hit ratio under the independent reference model:
 * Fricker, Robert & Roberts 2012 (h = λT/(1+λT), Σh = C), the same as FIFO's
 * (Gelenbe 1973).
 */
export class RandomCache extends SlotCache {
  /** Held slots, densely: the draw's index space. */
  private dense: Int32Array;
  /** Slot → its index in `dense`. */
  private pos: Int32Array;
  private n = 0;

  constructor(
    capacity: number,
    /** The eviction draws: a named stream of the run, never the global random generator. */
    private readonly rng: Rng,
    ttlS = Infinity,
    ttlResetOnHit = false,
  ) {
    super(capacity, ttlS, ttlResetOnHit);
    const cap = SlotCache.initialSlots(capacity);
    this.dense = new Int32Array(cap);
    this.pos = new Int32Array(cap);
  }

  protected override victim(): number {
    return this.dense[Math.floor(this.rng() * this.n)]!;
  }

  protected override added(slot: number): void {
    this.dense[this.n] = slot;
    this.pos[slot] = this.n++;
  }

  protected override hit(_slot: number): void {
    // A hit changes nothing: every held key is equally likely to go.
  }

  protected override removed(slot: number): void {
    const i = this.pos[slot]!;
    const last = --this.n;
    if (i !== last) {
      const moved = this.dense[last]!;
      this.dense[i] = moved;
      this.pos[moved] = i;
    }
  }

  protected override grown(slots: number): void {
    this.dense = widen(this.dense, slots);
    this.pos = widen(this.pos, slots);
  }
}
