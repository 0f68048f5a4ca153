/**
 * Queue disciplines (src/models/disciplines/), exact orderings on tiny cases: each line
 * serves what its rule says, FIFO among equals, and skips nothing it was given.
 */
import { describe, expect, it } from 'vitest';
import { disciplineRegistry, RequestHeap, WeightedFairLine, type ClassTable, type WaitingLine } from '../../src/models/disciplines/index.ts';
import { Request } from '../../src/models/request.ts';

const CLASSES: ClassTable = { names: ['a', 'b', 'c'], priorities: [2, 0, 1], weights: [1, 2, 3], deadlinesS: [5, 1, Infinity] };

/** Requests of the given classes, ids 0, 1, 2, … arriving at t = id. */
function requests(classes: number[], attrs: number[] = []): Request[] {
  return classes.map((k, i) => {
    const r = new Request(i, i, true);
    r.classIndex = k;
    if (attrs.length > 0) r.attrs = [attrs[i]!];
    return r;
  });
}

function drain(line: WaitingLine): number[] {
  const out: number[] = [];
  for (let r = line.shift(); r !== undefined; r = line.shift()) out.push(r.id);
  return out;
}

describe('RequestHeap', () => {
  it('serves the smallest key first and equal keys in the order they came', () => {
    const keys = [3, 1, 2, 1, 3, 0, 1];
    const h = new RequestHeap((r) => keys[r.id]!);
    for (const r of requests(keys.map(() => 0))) h.push(r);
    expect(h.length).toBe(7);
    expect(h.peek()!.id).toBe(5);
    expect(drain(h)).toEqual([5, 1, 3, 6, 2, 0, 4]);
    expect(h.length).toBe(0);
  });

  it('stays a heap under interleaved pushes and shifts (against a sorted reference)', () => {
    // A fixed pseudo-random sequence (a linear congruential generator), no Math.random.
    let x = 12345;
    const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    const keys: number[] = [];
    const h = new RequestHeap((r) => keys[r.id]!);
    const ref: Array<{ key: number; id: number }> = [];
    let id = 0;
    for (let step = 0; step < 2000; step++) {
      if (next() < 0.6 || ref.length === 0) {
        keys[id] = Math.floor(next() * 10);
        const r = new Request(id, 0, true);
        h.push(r);
        ref.push({ key: keys[id]!, id });
        id++;
      } else {
        ref.sort((p, q) => p.key - q.key || p.id - q.id);
        expect(h.shift()!.id).toBe(ref.shift()!.id);
      }
    }
  });
});

describe('disciplines from the registry', () => {
  const ctx = { classes: CLASSES, attributeIndex: 0 };

  it('fifo serves in arrival order', () => {
    const line = disciplineRegistry.fifo(ctx);
    for (const r of requests([0, 1, 2, 0])) line.push(r);
    expect(drain(line)).toEqual([0, 1, 2, 3]);
  });

  it('priority serves the smallest priority number first (b = 0, c = 1, a = 2), FIFO within one', () => {
    const line = disciplineRegistry.priority(ctx);
    for (const r of requests([0, 1, 2, 0, 1, 2])) line.push(r);
    expect(drain(line)).toEqual([1, 4, 2, 5, 0, 3]);
  });

  it('shortest-first orders by the attribute, FIFO among equals', () => {
    const line = disciplineRegistry['shortest-first'](ctx);
    for (const r of requests([0, 0, 0, 0, 0], [50, 10, 30, 10, 5])) line.push(r);
    expect(drain(line)).toEqual([4, 1, 3, 2, 0]);
  });

  it('earliest-deadline-first orders by arrival + class deadline; none goes last', () => {
    // Deadlines: id0 a → 0 + 5 = 5; id1 b → 1 + 1 = 2; id2 c → ∞; id3 a → 8; id4 b → 5 (after id0, same key).
    const line = disciplineRegistry['earliest-deadline-first'](ctx);
    for (const r of requests([0, 1, 2, 0, 1])) line.push(r);
    expect(drain(line)).toEqual([1, 0, 4, 3, 2]);
  });
});

describe('WeightedFairLine (deficit round-robin)', () => {
  it('serves backlogged classes in proportion to their weights, round by round', () => {
    // Weights 1, 2, 3 → quanta 1, 2, 3: each round serves a once, b twice, c three times.
    const line = new WeightedFairLine(CLASSES);
    const cls = [...Array(12).fill(0), ...Array(12).fill(1), ...Array(12).fill(2)] as number[];
    for (const r of requests(cls)) line.push(r);
    const served = drain(line).map((id) => cls[id]!);
    expect(served.slice(0, 12)).toEqual([0, 1, 1, 2, 2, 2, 0, 1, 1, 2, 2, 2]);
    expect(served.length).toBe(36);
  });

  it('does not bank credit for an empty class, and serves a lone class alone', () => {
    const line = new WeightedFairLine(CLASSES);
    for (const r of requests([2, 2, 2, 2, 2])) line.push(r);
    expect(drain(line)).toEqual([0, 1, 2, 3, 4]);
    expect(line.length).toBe(0);
    expect(line.peek()).toBeUndefined();
  });

  it('hands out an expired request (a tombstone) without charging its class', () => {
    const line = new WeightedFairLine({ ...CLASSES, weights: [1, 1, 1] });
    const rs = requests([0, 0, 1, 1]);
    for (const r of rs) line.push(r);
    rs[0]!.expired = true;
    // a's first is a tombstone (the queue group skips it): a still serves one live
    // request (id1) in its turn, then b. Charged for it, a would give way to b first.
    expect(drain(line)).toEqual([0, 1, 2, 3]);
  });

  it('peek returns a request whenever length is above 0, tombstones included (the pool relies on it)', () => {
    const line = new WeightedFairLine(CLASSES);
    const rs = requests([0, 1]);
    for (const r of rs) line.push(r);
    for (const r of rs) r.expired = true;
    expect(line.length).toBe(2);
    expect(line.peek()).toBeDefined();
  });

  it('peek shows what shift takes', () => {
    const line = new WeightedFairLine(CLASSES);
    for (const r of requests([0, 1, 2, 1, 2, 2])) line.push(r);
    while (line.length > 0) {
      const p = line.peek();
      expect(line.shift()).toBe(p);
    }
  });
});
