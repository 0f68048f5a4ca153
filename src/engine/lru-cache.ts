import type { KeyCache } from './key-cache.ts';

/**
 * A least-recently-used cache of keys with optional time-to-live. O(1) per operation.
 *
 * PERF: entries live in slots of typed arrays chained in a doubly linked list from the
 * least to the most recently used, with a Map from key to slot. The plainer design, a
 * Map alone relying on insertion order (delete and re-insert to refresh, evict
 * `keys().next()`), is quadratic in V8: each refresh leaves a deleted entry at the
 * front of the Map's ordered table, and finding the oldest key scans past all of them
 * until the next rehash (the cold-start scenario at 5× its length spent 90% of its
 * time there). `test/engine/lru-cache.test.ts` keeps that version as the reference and
 * checks both answer alike. `FifoCache` (fifo-cache.ts) is the same list where a hit
 * does not move its entry.
 */
export class LruCache implements KeyCache {
  /** Key → slot. */
  private readonly index = new Map<number, number>();
  private keys: Float64Array;
  private storedAt: Float64Array;
  private prev: Int32Array;
  private next: Int32Array;
  /** Least and most recently used slots; −1 when empty. */
  private head = -1;
  private tail = -1;
  /** Slots freed by expiry, to reuse. */
  private readonly free: number[] = [];
  /** Slots ever handed out (the arrays hold at least this many). */
  private used = 0;

  constructor(
    /** Most keys held at once. */
    readonly capacity: number,
    /** Seconds an entry stays valid after it was stored; Infinity for no expiry. */
    readonly ttlS = Infinity,
    /** A hit restarts the entry's time-to-live (sliding expiry); by default it does not. */
    readonly ttlResetOnHit = false,
  ) {
    // Grown on demand: a capacity of 10^12 allocates nothing up front.
    const cap = Math.max(1, Math.min(1024, capacity));
    this.keys = new Float64Array(cap);
    this.storedAt = new Float64Array(cap);
    this.prev = new Int32Array(cap);
    this.next = new Int32Array(cap);
  }

  /** Number of keys held. */
  get size(): number {
    return this.index.size;
  }

  /** True when `key` is held and not expired at `nowS`; a hit refreshes its recency (its age only with `ttlResetOnHit`). */
  get(key: number, nowS: number): boolean {
    const slot = this.index.get(key);
    if (slot === undefined) return false;
    if (nowS - this.storedAt[slot]! > this.ttlS) {
      // Expired entries are dropped on sight.
      this.unlink(slot);
      this.index.delete(key);
      this.free.push(slot);
      return false;
    }
    if (this.ttlResetOnHit) this.storedAt[slot] = nowS;
    this.touch(slot);
    return true;
  }

  /** Stores `key` at `nowS` as most recently used, evicting the least recently used if full. */
  put(key: number, nowS: number): void {
    if (this.capacity <= 0) return;
    let slot = this.index.get(key);
    if (slot !== undefined) {
      this.storedAt[slot] = nowS;
      this.touch(slot);
      return;
    }
    if (this.index.size >= this.capacity) {
      slot = this.head;
      this.unlink(slot);
      this.index.delete(this.keys[slot]!);
    } else slot = this.free.pop() ?? this.newSlot();
    this.keys[slot] = key;
    this.storedAt[slot] = nowS;
    this.linkAtTail(slot);
    this.index.set(key, slot);
  }

  /**
   * A held entry was hit or stored again: LRU makes it the most recently used.
   * The one point where FIFO differs (it overrides this to leave the order alone).
   */
  protected touch(slot: number): void {
    this.moveToTail(slot);
  }

  private newSlot(): number {
    if (this.used === this.keys.length) this.grow();
    return this.used++;
  }

  private grow(): void {
    const cap = Math.min(this.keys.length * 2, Math.max(this.capacity, this.keys.length + 1));
    const widen = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.keys = widen(this.keys, (n) => new Float64Array(n));
    this.storedAt = widen(this.storedAt, (n) => new Float64Array(n));
    this.prev = widen(this.prev, (n) => new Int32Array(n));
    this.next = widen(this.next, (n) => new Int32Array(n));
  }

  private unlink(slot: number): void {
    const p = this.prev[slot]!;
    const n = this.next[slot]!;
    if (p >= 0) this.next[p] = n;
    else this.head = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail = p;
  }

  private linkAtTail(slot: number): void {
    this.prev[slot] = this.tail;
    this.next[slot] = -1;
    if (this.tail >= 0) this.next[this.tail] = slot;
    else this.head = slot;
    this.tail = slot;
  }

  private moveToTail(slot: number): void {
    if (slot === this.tail) return;
    this.unlink(slot);
    this.linkAtTail(slot);
  }
}
