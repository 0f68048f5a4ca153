import type { KeyCache } from './key-cache.ts';

/**
 * Least frequently used, in-cache counts: each held key counts its uses (the store
 * and every hit); when full, the key with the fewest uses goes, the least recently
 * used of those on a tie. Counts are forgotten on eviction, so memory stays bounded
 * by `capacity` ("perfect" LFU would count every key ever seen). Under the
 * independent reference model the counts of held keys grow with their popularity and
 * the cache settles on the most popular keys: its hit ratio tends to the static
 * top-C one (one slot churns among newcomers).
 *
 * A binary min-heap on (uses, last use) over slots of typed arrays, with each slot's
 * heap position so that a hit or an expiry is O(log C).
 */
export class LfuCache implements KeyCache {
  /** Key → slot. */
  private readonly index = new Map<number, number>();
  private keys: Float64Array;
  private storedAt: Float64Array;
  private uses: Float64Array;
  /** Order of last use, from `clock`: the tie-break. */
  private lastUse: Float64Array;
  /** Slot → its index in `heap`. */
  private pos: Int32Array;
  /** The heap of slots, 0..size−1. */
  private heap: Int32Array;
  private readonly free: number[] = [];
  private used = 0;
  private clock = 0;

  constructor(
    /** Most keys held at once. */
    readonly capacity: number,
    /** Seconds an entry stays valid after it was stored; Infinity for no expiry. */
    readonly ttlS = Infinity,
    /** A hit restarts the entry's time-to-live (sliding expiry). */
    readonly ttlResetOnHit = false,
  ) {
    const cap = Math.max(1, Math.min(1024, capacity));
    this.keys = new Float64Array(cap);
    this.storedAt = new Float64Array(cap);
    this.uses = new Float64Array(cap);
    this.lastUse = new Float64Array(cap);
    this.pos = new Int32Array(cap);
    this.heap = new Int32Array(cap);
  }

  get size(): number {
    return this.index.size;
  }

  get(key: number, nowS: number): boolean {
    const slot = this.index.get(key);
    if (slot === undefined) return false;
    if (nowS - this.storedAt[slot]! > this.ttlS) {
      this.removeAt(this.pos[slot]!);
      return false;
    }
    if (this.ttlResetOnHit) this.storedAt[slot] = nowS;
    this.uses[slot]!++;
    this.lastUse[slot] = ++this.clock;
    this.siftDown(this.pos[slot]!);
    return true;
  }

  put(key: number, nowS: number): void {
    if (this.capacity <= 0) return;
    const held = this.index.get(key);
    if (held !== undefined) {
      // A second store of a held key (two misses in flight): fresher, not more used.
      this.storedAt[held] = nowS;
      return;
    }
    if (this.index.size >= this.capacity) this.removeAt(0);
    const slot = this.free.pop() ?? this.newSlot();
    this.keys[slot] = key;
    this.storedAt[slot] = nowS;
    this.uses[slot] = 1;
    this.lastUse[slot] = ++this.clock;
    const i = this.index.size;
    this.heap[i] = slot;
    this.pos[slot] = i;
    this.index.set(key, slot);
    this.siftUp(i);
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
    const n = this.index.size;
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

  /** Drops the entry at heap index `i`, its slot kept for reuse. */
  private removeAt(i: number): void {
    const slot = this.heap[i]!;
    const last = this.index.size - 1;
    this.index.delete(this.keys[slot]!);
    this.free.push(slot);
    if (i !== last) {
      this.swap(i, last);
      // `index.size` is now `last`: the moved entry may go either way (one of these is a no-op).
      this.siftUp(i);
      this.siftDown(i);
    }
  }

  private newSlot(): number {
    if (this.used === this.keys.length) this.grow();
    return this.used++;
  }

  private grow(): void {
    const cap = Math.min(this.keys.length * 2, Math.max(this.capacity, this.keys.length + 1));
    const widenF = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const widenI = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.keys = widenF(this.keys);
    this.storedAt = widenF(this.storedAt);
    this.uses = widenF(this.uses);
    this.lastUse = widenF(this.lastUse);
    this.pos = widenI(this.pos);
    this.heap = widenI(this.heap);
  }
}
