/**
 * The classic hold model (Vaucher & Duval 1975; Jones 1986, "An empirical
 * comparison of priority-queue and event-set implementations"): about 1,000
 * pending events, each handler scheduling one new event at now + Exp(1). It
 * measures the engine's per-event cost (heap pop and push, dispatch of the
 * callback, clock and counter) against the simplest binary heap of bare times
 * doing the same pop+push loop in the same process: the ceiling for JavaScript.
 *
 * Both loops draw their delays from the same precomputed ring of Exp(1)
 * variates (see `VariateRing`), so the ratio compares event-set costs, not the
 * generator's. A second pair of loops with a live seeded sampler is reported for
 * information.
 */
import { exponential, RandomStreams, Simulation } from '../src/engine/index.ts';
import { collectGarbage, compact, isMain, median, runStandalone, spread, timeS, type Benchmark, type Figure } from './harness.ts';

/** Pending events in the hold model (the "about 1,000"). */
export const PENDING = 1000;
/** Events fired per timed repetition. */
export const EVENTS = 5_000_000;
/** Timed repetitions of each loop (alternating, after one warm-up of each). */
export const REPS = 5;
/** Ring length: a power of two so the index wraps with a mask. */
const RING = 1 << 16;

/**
 * A fixed ring of Exp(1) variates read in order. Drawing a fresh variate costs an
 * Alea step and a logarithm, about as much as a whole pop+push of a 1,000-entry
 * heap; added equally to both loops it would pull their ratio towards 1 and hide
 * the engine's own cost. 65,536 values are far more than the heap holds, so the
 * repetition of the sequence has no visible effect on its shape.
 */
export class VariateRing {
  private readonly values: Float64Array;
  private i = 0;

  constructor(seedName: string) {
    const draw = exponential(1).source(RandomStreams.independent('bench', seedName));
    this.values = new Float64Array(RING);
    for (let k = 0; k < RING; k++) this.values[k] = draw();
  }

  next(): number {
    return this.values[this.i++ & (RING - 1)]!;
  }
}

/**
 * The simplest array-backed binary min-heap of bare times: a Float64Array, sift
 * up on push, sift down on pop, each with a hole rather than swaps. No sequence
 * numbers, no callbacks, no arguments.
 */
export class BareHeap {
  private readonly a: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.a = new Float64Array(capacity);
  }

  push(t: number): void {
    const a = this.a;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = a[p]!;
      if (pt <= t) break;
      a[i] = pt;
      i = p;
    }
    a[i] = t;
  }

  /** Removes and returns the smallest time (the heap must not be empty). */
  pop(): number {
    const a = this.a;
    const top = a[0]!;
    const last = --this.size;
    const t = a[last]!;
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      let ct = a[c]!;
      if (c + 1 < last && a[c + 1]! < ct) ct = a[++c]!;
      if (t <= ct) break;
      a[i] = ct;
      i = c;
    }
    a[i] = t;
    return top;
  }
}

/** Pop+push pairs per second of the bare heap over `events` pops. */
export function bareHoldRate(events: number, delay: () => number): number {
  const heap = new BareHeap(PENDING + 1);
  for (let k = 0; k < PENDING; k++) heap.push(delay());
  let now = 0;
  const s = timeS(() => {
    for (let k = 0; k < events; k++) {
      now = heap.pop();
      heap.push(now + delay());
    }
  });
  if (!(now > 0)) throw new Error('bare heap: the clock did not advance');
  return events / s;
}

/** Events per second of the engine on the same hold model. */
export function engineHoldRate(events: number, delay: () => number): number {
  const sim = new Simulation({ seed: 1 });
  const hold = (): void => {
    sim.schedule(delay(), hold);
    if (sim.eventsFired === events) sim.stop();
  };
  for (let k = 0; k < PENDING; k++) sim.schedule(delay(), hold);
  const s = timeS(() => sim.run());
  if (sim.eventsFired !== events || sim.pending !== PENDING) throw new Error(`engine: fired ${sim.eventsFired}, ${sim.pending} pending`);
  return events / s;
}

/** Alternates the two loops `REPS` times after a warm-up of each; per-loop rates. */
function compare(makeDelay: () => () => number): { bare: number[]; engine: number[] } {
  bareHoldRate(EVENTS / 5, makeDelay());
  engineHoldRate(EVENTS / 5, makeDelay());
  const bare: number[] = [];
  const engine: number[] = [];
  for (let r = 0; r < REPS; r++) {
    collectGarbage();
    bare.push(bareHoldRate(EVENTS, makeDelay()));
    collectGarbage();
    engine.push(engineHoldRate(EVENTS, makeDelay()));
  }
  return { bare, engine };
}

export const engineHold: Benchmark = {
  name: 'engine-hold',
  description: `hold model, ${PENDING} pending events, Exp(1) delays: engine vs bare Float64Array heap`,
  run(): Figure[] {
    const ring = compare(() => {
      const r = new VariateRing('hold');
      return () => r.next();
    });
    const live = compare(() => exponential(1).source(RandomStreams.independent('bench', 'hold-live')));
    // The ratio is taken per repetition (each engine run beside the bare run just
    // before it), so a slow patch of the machine affects both sides of one ratio.
    const ratios = ring.engine.map((e, k) => e / ring.bare[k]!);
    const liveRatios = live.engine.map((e, k) => e / live.bare[k]!);
    const rate = (x: number) => compact(x);
    return [
      { name: 'bare heap pop+push (ring)', value: median(ring.bare), unit: 'pairs/s', note: spread(ring.bare, rate) },
      { name: 'engine events (ring)', value: median(ring.engine), unit: 'events/s', note: spread(ring.engine, rate) },
      { name: 'engine / bare heap (ring)', value: median(ratios), unit: 'x', target: { op: '>=', value: 0.8 } /* issue 13 */, note: spread(ratios, (x) => x.toFixed(3)) },
      { name: 'bare heap pop+push (live Alea)', value: median(live.bare), unit: 'pairs/s' },
      { name: 'engine events (live Alea)', value: median(live.engine), unit: 'events/s' },
      { name: 'engine / bare heap (live Alea)', value: median(liveRatios), unit: 'x' },
    ];
  },
};

if (isMain(import.meta.url)) await runStandalone(engineHold);
