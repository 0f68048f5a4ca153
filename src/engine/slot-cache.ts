import type { KeyCache } from './key-cache.ts';

/**
 * The bookkeeping every cache policy shares: a Map from key to slot, each slot's key
 * and store time in typed arrays grown on demand, freed slots reused, and the
 * time-to-live (an expired key is dropped on sight; `ttlResetOnHit` restarts it on a
 * hit; storing a held key again refreshes its age). A policy is only its eviction
 * rule: which slot goes when the cache is full (`victim`), and what it does when a slot
 * is added, hit, stored again or removed.
 *
 * Contract for subclasses: `added` is called after the slot's key, store time and
 * index entry are set; `removed` before they are cleared (the index still holds the
 * key, `size` still counts it); `victim` only when the cache is full and not empty.
 */
export abstract class SlotCache implements KeyCache {
  /** Key → slot. */
  private readonly index = new Map<number, number>();
  /** Each slot's key and store time. */
  private keys: Float64Array;
  private storedAt: Float64Array;
  /** Slots freed by eviction or expiry, to reuse. */
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
    const cap = SlotCache.initialSlots(capacity);
    this.keys = new Float64Array(cap);
    this.storedAt = new Float64Array(cap);
  }

  /** Slots allocated up front for a cache of `capacity` (a policy sizes its own arrays alike). */
  static initialSlots(capacity: number): number {
    return Math.max(1, Math.min(1024, capacity));
  }

  /** Number of keys held (expired ones not yet seen included). */
  get size(): number {
    return this.index.size;
  }

  /** True when `key` is held and not expired at `nowS`; an expired key is dropped on sight. */
  get(key: number, nowS: number): boolean {
    const slot = this.index.get(key);
    if (slot === undefined) return false;
    if (nowS - this.storedAt[slot]! > this.ttlS) {
      this.drop(slot);
      return false;
    }
    if (this.ttlResetOnHit) this.storedAt[slot] = nowS;
    this.hit(slot);
    return true;
  }

  /** Stores `key` at `nowS`, evicting the policy's victim if full; storing a held key refreshes its age. */
  put(key: number, nowS: number): void {
    if (this.capacity <= 0) return;
    const held = this.index.get(key);
    if (held !== undefined) {
      this.storedAt[held] = nowS;
      this.storedAgain(held);
      return;
    }
    if (this.index.size >= this.capacity) this.drop(this.victim());
    const slot = this.free.pop() ?? this.newSlot();
    this.keys[slot] = key;
    this.storedAt[slot] = nowS;
    this.index.set(key, slot);
    this.added(slot);
  }

  /** The slot to evict from a full cache. */
  protected abstract victim(): number;
  /** A new key now sits in `slot`. */
  protected abstract added(slot: number): void;
  /** The key in `slot` was hit (and is not expired). */
  protected abstract hit(slot: number): void;
  /** The key in `slot` leaves (evicted or expired); the slot is reused later. */
  protected abstract removed(slot: number): void;
  /** The key in `slot` was stored again (two misses in flight): by default fresher, nothing more. */
  protected storedAgain(_slot: number): void {}
  /** The slot arrays grew to `slots`: a policy widens its own arrays to match. */
  protected abstract grown(slots: number): void;

  private drop(slot: number): void {
    this.removed(slot);
    this.index.delete(this.keys[slot]!);
    this.free.push(slot);
  }

  private newSlot(): number {
    if (this.used === this.keys.length) {
      const cap = Math.min(this.keys.length * 2, Math.max(this.capacity, this.keys.length + 1));
      this.keys = widen(this.keys, cap);
      this.storedAt = widen(this.storedAt, cap);
      this.grown(cap);
    }
    return this.used++;
  }
}

/** A copy of `a` with room for `n` elements (the rest zero). */
export function widen<T extends Float64Array | Int32Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
