/**
 * A least-recently-used cache of keys with optional time-to-live, on a Map (whose
 * iteration order is insertion order: re-inserting a key moves it to the back, so
 * the front is always the least recently used). O(1) per operation.
 */
export class LruCache {
  private readonly entries = new Map<number, number>();

  constructor(
    /** Most keys held at once. */
    readonly capacity: number,
    /** Seconds an entry stays valid after it was stored; Infinity for no expiry. */
    readonly ttlS = Infinity,
  ) {}

  /** Number of keys held. */
  get size(): number {
    return this.entries.size;
  }

  /** True when `key` is held and not expired at `nowS`; a hit refreshes its recency (not its age). */
  get(key: number, nowS: number): boolean {
    const storedAt = this.entries.get(key);
    if (storedAt === undefined) return false;
    this.entries.delete(key);
    if (nowS - storedAt > this.ttlS) return false; // expired entries are dropped on sight
    this.entries.set(key, storedAt);
    return true;
  }

  /** Stores `key` at `nowS` as most recently used, evicting the least recently used if full. */
  put(key: number, nowS: number): void {
    if (this.capacity <= 0) return;
    if (this.entries.has(key)) this.entries.delete(key);
    else if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, nowS);
  }
}
