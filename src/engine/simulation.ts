import { EventHeap, type EventCallback } from './event-heap.ts';
import { RandomStreams, type Seed } from './random.ts';

/** A handle on a scheduled event that may be cancelled before it fires. */
export interface Timer {
  /** Prevents the event from firing; harmless after it fired. */
  cancel(): void;
  /** True until the event fires or is cancelled. */
  readonly active: boolean;
}

class TimerImpl<A> implements Timer {
  active = true;
  constructor(
    readonly owner: Simulation,
    public fn: EventCallback<A> | null,
    public arg: A | undefined,
  ) {}
  cancel(): void {
    if (!this.active) return;
    this.active = false;
    // Drop what the callback would have touched (often a whole request), so a
    // cancelled timer holds nothing while its heap entry waits to be removed.
    this.fn = null;
    this.arg = undefined;
    this.owner.timerCancelled();
  }
}

function fireTimer(timer: TimerImpl<unknown>): void {
  if (!timer.active) {
    timer.owner.deadTimerSurfaced();
    return;
  }
  const fn = timer.fn!;
  const arg = timer.arg;
  timer.active = false;
  timer.fn = null;
  timer.arg = undefined;
  fn(arg);
}

function isDeadTimer(fn: EventCallback<never>, arg: unknown): boolean {
  return fn === (fireTimer as EventCallback<never>) && !(arg as TimerImpl<unknown>).active;
}

/**
 * Cancelled timers stay in the heap (lazy deletion) until they are at least this many
 * and at least half of it; then they are all removed in one O(n) pass. The heap so never
 * holds more than about twice the live events, and each cancellation costs O(1)
 * amortized; small heaps are never compacted.
 */
const COMPACT_MIN_DEAD = 1024;

/** Options of a simulation run. */
export interface SimulationOptions {
  /** Root seed; every random stream of the run derives from it. */
  seed: Seed;
}

/**
 * A discrete-event simulation: a clock in seconds, a heap of pending events and
 * the run's random streams. Everything a run mutates lives on the instance, so two
 * runs in one process never see each other (no module-level state).
 *
 * Invariants: the clock never goes back; events due at the same time fire in the
 * order they were scheduled.
 */
export class Simulation {
  /** Current simulated time, in seconds. */
  now = 0;
  /** Number of events fired so far. */
  eventsFired = 0;
  /** The run's named random streams. */
  readonly random: RandomStreams;

  private readonly heap = new EventHeap();
  private seq = 0;
  private stopped = false;
  private readonly counters = new Map<string, number>();
  /** Cancelled timers still in the heap. */
  private dead = 0;

  constructor(options: SimulationOptions) {
    this.random = new RandomStreams(options.seed);
  }

  /** Number of pending events (cancelled timers excluded). */
  get pending(): number {
    return this.heap.size - this.dead;
  }

  /** Entries held in the event heap: pending events plus cancelled timers not yet removed. */
  get heapEntries(): number {
    return this.heap.size;
  }

  /** Schedules `fn(arg)` to run `delayS` seconds from now (`delayS >= 0`). */
  schedule<A>(delayS: number, fn: EventCallback<A>, arg?: A): void {
    // Written as a negated comparison so that NaN is rejected too.
    if (!(delayS >= 0)) throw new RangeError(`cannot schedule an event ${delayS} s in the past`);
    this.heap.push(this.now + delayS, this.seq++, fn as EventCallback<never>, arg);
  }

  /** Schedules `fn(arg)` at absolute time `timeS` (not before now). */
  scheduleAt<A>(timeS: number, fn: EventCallback<A>, arg?: A): void {
    if (!(timeS >= this.now)) throw new RangeError(`cannot schedule an event at ${timeS} s, before now (${this.now} s)`);
    this.heap.push(timeS, this.seq++, fn as EventCallback<never>, arg);
  }

  /** Like `schedule`, but returns a handle that can cancel the event. */
  timer<A>(delayS: number, fn: EventCallback<A>, arg?: A): Timer {
    const t = new TimerImpl<A>(this, fn, arg);
    this.schedule(delayS, fireTimer as EventCallback<TimerImpl<A>>, t);
    return t;
  }

  /** @internal A timer of this simulation was cancelled before it fired. */
  timerCancelled(): void {
    if (++this.dead >= COMPACT_MIN_DEAD && 2 * this.dead > this.heap.size) {
      this.heap.removeWhere(isDeadTimer);
      this.dead = 0;
    }
  }

  /**
   * @internal A cancelled timer reached the top of the heap and was popped: it was
   * never an event, so it is not counted as one.
   */
  deadTimerSurfaced(): void {
    this.dead--;
    this.eventsFired--;
  }

  /** Like `scheduleAt`, but returns a handle that can cancel the event. */
  timerAt<A>(timeS: number, fn: EventCallback<A>, arg?: A): Timer {
    const t = new TimerImpl<A>(this, fn, arg);
    this.scheduleAt(timeS, fireTimer as EventCallback<TimerImpl<A>>, t);
    return t;
  }

  /** Makes `run` return after the current event. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Fires events in order until none is left, `stop()` is called, or the next one
   * is due after `untilS` (the clock then moves to `untilS`).
   */
  run(untilS = Infinity): void {
    const heap = this.heap;
    this.stopped = false;
    // PERF: the loop reads the heap top through accessors instead of popping an
    // entry object, so firing an event allocates nothing.
    while (heap.size > 0) {
      const t = heap.peekTime();
      if (t > untilS) break;
      const fn = heap.topFn() as EventCallback<unknown>;
      const arg = heap.topArg();
      heap.pop();
      this.now = t;
      this.eventsFired++;
      fn(arg);
      if (this.stopped) return;
    }
    if (untilS !== Infinity && untilS > this.now) this.now = untilS;
  }

  /** Fires events while `condition()` holds before each one (or until none is left). */
  runWhile(condition: () => boolean): void {
    const heap = this.heap;
    this.stopped = false;
    while (heap.size > 0 && condition()) {
      const t = heap.peekTime();
      const fn = heap.topFn() as EventCallback<unknown>;
      const arg = heap.topArg();
      heap.pop();
      this.now = t;
      this.eventsFired++;
      fn(arg);
      if (this.stopped) return;
    }
  }

  /** Next value of a named counter of this run (0, 1, 2, ...): ids live on the instance. */
  nextId(counter: string): number {
    const v = this.counters.get(counter) ?? 0;
    this.counters.set(counter, v + 1);
    return v;
  }
}
