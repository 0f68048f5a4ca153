/**
 * RingQueue against a plain array used as a FIFO (the reference version the PERF
 * comment on the ring asks tests to keep).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RingQueue } from '../../src/engine/index.ts';

describe('RingQueue', () => {
  it('is FIFO through growth and wrap-around', () => {
    const q = new RingQueue<number>(4);
    // Fill, drain half, refill past capacity: the head sits mid-buffer when it grows.
    for (let i = 0; i < 4; i++) q.push(i);
    expect([q.shift(), q.shift()]).toEqual([0, 1]);
    for (let i = 4; i < 11; i++) q.push(i);
    expect(q.length).toBe(9);
    expect(q.peek()).toBe(2);
    expect(q.at(0)).toBe(2);
    expect(q.at(8)).toBe(10);
    expect(q.at(9)).toBeUndefined();
    expect(q.at(-1)).toBeUndefined();
    const out: number[] = [];
    while (q.length > 0) out.push(q.shift()!);
    expect(out).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(q.shift()).toBeUndefined();
    expect(q.peek()).toBeUndefined();
  });

  it('rounds any initial capacity up and works from capacity 0 or 1', () => {
    for (const cap of [0, 1, 3, 5, 17]) {
      const q = new RingQueue<string>(cap);
      for (let i = 0; i < 40; i++) q.push(`x${i}`);
      expect(Array.from({ length: 40 }, () => q.shift())).toEqual(Array.from({ length: 40 }, (_, i) => `x${i}`));
    }
  });

  it('behaves like an array FIFO for any sequence of operations (property)', () => {
    // true = push the next integer, false = shift; at(i) is checked after every step.
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 500 }), fc.integer({ min: 0, max: 20 }), (ops, cap) => {
        const q = new RingQueue<number>(cap);
        const ref: number[] = [];
        let next = 0;
        for (const push of ops) {
          if (push) {
            q.push(next);
            ref.push(next++);
          } else {
            expect(q.shift()).toBe(ref.shift());
          }
          expect(q.length).toBe(ref.length);
          expect(q.peek()).toBe(ref[0]);
        }
        expect(Array.from({ length: ref.length }, (_, i) => q.at(i))).toEqual(ref);
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it('behaves like an array deque with unshift at the head (property)', () => {
    // 0 = push the next integer, 1 = unshift it, 2 = shift; grows through wrap-around.
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 500 }), fc.integer({ min: 0, max: 20 }), (ops, cap) => {
        const q = new RingQueue<number>(cap);
        const ref: number[] = [];
        let next = 0;
        for (const op of ops) {
          if (op === 0) {
            q.push(next);
            ref.push(next++);
          } else if (op === 1) {
            q.unshift(next);
            ref.unshift(next++);
          } else {
            expect(q.shift()).toBe(ref.shift());
          }
          expect(q.length).toBe(ref.length);
          expect(q.peek()).toBe(ref[0]);
        }
        expect(Array.from({ length: ref.length }, (_, i) => q.at(i))).toEqual(ref);
      }),
      { seed: 4, numRuns: 200 },
    );
  });

  it('keeps falsy items such as 0 and null distinct from "empty"', () => {
    const q = new RingQueue<number | null>();
    q.push(0);
    q.push(null);
    expect(q.length).toBe(2);
    expect(q.shift()).toBe(0);
    expect(q.shift()).toBeNull();
    expect(q.length).toBe(0);
  });
});
