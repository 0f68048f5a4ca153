import type { SystemDescription } from '../../config/description.ts';
import type { RunResult } from '../result.ts';
import type { RunCollector, RunCollectorKind, RunContext, RunDropReason, RunEvents } from './run-collector.ts';

type Listener<K extends keyof RunEvents> = Required<Pick<RunEvents, K>>;

/**
 * The run's collectors, and the one place the run's warm-up rule is applied: arrival
 * number `index` at `nowS` is measured once `warmupRequests` arrivals have passed and
 * `warmupS` has elapsed; measurement starts at the first measured arrival or at
 * `warmupS`, whichever comes first. Completions count towards rates once measurement
 * has started (`departed`), towards per-request figures only for measured requests.
 * `ServingSystem` calls it directly (one concrete class: the calls stay monomorphic).
 *
 * PERF: each event has a plain array of only the collectors that listen to it (the
 * M/M/4 path calls two on `departed` and three on `completed`), mirroring
 * `StageMetrics`.
 */
export class RunMetrics {
  /** When measurement started (end of warm-up); Infinity before. */
  warmupEndS = Infinity;
  private readonly warmupRequests: number;
  private readonly warmupS: number;
  private readonly kinds: RunCollectorKind[] = [];
  private readonly collectors: RunCollector[] = [];
  private readonly onArrived: Array<Listener<'arrived'>> = [];
  private readonly onDeparted: Array<Listener<'departed'>> = [];
  private readonly onCompleted: Array<Listener<'completed'>> = [];
  private readonly onDropped: Array<Listener<'dropped'>> = [];
  private readonly onAttempt: Array<Listener<'attemptSent'>> = [];
  private readonly onRetry: Array<Listener<'retry'>> = [];
  private readonly onWasted: Array<Listener<'answerWasted'>> = [];
  private readonly onCallEnded: Array<Listener<'callEnded'>> = [];

  constructor(
    system: SystemDescription,
    registry: readonly RunCollectorKind[],
    /** Told once, when measurement starts (the stations restart their time averages). */
    private readonly started: (nowS: number) => void,
  ) {
    this.warmupRequests = system.warmupRequests;
    this.warmupS = system.warmupS;
    for (const kind of registry) {
      const c = kind.create(system);
      this.kinds.push(kind);
      this.collectors.push(c);
      if (c.arrived) this.onArrived.push(c as Listener<'arrived'>);
      if (c.departed) this.onDeparted.push(c as Listener<'departed'>);
      if (c.completed) this.onCompleted.push(c as Listener<'completed'>);
      if (c.dropped) this.onDropped.push(c as Listener<'dropped'>);
      if (c.attemptSent) this.onAttempt.push(c as Listener<'attemptSent'>);
      if (c.retry) this.onRetry.push(c as Listener<'retry'>);
      if (c.answerWasted) this.onWasted.push(c as Listener<'answerWasted'>);
      if (c.callEnded) this.onCallEnded.push(c as Listener<'callEnded'>);
    }
  }

  /** Whether measurement has started. */
  get measuring(): boolean {
    return this.warmupEndS !== Infinity;
  }

  /** Starts measuring at `nowS` (no-op once started). */
  start(nowS: number): void {
    if (this.warmupEndS !== Infinity) return;
    this.warmupEndS = nowS;
    this.started(nowS);
  }

  /** Arrival number `index` (from 0, warm-up included) at `nowS`: returns whether it is measured. */
  arrival(index: number, nowS: number): boolean {
    if (index < this.warmupRequests || nowS < this.warmupS) return false;
    if (this.warmupEndS === Infinity) this.start(nowS);
    const ls = this.onArrived;
    for (let i = 0; i < ls.length; i++) ls[i]!.arrived();
    return true;
  }

  /** A request completed `latencyS` after it arrived (measured or not), having waited `waitedS` in queues (0 unless a waiting-time objective keeps it). */
  completion(measured: boolean, latencyS: number, quality: number, freshnessS: number, waitedS = 0): void {
    if (this.warmupEndS === Infinity) return;
    const ds = this.onDeparted;
    for (let i = 0; i < ds.length; i++) ds[i]!.departed(latencyS);
    if (!measured) return;
    const ls = this.onCompleted;
    for (let i = 0; i < ls.length; i++) ls[i]!.completed(latencyS, quality, freshnessS, waitedS);
  }

  /** A request failed for good (measured or not). */
  drop(measured: boolean, reason: RunDropReason): void {
    if (!measured) return;
    const ls = this.onDropped;
    for (let i = 0; i < ls.length; i++) ls[i]!.dropped(reason);
  }

  /** Retrying clients: an attempt was sent for a request (measured or not). */
  attempt(measured: boolean): void {
    if (!measured) return;
    const ls = this.onAttempt;
    for (let i = 0; i < ls.length; i++) ls[i]!.attemptSent();
  }

  /** Retrying clients: a retry was scheduled or refused by the budget. */
  retry(measured: boolean, allowed: boolean): void {
    if (!measured) return;
    const ls = this.onRetry;
    for (let i = 0; i < ls.length; i++) ls[i]!.retry(allowed);
  }

  /** Retrying clients: an answer to an abandoned attempt was thrown away. */
  wasted(measured: boolean): void {
    if (!measured) return;
    const ls = this.onWasted;
    for (let i = 0; i < ls.length; i++) ls[i]!.answerWasted();
  }

  /** Retrying clients: a request ended after `attempts` attempts. */
  callEnded(measured: boolean, attempts: number): void {
    if (!measured) return;
    const ls = this.onCallEnded;
    for (let i = 0; i < ls.length; i++) ls[i]!.callEnded(attempts);
  }

  /** The run's collector of `kind`. */
  of<C extends RunCollector>(kind: RunCollectorKind<C>): C | undefined {
    const i = this.kinds.indexOf(kind as unknown as RunCollectorKind);
    return i < 0 ? undefined : (this.collectors[i] as C);
  }

  /** Every collector's keys, in registry order (`ServingSystem.result` puts them in the contract's order). */
  fragments(run: Omit<RunContext, 'of'>): Partial<RunResult> {
    const ctx: RunContext = { ...run, of: (k) => this.of(k) };
    const out: Partial<RunResult> = {};
    for (const c of this.collectors) Object.assign(out, c.result(ctx));
    return out;
  }
}
