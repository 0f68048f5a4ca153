/**
 * Per-window series of an LLM stage (issue 14), on the windows of the run's time series
 * (`timeSeries.windowS`), over the whole run like it (warm-up included; `warmupEndS` says
 * where measurement starts):
 *
 * - TTFT and TPOT quantiles of the requests that finished in the window (exact order
 *   statistics of rank ⌊q·(n−1)⌋, as the run's latency series), null when none did;
 * - output tokens of those requests per second of the window;
 * - KV cache utilization, a time average over the window and the replicas: the blocks a
 *   replica holds change only when a step is planned (allocations, preemptions) and at a
 *   step's end (releases), and are 0 while it is idle, so Σ over steps of
 *   (blocks held after planning × the step's time in the window) is exact;
 * - sequences per replica: the time average of the batch a replica runs, Σ seqs × step
 *   time in the window / (window length × replicas) (0 while idle).
 *
 * On an autoscaled stage the replicas change: both averages are then over the window's
 * serving replica-seconds (ready or draining replicas × time, `servingChanged`) instead of
 * the window length × the replicas at the start.
 *
 * Memory: a few numbers per closed window plus the open window's finished requests.
 */

/** The `llm.series` section: one entry per window, aligned with `timeSeries.startS`. */
export interface LlmSeriesResult {
  windowS: number;
  startS: number[];
  ttftP50Ms: Array<number | null>;
  ttftP99Ms: Array<number | null>;
  tpotP50Ms: Array<number | null>;
  tpotP99Ms: Array<number | null>;
  outputTokensPerS: number[];
  kvUtilization: number[];
  batchSeqs: number[];
}

/** Exact order statistic of rank ⌊q·(n−1)⌋ of sorted values, in ms; null when empty. */
function quantileMs(sorted: Float64Array, q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.floor(q * (sorted.length - 1))]! * 1000;
}

/** Accumulates one LLM stage's per-window figures (window k covers [k·windowS, (k+1)·windowS)). */
export class LlmSeries {
  private readonly ttftP50: Array<number | null> = [];
  private readonly ttftP99: Array<number | null> = [];
  private readonly tpotP50: Array<number | null> = [];
  private readonly tpotP99: Array<number | null> = [];
  private readonly outTokens: number[] = [];
  /** Per window: ∫ (held blocks / kvBlocks) dt summed over replicas, and ∫ seqs dt. */
  private readonly kvArea: number[] = [];
  private readonly seqArea: number[] = [];
  private openTtft: number[] = [];
  private openTpot: number[] = [];
  private openOut = 0;
  /** Index of the open window (requests finishing now land in it). */
  private open = 0;
  /** Per window: ∫ serving replicas dt, once the count has changed (null while it never has). */
  private servingArea: number[] | null = null;
  private servingNow: number;
  private servingSinceS = 0;

  constructor(
    readonly windowS: number,
    /** Replicas of the stage (KV utilization is averaged over them). */
    private readonly replicas: number,
  ) {
    this.servingNow = replicas;
  }

  /** Adds `n` × (the part of [a, b) in each window) to `area`. */
  private spread(area: number[], a: number, b: number, n: number): void {
    const w = this.windowS;
    while (a < b) {
      const k = Math.floor(a / w);
      const e = Math.min(b, (k + 1) * w);
      area[k] = (area[k] ?? 0) + n * (e - a);
      if (e <= a) break; // a window end not representable beyond a: no progress possible
      a = e;
    }
  }

  /** The stage's serving replicas (ready or draining) are `n` from `nowS` on (an autoscaled stage). */
  servingChanged(nowS: number, n: number): void {
    this.servingArea ??= [];
    this.spread(this.servingArea, this.servingSinceS, nowS, this.servingNow);
    this.servingNow = n;
    this.servingSinceS = nowS;
  }

  private closeUntil(nowS: number): void {
    const k = Math.floor(nowS / this.windowS);
    while (this.open < k) {
      const t = Float64Array.from(this.openTtft).sort();
      const p = Float64Array.from(this.openTpot).sort();
      const i = this.open;
      this.ttftP50[i] = quantileMs(t, 0.5);
      this.ttftP99[i] = quantileMs(t, 0.99);
      this.tpotP50[i] = quantileMs(p, 0.5);
      this.tpotP99[i] = quantileMs(p, 0.99);
      this.outTokens[i] = this.openOut;
      this.openTtft = [];
      this.openTpot = [];
      this.openOut = 0;
      this.open++;
    }
  }

  /** A request finished at `nowS` (the event's time) with these figures (seconds). */
  finished(nowS: number, ttftS: number, tpotS: number | null, outputTokens: number): void {
    this.closeUntil(nowS);
    this.openTtft.push(ttftS);
    if (tpotS !== null) this.openTpot.push(tpotS);
    this.openOut += outputTokens;
  }

  /** A step of `seqs` sequences runs over [startS, startS + durationS) holding `kvShare` of its replica's blocks. */
  step(startS: number, durationS: number, seqs: number, kvShare: number): void {
    const w = this.windowS;
    let a = startS;
    const end = startS + durationS;
    // A step may span several windows: each gets its part.
    while (a < end) {
      const k = Math.floor(a / w);
      const b = Math.min(end, (k + 1) * w);
      this.kvArea[k] = (this.kvArea[k] ?? 0) + kvShare * (b - a);
      this.seqArea[k] = (this.seqArea[k] ?? 0) + seqs * (b - a);
      if (b <= a) break; // a window end not representable beyond a: no progress possible
      a = b;
    }
  }

  /** The series up to `endS`, in as many windows as the run's time series (the last one partial). */
  result(endS: number): LlmSeriesResult {
    const w = this.windowS;
    let n = 0;
    while (n * w < endS - 1e-12 * w) n++;
    this.closeUntil(n * w);
    const at = <T>(xs: T[], i: number, empty: T): T => (i < xs.length && xs[i] !== undefined ? xs[i]! : empty);
    const idx = Array.from({ length: n }, (_, i) => i);
    // The last window may be partial: rates and averages are over its covered length.
    const len = (i: number) => Math.max(0, Math.min(w, endS - i * w)) || w;
    const served = this.servingArea;
    if (served !== null) this.spread(served, this.servingSinceS, endS, this.servingNow);
    this.servingSinceS = Math.max(this.servingSinceS, endS);
    // Per replica: over the serving replica-seconds when the count changed, else the window × replicas.
    const perReplica = (area: number[], i: number): number => {
      if (served === null) return at(area, i, 0) / len(i) / this.replicas;
      const r = at(served, i, 0);
      return r > 0 ? at(area, i, 0) / r : 0;
    };
    return {
      windowS: w,
      startS: idx.map((i) => i * w),
      ttftP50Ms: idx.map((i) => at(this.ttftP50, i, null)),
      ttftP99Ms: idx.map((i) => at(this.ttftP99, i, null)),
      tpotP50Ms: idx.map((i) => at(this.tpotP50, i, null)),
      tpotP99Ms: idx.map((i) => at(this.tpotP99, i, null)),
      outputTokensPerS: idx.map((i) => at(this.outTokens, i, 0) / len(i)),
      kvUtilization: idx.map((i) => perReplica(this.kvArea, i)),
      batchSeqs: idx.map((i) => perReplica(this.seqArea, i)),
    };
  }
}
