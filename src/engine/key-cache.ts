/**
 * A bounded cache of numeric keys, each with the time it was stored: what a cache
 * policy (LRU, FIFO, random, LFU) implements. Memory is bounded by `capacity`
 * whatever the key space: expired entries count against it until seen or evicted.
 */
export interface KeyCache {
  /** Most keys held at once. */
  readonly capacity: number;
  /** Number of keys held (expired ones not yet seen included). */
  readonly size: number;
  /** True when `key` is held and not expired at `nowS`; an expired key is dropped on sight. */
  get(key: number, nowS: number): boolean;
  /** Stores `key` at `nowS`, evicting one key by the policy's rule if full (re-storing refreshes its age). */
  put(key: number, nowS: number): void;
}

/** Expiry shared by the policies: a time-to-live, and whether a hit restarts it. */
export interface CacheExpiry {
  /** Seconds an entry stays valid; Infinity for no expiry. */
  ttlS: number;
  /** A hit restarts the entry's time-to-live (sliding expiry) instead of leaving its age alone. */
  ttlResetOnHit: boolean;
}
