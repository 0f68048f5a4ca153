import { SlotCache, widen } from './slot-cache.ts';

/**
 * A least-recently-used cache of keys with optional time-to-live. O(1) per operation.
 * The key map and the time-to-live are `SlotCache`'s; this file is the eviction rule.
 *
 * PERF: slots are chained in a doubly linked list of typed arrays from the least to the
 * most recently used. The plainer design, a Map alone relying on insertion order
 * (delete and re-insert to refresh, evict `keys().next()`), is quadratic in V8: each
 * refresh leaves a deleted entry at the front of the Map's ordered table, and finding
 * the oldest key scans past all of them until the next rehash (the cold-start scenario
 * at 5× its length spent 90% of its time there). `test/engine/lru-cache.test.ts` keeps
 * that version as the reference and checks both answer alike. `FifoCache`
 * (fifo-cache.ts) is the same list where a hit does not move its entry.
 */
export class LruCache extends SlotCache {
  private prev: Int32Array;
  private next: Int32Array;
  /** Least and most recently used slots; −1 when empty. */
  private head = -1;
  private tail = -1;

  constructor(capacity: number, ttlS = Infinity, ttlResetOnHit = false) {
    super(capacity, ttlS, ttlResetOnHit);
    const cap = SlotCache.initialSlots(capacity);
    this.prev = new Int32Array(cap);
    this.next = new Int32Array(cap);
  }

  /** The least recently used. */
  protected override victim(): number {
    return this.head;
  }

  protected override added(slot: number): void {
    this.prev[slot] = this.tail;
    this.next[slot] = -1;
    if (this.tail >= 0) this.next[this.tail] = slot;
    else this.head = slot;
    this.tail = slot;
  }

  protected override hit(slot: number): void {
    this.touch(slot);
  }

  protected override storedAgain(slot: number): void {
    this.touch(slot);
  }

  protected override removed(slot: number): void {
    const p = this.prev[slot]!;
    const n = this.next[slot]!;
    if (p >= 0) this.next[p] = n;
    else this.head = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail = p;
  }

  protected override grown(slots: number): void {
    this.prev = widen(this.prev, slots);
    this.next = widen(this.next, slots);
  }

  /**
   * A held entry was hit or stored again: LRU makes it the most recently used.
   * The one point where FIFO differs (it overrides this to leave the order alone).
   */
  protected touch(slot: number): void {
    if (slot === this.tail) return;
    this.removed(slot);
    this.added(slot);
  }
}
