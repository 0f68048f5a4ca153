/**
 * The event heap and the simulation clock: order by (time, scheduling sequence),
 * checked against a plain stable sort (the reference version the heap's PERF comment
 * promises), exact same-time orderings, and the clock's invariants.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventHeap, RandomStreams, Simulation } from '../../src/engine/index.ts';

/** Drains a heap, returning [time, seq] pairs in pop order. */
function drain(heap: EventHeap): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  while (heap.size > 0) {
    out.push([heap.peekTime(), heap.peekSeq()!]);
    heap.pop();
  }
  return out;
}

const noop = (): void => {};

describe('EventHeap', () => {
  it('pops in the order of a stable sort by (time, seq) for random pushes and pops', () => {
    // Few distinct times so that ties are common; interleaved pops exercise sift-down
    // on partly drained heaps; a small initial capacity forces several grow() calls.
    const rng = RandomStreams.independent(1, 'event-heap');
    for (let trial = 0; trial < 20; trial++) {
      const heap = new EventHeap(4);
      const reference: Array<[number, number]> = [];
      const popped: Array<[number, number]> = [];
      const expected: Array<[number, number]> = [];
      let seq = 0;
      for (let step = 0; step < 2000; step++) {
        if (rng() < 0.6 || heap.size === 0) {
          const t = Math.floor(rng() * 50) / 4;
          heap.push(t, seq, noop, seq);
          reference.push([t, seq]);
          seq++;
        } else {
          popped.push([heap.peekTime(), heap.peekSeq()!]);
          if (heap.topArg() !== heap.peekSeq()) throw new Error('argument detached from its key');
          heap.pop();
          // The reference pops the least (time, seq) of what is pending (a linear scan).
          let m = 0;
          for (let j = 1; j < reference.length; j++) {
            const [t, s] = reference[j]!;
            const [mt, ms] = reference[m]!;
            if (t < mt || (t === mt && s < ms)) m = j;
          }
          expected.push(reference.splice(m, 1)[0]!);
        }
      }
      popped.push(...drain(heap));
      reference.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      expected.push(...reference);
      // First disagreement, if any (a plain toEqual of 2,000 pairs is needlessly slow).
      expect(popped.length).toBe(expected.length);
      const bad = popped.findIndex(([t, s], i) => t !== expected[i]![0] || s !== expected[i]![1]);
      expect(bad, `trial ${trial}: pop ${bad} is ${String(popped[bad])}, expected ${String(expected[bad])}`).toBe(-1);
    }
  });

  it('matches a stable sort for arbitrary push sequences (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (times) => {
        const heap = new EventHeap(4);
        times.forEach((t, i) => heap.push(t, i, noop, undefined));
        // Array.prototype.sort is stable, so sorting by time alone keeps seq order on ties.
        const expected = times.map((t, i): [number, number] => [t, i]).sort((a, b) => a[0] - b[0]);
        expect(drain(heap)).toEqual(expected);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('reports Infinity and undefined when empty, and clear() empties it', () => {
    const heap = new EventHeap();
    expect(heap.peekTime()).toBe(Infinity);
    expect(heap.peekSeq()).toBeUndefined();
    heap.push(1, 0, noop, 'a');
    heap.push(0.5, 1, noop, 'b');
    expect(heap.topArg()).toBe('b');
    heap.clear();
    expect(heap.size).toBe(0);
    expect(heap.peekTime()).toBe(Infinity);
  });
});

describe('Simulation ordering', () => {
  it('fires events due at the same time in scheduling order', () => {
    const sim = new Simulation({ seed: 1 });
    const log: string[] = [];
    const rec = (s: string) => log.push(`${sim.now}:${s}`);
    sim.schedule(1, rec, 'a');
    sim.schedule(0, rec, 'b');
    sim.scheduleAt(1, rec, 'c');
    sim.schedule(1, (s: string) => {
      rec(s);
      // Scheduled during t = 1 for t = 1: after everything already due then.
      sim.schedule(0, rec, 'e');
    }, 'd');
    sim.schedule(0.5, rec, 'f');
    sim.timer(1, rec, 'g');
    sim.run();
    expect(log).toEqual(['0:b', '0.5:f', '1:a', '1:c', '1:d', '1:g', '1:e']);
    expect(sim.eventsFired).toBe(7);
  });

  it('refuses to schedule in the past or at NaN', () => {
    const sim = new Simulation({ seed: 1 });
    sim.schedule(2, noop);
    sim.run();
    expect(sim.now).toBe(2);
    expect(() => sim.schedule(-1e-9, noop)).toThrow(RangeError);
    expect(() => sim.schedule(Number.NaN, noop)).toThrow(RangeError);
    expect(() => sim.scheduleAt(1.999, noop)).toThrow(RangeError);
    expect(() => sim.scheduleAt(Number.NaN, noop)).toThrow(RangeError);
    expect(() => sim.timer(-1, noop)).toThrow(RangeError);
    // Now itself is allowed.
    expect(() => sim.scheduleAt(2, noop)).not.toThrow();
    expect(() => sim.schedule(0, noop)).not.toThrow();
  });

  it('a cancelled timer never fires; cancelling after firing is harmless', () => {
    const sim = new Simulation({ seed: 1 });
    const log: string[] = [];
    const t1 = sim.timer(1, (s: string) => log.push(s), 'cancelled');
    const t2 = sim.timer(2, (s: string) => log.push(s), 'fired');
    sim.schedule(0.5, () => t1.cancel());
    expect(t1.active).toBe(true);
    sim.run();
    expect(log).toEqual(['fired']);
    expect(t1.active).toBe(false);
    expect(t2.active).toBe(false);
    t2.cancel();
    expect(log).toEqual(['fired']);
  });

  it('run(until) fires events due up to and at `until`, then sets the clock to it', () => {
    const sim = new Simulation({ seed: 1 });
    const log: number[] = [];
    for (const t of [1, 2, 3, 4]) sim.scheduleAt(t, () => log.push(sim.now));
    sim.run(3);
    expect(log).toEqual([1, 2, 3]);
    expect(sim.pending).toBe(1);
    expect(sim.now).toBe(3);
    sim.run(3.5);
    expect(log).toEqual([1, 2, 3]);
    expect(sim.now).toBe(3.5);
    sim.run();
    expect(log).toEqual([1, 2, 3, 4]);
    expect(sim.now).toBe(4);
  });

  it('stop() returns from run after the current event; run resumes', () => {
    const sim = new Simulation({ seed: 1 });
    const log: number[] = [];
    sim.scheduleAt(1, () => {
      log.push(1);
      sim.stop();
    });
    sim.scheduleAt(2, () => log.push(2));
    sim.run();
    expect(log).toEqual([1]);
    expect(sim.now).toBe(1);
    sim.run();
    expect(log).toEqual([1, 2]);
  });

  it('runWhile checks its condition before each event', () => {
    const sim = new Simulation({ seed: 1 });
    let n = 0;
    for (let i = 1; i <= 10; i++) sim.scheduleAt(i, () => n++);
    sim.runWhile(() => n < 4);
    expect(n).toBe(4);
    expect(sim.now).toBe(4);
  });

  it('the clock never goes back, whatever events schedule (property)', () => {
    // Each event may schedule children at random delays (zero included), by delay or
    // at an absolute time, and may cancel a pending timer; the clock seen by every
    // firing event must never decrease, and every event fires at its due time.
    const plan = fc.array(
      fc.record({
        delay: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 10, noNaN: true })),
        children: fc.integer({ min: 0, max: 3 }),
        absolute: fc.boolean(),
        cancel: fc.boolean(),
      }),
      { minLength: 1, maxLength: 60 },
    );
    fc.assert(
      fc.property(plan, fc.double({ min: 0, max: 30, noNaN: true }), (steps, until) => {
        const sim = new Simulation({ seed: 7 });
        const seen: number[] = [];
        const late: Array<[number, number]> = [];
        const timers: Array<{ cancel(): void }> = [];
        let i = 0;
        const fire = (due: number): void => {
          if (sim.now !== due) late.push([due, sim.now]);
          seen.push(sim.now);
          const step = steps[i++ % steps.length]!;
          if (i > 400) return; // bounded fan-out
          for (let c = 0; c < step.children; c++) {
            const at = sim.now + step.delay * (c + 1);
            if (step.absolute) sim.scheduleAt(at, fire, at);
            else if (c === 0) timers.push(sim.timer(step.delay, fire, sim.now + step.delay));
            else sim.schedule(step.delay * (c + 1), fire, sim.now + step.delay * (c + 1));
          }
          if (step.cancel && timers.length > 0) timers.shift()!.cancel();
        };
        sim.schedule(0, fire, 0);
        sim.run(until);
        sim.run();
        expect(late).toEqual([]);
        const backwards = seen.findIndex((t, k) => k > 0 && t < seen[k - 1]!);
        expect(backwards).toBe(-1);
        expect(sim.now).toBeGreaterThanOrEqual(seen[seen.length - 1]!);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
