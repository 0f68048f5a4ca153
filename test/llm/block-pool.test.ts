/**
 * `BlockPool` (a FIFO ring of empty free blocks merged with a list of cached ones, no
 * per-block state for plain blocks) against the plain single free queue it stands for
 * (docs/llm-scheduler.md, "KV blocks"): the same block taken at every allocation, the
 * same cache lookups, on random operation sequences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockPool } from '../../src/models/llm/index.ts';

/** The specification's pool, written plainly: one array as the free queue. */
class NaivePool {
  refs: number[];
  key: number[];
  queue: number[] = [];
  cache = new Map<number, number>();
  constructor(n: number) {
    this.refs = new Array<number>(n).fill(0);
    this.key = new Array<number>(n).fill(-1);
    for (let b = 0; b < n; b++) this.queue.push(b);
  }
  allocate(): number {
    const b = this.queue.shift()!;
    const k = this.key[b]!;
    if (k >= 0 && this.cache.get(k) === b) this.cache.delete(k);
    this.key[b] = -1;
    this.refs[b] = 1;
    return b;
  }
  release(b: number): void {
    if (--this.refs[b]! === 0) this.queue.push(b);
  }
  touch(b: number): void {
    if (this.refs[b] === 0) this.queue.splice(this.queue.indexOf(b), 1);
    this.refs[b]!++;
  }
  register(b: number, k: number): void {
    const old = this.cache.get(k);
    if (old !== undefined && old !== b) this.key[old] = -1;
    this.cache.set(k, b);
    this.key[b] = k;
  }
}

type Op = { kind: 'alloc' } | { kind: 'release'; pick: number } | { kind: 'identify'; pick: number; key: number } | { kind: 'hit'; key: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'alloc' as const }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('identify' as const), pick: fc.nat(), key: fc.integer({ min: 0, max: 12 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('hit' as const), key: fc.integer({ min: 0, max: 12 }) }), weight: 2 },
);

describe('BlockPool = one free queue, oldest released first', () => {
  it('takes the same blocks and finds the same cached contents on random operations', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(opArb, { maxLength: 200 }), (n, ops) => {
        const pool = new BlockPool(n);
        const naive = new NaivePool(n);
        // Holdings: one entry per holder; plain = one holder, no identity (the pool keeps no state for it).
        const held: { b: number; plain: boolean }[] = [];
        for (const op of ops) {
          if (op.kind === 'alloc') {
            if (pool.free === 0) continue;
            const b = pool.allocate();
            expect(b).toBe(naive.allocate());
            held.push({ b, plain: true });
          } else if (op.kind === 'release') {
            if (held.length === 0) continue;
            const [h] = held.splice(op.pick % held.length, 1);
            if (h!.plain) pool.releasePlain(h!.b);
            else pool.release(h!.b);
            naive.release(h!.b);
          } else if (op.kind === 'identify') {
            if (held.length === 0) continue;
            const h = held[op.pick % held.length]!;
            if (h.plain) {
              pool.track(h.b);
              h.plain = false;
            }
            pool.register(h.b, op.key);
            naive.register(h.b, op.key);
          } else {
            const b = pool.lookup(op.key);
            expect(b).toBe(naive.cache.get(op.key) ?? -1);
            if (b >= 0) {
              // A plain holder of this block cannot exist: a block with an identity is tracked.
              expect(held.some((h) => h.b === b && h.plain)).toBe(false);
              expect(pool.isFree(b)).toBe(naive.refs[b] === 0);
              pool.touch(b);
              naive.touch(b);
              held.push({ b, plain: false });
            }
          }
          expect(pool.free).toBe(naive.queue.length);
        }
      }),
      { seed: 14, numRuns: 2000 },
    );
  });
});
