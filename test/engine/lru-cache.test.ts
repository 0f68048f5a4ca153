import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruCache } from '../../src/engine/index.ts';

/**
 * The plain reference: a Map in insertion order (re-inserting moves a key to the back,
 * so the front is the least recently used). Correct but quadratic in V8 under eviction
 * (see src/engine/lru-cache.ts), which is why the engine's cache is a linked list.
 */
class MapLru {
  private readonly entries = new Map<number, number>();
  constructor(
    readonly capacity: number,
    readonly ttlS = Infinity,
  ) {}
  get size(): number {
    return this.entries.size;
  }
  get(key: number, nowS: number): boolean {
    const storedAt = this.entries.get(key);
    if (storedAt === undefined) return false;
    this.entries.delete(key);
    if (nowS - storedAt > this.ttlS) return false;
    this.entries.set(key, storedAt);
    return true;
  }
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

describe('LruCache', () => {
  it('answers every sequence of gets and puts like the Map reference', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 20 })),
        fc.array(fc.record({ put: fc.boolean(), key: fc.integer({ min: 0, max: 15 }), dt: fc.integer({ min: 0, max: 3 }) }), { maxLength: 400 }),
        (capacity, ttl, ops) => {
          const a = new LruCache(capacity, ttl);
          const b = new MapLru(capacity, ttl);
          let now = 0;
          for (const op of ops) {
            now += op.dt;
            if (op.put) {
              a.put(op.key, now);
              b.put(op.key, now);
            } else expect(a.get(op.key, now)).toBe(b.get(op.key, now));
            expect(a.size).toBe(b.size);
          }
        },
      ),
      { numRuns: 300, seed: 17 },
    );
  });

  it('evicts the least recently used, and a hit refreshes recency but not age', () => {
    const c = new LruCache(2, 10);
    c.put(1, 0);
    c.put(2, 1);
    expect(c.get(1, 2)).toBe(true); // 2 is now the least recently used
    c.put(3, 3);
    expect(c.get(2, 3)).toBe(false);
    expect(c.get(1, 10)).toBe(true); // age 10: not above the TTL
    expect(c.get(1, 10.5)).toBe(false); // stored at 0: expired although just used
    expect(c.size).toBe(1);
  });

  it('stays linear with a full cache under churn (the Map version was quadratic)', () => {
    // No clock here (speed belongs in bench/, and a timed assertion fails on a loaded
    // machine): this takes about 50 ms where the Map version takes tens of seconds, so a
    // quadratic regression fails by the test's own timeout (30 s) with a 600x margin.
    const c = new LruCache(200_000);
    for (let i = 0; i < 1_000_000; i++) {
      const k = (i * 7919) % 400_000;
      if (!c.get(k, i)) c.put(k, i);
    }
    expect(c.size).toBe(200_000);
  }, 30_000);
});
