import type { KeyCache } from './key-cache.ts';
import type { Rng } from './random.ts';

/**
 * Random eviction: when full, a uniformly drawn held key makes room (expired or not).
 * Keys sit densely in slots 0..size−1, so a draw is one index; removal moves the last
 * slot into the hole. Hit ratio under the independent reference model: Fricker,
 * Robert & Roberts 2012 (h = λT/(1+λT), Σh = C), the same as FIFO's (Gelenbe 1973).
 */
export class RandomCache implements KeyCache {
  /** Key → slot. */
  private readonly index = new Map<number, number>();
  private keys: Float64Array;
  private storedAt: Float64Array;

  constructor(
    /** Most keys held at once. */
    readonly capacity: number,
    /** The eviction draws: a named stream of the run, never the global random generator. */
    private readonly rng: Rng,
    /** Seconds an entry stays valid after it was stored; Infinity for no expiry. */
    readonly ttlS = Infinity,
    /** A hit restarts the entry's time-to-live (sliding expiry). */
    readonly ttlResetOnHit = false,
  ) {
    // Grown on demand: a capacity of 10^12 allocates nothing up front.
    const cap = Math.max(1, Math.min(1024, capacity));
    this.keys = new Float64Array(cap);
    this.storedAt = new Float64Array(cap);
  }

  get size(): number {
    return this.index.size;
  }

  get(key: number, nowS: number): boolean {
    const slot = this.index.get(key);
    if (slot === undefined) return false;
    if (nowS - this.storedAt[slot]! > this.ttlS) {
      this.remove(slot);
      return false;
    }
    if (this.ttlResetOnHit) this.storedAt[slot] = nowS;
    return true;
  }

  put(key: number, nowS: number): void {
    if (this.capacity <= 0) return;
    const held = this.index.get(key);
    if (held !== undefined) {
      this.storedAt[held] = nowS;
      return;
    }
    if (this.index.size >= this.capacity) this.remove(Math.floor(this.rng() * this.index.size));
    const slot = this.index.size;
    if (slot === this.keys.length) this.grow();
    this.keys[slot] = key;
    this.storedAt[slot] = nowS;
    this.index.set(key, slot);
  }

  /** Drops the key in `slot`, moving the last slot's key into it. */
  private remove(slot: number): void {
    const last = this.index.size - 1;
    this.index.delete(this.keys[slot]!);
    if (slot !== last) {
      const moved = this.keys[last]!;
      this.keys[slot] = moved;
      this.storedAt[slot] = this.storedAt[last]!;
      this.index.set(moved, slot);
    }
  }

  private grow(): void {
    const cap = Math.min(this.keys.length * 2, Math.max(this.capacity, this.keys.length + 1));
    const keys = new Float64Array(cap);
    keys.set(this.keys);
    const storedAt = new Float64Array(cap);
    storedAt.set(this.storedAt);
    this.keys = keys;
    this.storedAt = storedAt;
  }
}
