import type { Rng, Simulation, Timer } from '../engine/index.ts';
import type { RunMetrics } from './metrics/run-metrics.ts';
import { Request } from './request.ts';

/** Settings of retrying clients (seconds). */
export interface RetryConfig {
  timeoutS: number;
  maxAttempts: number;
  backoffBaseS: number;
  backoffMaxS: number;
  jitter: 'full' | 'none';
  /** Retry budget: retries ≤ ratio × first attempts + minPerSecond × window, over a sliding window; null for none. */
  budget: { ratio: number; minPerSecond: number } | null;
}

/** A client's logical request, across its attempts. */
export class Call {
  attempts = 0;
  done = false;
  /** The attempt the client is waiting on, and its timeout. */
  current: Request | null = null;
  timer: Timer | null = null;
  constructor(
    readonly id: number,
    readonly arrivalS: number,
    readonly measured: boolean,
    readonly attrs: readonly number[] | null,
    /** The user the call belongs to (every attempt carries it). */
    readonly key = -1,
  ) {}
}

/** Sliding window of the retry budget (Finagle's RetryBudget keeps 10 s). */
const BUDGET_WINDOW_S = 10;

/**
 * Clients that time out and retry. An attempt not answered within `timeout`, or
 * turned away (queue full, deadline), is abandoned: the client retries after an
 * exponential backoff (base × 2^(n−1), capped, with full jitter) while attempts and
 * the budget allow, else the call fails. An abandoned attempt still in the system
 * keeps using capacity and its answer is thrown away: under overload, this is how
 * retries multiply load into a retry storm.
 */
export class RetryClient {
  private readonly firsts = new Float64Array(BUDGET_WINDOW_S);
  private readonly retriesIn = new Float64Array(BUDGET_WINDOW_S);
  private bucketSecond = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly cfg: RetryConfig,
    private readonly jitterRng: Rng,
    /** Hands an attempt to the first stage. */
    private readonly send: (req: Request) => void,
    /** A call succeeded now, answered by attempt `req`. */
    private readonly succeeded: (call: Call, req: Request) => void,
    /** A call failed for good; `timedOut` when its last attempt timed out. */
    private readonly failed: (call: Call, timedOut: boolean) => void,
    /** The run's collectors, told of attempts, retries and wasted answers (`metrics/run-retries.ts`). */
    private readonly metrics: RunMetrics,
  ) {}

  /** A new logical request arrives. */
  start(call: Call): void {
    this.rollBudget();
    this.firsts[this.bucketSecond % BUDGET_WINDOW_S]!++;
    this.attempt(call);
  }

  private attempt(call: Call): void {
    call.attempts++;
    this.metrics.attempt(call.measured);
    const req = new Request(call.id, this.sim.now, call.measured);
    req.attrs = call.attrs;
    req.key = call.key;
    req.call = call;
    call.current = req;
    call.timer = this.sim.timer(this.cfg.timeoutS, this.onTimeout, req);
    this.send(req);
  }

  private readonly onTimeout = (req: Request): void => {
    const call = req.call!;
    if (call.done || call.current !== req) return;
    call.current = null;
    call.timer = null;
    this.retryOrFail(call, true);
  };

  /** An attempt finished its last stage. */
  answered(req: Request): void {
    const call = req.call!;
    if (call.done || call.current !== req) {
      this.metrics.wasted(call.measured);
      return;
    }
    call.timer?.cancel();
    call.done = true;
    call.current = null;
    this.metrics.callEnded(call.measured, call.attempts);
    this.succeeded(call, req);
  }

  /** An attempt was turned away by a stage. */
  rejected(req: Request, timedOut: boolean): void {
    const call = req.call!;
    if (call.done || call.current !== req) return;
    call.timer?.cancel();
    call.timer = null;
    call.current = null;
    this.retryOrFail(call, timedOut);
  }

  private retryOrFail(call: Call, timedOut: boolean): void {
    if (call.attempts < this.cfg.maxAttempts) {
      if (this.budgetAllows()) {
        this.retriesIn[this.bucketSecond % BUDGET_WINDOW_S]!++;
        this.metrics.retry(call.measured, true);
        const n = call.attempts; // the next attempt is number n + 1
        const cap = Math.min(this.cfg.backoffMaxS, this.cfg.backoffBaseS * 2 ** (n - 1));
        const delay = this.cfg.jitter === 'full' ? this.jitterRng() * cap : cap;
        this.sim.schedule(delay, this.resend, call);
        return;
      }
      this.metrics.retry(call.measured, false);
    }
    call.done = true;
    this.metrics.callEnded(call.measured, call.attempts);
    this.failed(call, timedOut);
  }

  private readonly resend = (call: Call): void => {
    this.attempt(call);
  };

  /** Moves the budget's one-second buckets up to now, clearing the ones that left the window. */
  private rollBudget(): void {
    const s = Math.floor(this.sim.now);
    while (this.bucketSecond < s) {
      this.bucketSecond++;
      const i = this.bucketSecond % BUDGET_WINDOW_S;
      this.firsts[i] = 0;
      this.retriesIn[i] = 0;
    }
  }

  private budgetAllows(): boolean {
    const b = this.cfg.budget;
    if (b === null) return true;
    this.rollBudget();
    let firsts = 0;
    let retries = 0;
    for (let i = 0; i < BUDGET_WINDOW_S; i++) {
      firsts += this.firsts[i]!;
      retries += this.retriesIn[i]!;
    }
    return retries + 1 <= b.ratio * firsts + b.minPerSecond * BUDGET_WINDOW_S;
  }
}
