import type { LlmReplicaHooks } from './llm-replica.ts';

/** What a `RunningSetMeter` has seen up to an instant (differences of two give a window). */
export interface RunningSetSnapshot {
  /** The instant, in seconds. */
  readonly timeS: number;
  /** ∫ (sequences in the step in flight) dt up to `timeS`, in sequence-seconds (0 while idle). */
  readonly runningIntegralS: number;
  /** Requests reported finished (`finished`) up to `timeS`. */
  readonly finished: number;
  /** Σ over those requests of their time in the running set, in seconds. */
  readonly runningTimeSumS: number;
}

/**
 * Measures the running set of one `LlmReplica` for Little's law (`littlesLaw` in
 * theory.ts): the time integral of the sequences in each step, and each request's time
 * from the start of its first step to the end of its last. Hand `hooks` to the replica
 * and call `finished(req)` from its listener's `finish`.
 *
 * It sees sequences through the steps that schedule them, so it equals the running list
 * only while every running sequence is in every step and none is preempted (a preempted
 * request's waiting time then counts as running time); `theoryLimits('little')` says when.
 * LlmCounters keep no time-weighted running count, hence this observer.
 */
export class RunningSetMeter<R> {
  /** Hooks to pass to the replica's constructor. */
  readonly hooks: LlmReplicaHooks<R>;
  private integral = 0;
  private stepEndS = 0;
  private stepSeqs = 0;
  private finishedCount = 0;
  private timeSum = 0;
  /** Per request in the running set: the start of its first step and the end of its last so far. */
  private readonly spans = new Map<R, { startS: number; endS: number }>();
  private readonly inStep: R[] = [];

  constructor() {
    this.hooks = {
      onScheduled: (startS, req) => {
        if (!this.spans.has(req)) this.spans.set(req, { startS, endS: startS });
        this.inStep.push(req);
      },
      onStep: (startS, durationS, seqs) => {
        const endS = startS + durationS;
        for (const req of this.inStep) this.spans.get(req)!.endS = endS;
        this.inStep.length = 0;
        this.integral += seqs * durationS;
        this.stepEndS = endS;
        this.stepSeqs = seqs;
      },
    };
  }

  /** `req` finished (call from the listener's `finish`, which runs at the end of its last step). */
  finished(req: R): void {
    const span = this.spans.get(req);
    if (span === undefined) throw new Error('RunningSetMeter: a request finished that no step scheduled');
    this.spans.delete(req);
    this.finishedCount++;
    this.timeSum += span.endS - span.startS;
  }

  /** Totals up to `nowS` (the part of the step in flight after `nowS` is not counted). */
  snapshot(nowS: number): RunningSetSnapshot {
    const ahead = this.stepEndS > nowS ? this.stepSeqs * (this.stepEndS - nowS) : 0;
    return { timeS: nowS, runningIntegralS: this.integral - ahead, finished: this.finishedCount, runningTimeSumS: this.timeSum };
  }
}
