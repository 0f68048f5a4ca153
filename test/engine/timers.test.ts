import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Simulation, type Timer } from '../../src/engine/index.ts';

/**
 * Cancelled timers must not stay in the event heap until their time: a model that
 * arms a long timer per request and cancels it when the request is answered would
 * otherwise hold rate × delay entries (issue 11).
 */
describe('timer cancellation', () => {
  it('cancelled timers leave the heap: entries stay bounded by the live ones', () => {
    const sim = new Simulation({ seed: 1 });
    let maxEntries = 0;
    let fired = 0;
    // One "request" per millisecond, each arming a 1,000 s timer cancelled 2 ms later:
    // at most ~2 are live at any time, 100,000 are armed in all.
    const step = (i: number): void => {
      const t = sim.timer(1000, () => fired++);
      sim.schedule(0.002, (x: Timer) => x.cancel(), t);
      maxEntries = Math.max(maxEntries, sim.heapEntries);
      if (i < 100_000) sim.schedule(0.001, step, i + 1);
    };
    sim.schedule(0, step, 0);
    sim.run();
    expect(fired).toBe(0);
    // Compaction runs once cancelled entries are at least 1,024 and half the heap.
    expect(maxEntries).toBeLessThan(2 * 1024 + 16);
    expect(sim.pending).toBe(0);
    // Events fired: the steps and the cancellations, never a cancelled timer.
    expect(sim.eventsFired).toBe(2 * 100_001);
  });

  it('pending counts live events only', () => {
    const sim = new Simulation({ seed: 1 });
    const ts = Array.from({ length: 10 }, (_, i) => sim.timer(i + 1, () => {}));
    sim.schedule(5, () => {});
    for (const t of ts.slice(0, 4)) t.cancel();
    ts[0]!.cancel(); // twice is harmless
    expect(sim.pending).toBe(7);
    expect(ts[0]!.active).toBe(false);
    expect(ts[5]!.active).toBe(true);
  });

  it('a timer cancelled before it fires never fires, and survivors fire in (time, scheduling) order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ t: fc.integer({ min: 0, max: 50 }), cancel: fc.boolean() }), { minLength: 1, maxLength: 3000 }),
        (specs) => {
          const sim = new Simulation({ seed: 1 });
          const log: number[] = [];
          const timers = specs.map((s, i) => sim.timer(s.t, () => log.push(i)));
          specs.forEach((s, i) => {
            if (s.cancel) timers[i]!.cancel();
          });
          sim.run();
          const expected = specs
            .map((s, i) => ({ ...s, i }))
            .filter((s) => !s.cancel)
            .sort((a, b) => a.t - b.t || a.i - b.i)
            .map((s) => s.i);
          expect(log).toEqual(expected);
          expect(sim.eventsFired).toBe(expected.length);
        },
      ),
      { numRuns: 50, seed: 11 },
    );
  });

  it('cancelling from inside an event, while the heap compacts, keeps the order', () => {
    const sim = new Simulation({ seed: 1 });
    const log: number[] = [];
    const timers: Timer[] = [];
    for (let i = 0; i < 5000; i++) timers.push(sim.timerAt(10 + (i % 97), () => log.push(i)));
    // At t = 1 cancel three timers in four: past 2,500 cancellations the heap compacts.
    let entriesAfter = NaN;
    sim.scheduleAt(1, () => {
      timers.forEach((t, i) => i % 4 !== 0 && t.cancel());
      entriesAfter = sim.heapEntries;
    });
    sim.run();
    expect(entriesAfter).toBeLessThan(5000 - 2500);
    const expected = timers
      .map((_, i) => i)
      .filter((i) => i % 4 === 0)
      .sort((a, b) => (a % 97) - (b % 97) || a - b);
    expect(log).toEqual(expected);
    expect(sim.heapEntries).toBe(0);
  });
});
