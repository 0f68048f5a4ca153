/**
 * Per-window figures of each request class (issue 16), on the windows of the run's time
 * series (`timeSeries.classes.<name>`, aligned with `timeSeries.startS`). Like the run's
 * series it covers the whole run, warm-up included, and counts every arrival, completion
 * and drop, so in each window the classes' counts add up to the run's. Told directly by
 * `ServingSystem` (as `ClassMetrics` is), and only when the scenario declares `classes`.
 */
import { selectKth } from '../../engine/index.ts';

/** One class's figures per window. */
export interface ClassSeries {
  arrivals: number[];
  completions: number[];
  /** Drops of any kind, admission control's sheds included. */
  drops: number[];
  /** Latency quantiles of the class's requests completed in the window (exact order statistic of rank ⌊q·(n−1)⌋, as the run's); null when none did. */
  p50Ms: Array<number | null>;
  p99Ms: Array<number | null>;
}

/** One class's counters and the latencies of its open window. */
class ClassWindows {
  readonly arrivals: number[] = [];
  readonly completions: number[] = [];
  readonly drops: number[] = [];
  readonly p50: Array<number | null> = [];
  readonly p99: Array<number | null> = [];
  /** Latencies (seconds) of window `open`, `openCount` of them. */
  private openLatencies = new Float64Array(64);
  private openCount = 0;
  private open = 0;

  count(list: number[], k: number): void {
    while (list.length <= k) list.push(0);
    list[k]!++;
  }

  /** A completion in window `k` (completions come in time order, so earlier windows are done). */
  completed(k: number, latencyS: number): void {
    this.closeBefore(k);
    this.count(this.completions, k);
    if (this.openCount === this.openLatencies.length) {
      const bigger = new Float64Array(this.openLatencies.length * 2);
      bigger.set(this.openLatencies);
      this.openLatencies = bigger;
    }
    this.openLatencies[this.openCount++] = latencyS;
  }

  /** Writes the quantiles of every window before `k`. */
  closeBefore(k: number): void {
    while (this.open < k) {
      const n = this.openCount;
      if (n > 0) {
        // PERF: two quickselects instead of sorting the window, as the run's series does.
        this.p99.push(selectKth(this.openLatencies, n, Math.floor(0.99 * (n - 1))) * 1000);
        this.p50.push(selectKth(this.openLatencies, n, Math.floor(0.5 * (n - 1))) * 1000);
        this.openCount = 0;
      } else {
        this.p50.push(null);
        this.p99.push(null);
      }
      this.open++;
    }
  }

  /** The first `n` windows. */
  result(n: number): ClassSeries {
    this.closeBefore(n);
    const counts = (list: number[]) => Array.from({ length: n }, (_, k) => list[k] ?? 0);
    return { arrivals: counts(this.arrivals), completions: counts(this.completions), drops: counts(this.drops), p50Ms: this.p50.slice(0, n), p99Ms: this.p99.slice(0, n) };
  }
}

/** Records each class's per-window counts and latency quantiles. */
export class ClassSeriesRecorder {
  private readonly classes: ClassWindows[];

  constructor(
    private readonly names: readonly string[],
    private readonly windowS: number,
  ) {
    this.classes = names.map(() => new ClassWindows());
  }

  /** An arrival of class `k` at `nowS`. */
  arrival(k: number, nowS: number): void {
    const c = this.classes[k]!;
    c.count(c.arrivals, Math.floor(nowS / this.windowS));
  }

  /** A completion of class `k` at `nowS`, `latencyS` after it arrived. */
  completion(k: number, nowS: number, latencyS: number): void {
    this.classes[k]!.completed(Math.floor(nowS / this.windowS), latencyS);
  }

  /** A drop (or shed) of class `k` at `nowS`. */
  drop(k: number, nowS: number): void {
    const c = this.classes[k]!;
    c.count(c.drops, Math.floor(nowS / this.windowS));
  }

  /** Every class's series over the run's `windows` windows, by class name in the scenario's order. */
  result(windows: number): Record<string, ClassSeries> {
    const out: Record<string, ClassSeries> = {};
    this.names.forEach((name, i) => {
      out[name] = this.classes[i]!.result(windows);
    });
    return out;
  }
}
