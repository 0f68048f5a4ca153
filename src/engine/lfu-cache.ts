import { SlotCache, widen } from './slot-cache.ts';

/**
 * Least frequently used, in-cache counts: each held key counts its uses (the store
 * and every hit); when full, the key with the fewest uses goes, the least recently
 * used of those on a tie. Counts are forgotten on eviction, so memory stays bounded
 * by `capacity` ("perfect" LFU would count every key ever seen). Under the
 * independent reference model the counts of held keys grow with their popularity and
 * the cache settles on the most popular keys: its hit ratio tends to the static
 * top-C one (one slot churns among newcomers).
 *
 * The key map and the time-to-live are `SlotCache`'s; this file is the eviction rule:
 * a binary min-heap on (uses, last use) over slots, with each slot's heap position so
 * that a hit or an expiry is O(log C). A second store of a held key makes it fresher,
 * not more used.
 */
export class LfuCache extends SlotCache {
  private uses: Float64Array;
  /** Order of last use, from `clock`: the tie-break. */
  private lastUse: Float64Array;
  /** Slot → its index in `heap`. */
  private pos: Int32Array;
  /** The heap of slots, 0..n−1. */
  private heap: Int32Array;
  private n = 0;
  private clock = 0;

  constructor(capacity: number, ttlS = Infinity, ttlResetOnHit = false) {
    super(capacity, ttlS, ttlResetOnHit);
    const cap = SlotCache.initialSlots(capacity);
    this.uses = new Float64Array(cap);
    this.lastUse = new Float64Array(cap);
    this.pos = new Int32Array(cap);
    this.heap = new Int32Array(cap);
  }

  /** The fewest uses, least recently used on a tie: the heap's root. */
  protected override victim(): number {
    return this.heap[0]!;
  }

  protected override added(slot: number): void {
    this.uses[slot] = 1;
    this.lastUse[slot] = ++this.clock;
    const i = this.n++;
    this.heap[i] = slot;
    this.pos[slot] = i;
    this.siftUp(i);
  }

  protected override hit(slot: number): void {
    this.uses[slot]!++;
    this.lastUse[slot] = ++this.clock;
    this.siftDown(this.pos[slot]!);
  }

  protected override removed(slot: number): void {
    const i = this.pos[slot]!;
    const last = --this.n;
    if (i !== last) {
      this.swap(i, last);
      // The moved entry may go either way (one of these is a no-op).
      this.siftUp(i);
      this.siftDown(i);
    }
  }

  protected override grown(slots: number): void {
    this.uses = widen(this.uses, slots);
    this.lastUse = widen(this.lastUse, slots);
    this.pos = widen(this.pos, slots);
    this.heap = widen(this.heap, slots);
  }

  /** Slot at heap index `i` goes before the one at `j`: fewer uses, then used longer ago. */
  private less(i: number, j: number): boolean {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    const ua = this.uses[a]!;
    const ub = this.uses[b]!;
    return ua < ub || (ua === ub && this.lastUse[a]! < this.lastUse[b]!);
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    this.heap[i] = b;
    this.heap[j] = a;
    this.pos[b] = i;
    this.pos[a] = j;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.n;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const c = r < n && this.less(r, l) ? r : l;
      if (!this.less(c, i)) return;
      this.swap(i, c);
      i = c;
    }
  }
}
