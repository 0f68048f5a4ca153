import { selectKth, type TimeWeighted } from '../engine/index.ts';
import type { ClassSeries } from './metrics/class-series.ts';

/** Per-window figures of one stage. */
export interface StageSeries {
  /** Time-average number of waiting requests in the window. */
  queueLength: number[];
  /** Time-average number of replicas serving in the window. */
  replicas: number[];
  /** Time-average share of serving capacity busy in the window. */
  utilization: number[];
  /** Stages with a cache: share of the window's lookups that hit (null with none). */
  hitRatio?: Array<number | null>;
  /** Stages whose cache is partitioned by class: each partition's share of its window's lookups that hit, by class name. */
  cachePartitions?: Record<string, { hitRatio: Array<number | null> }>;
}

/**
 * Figures per window of simulated time (window k covers [k·windowS, (k+1)·windowS);
 * the last one ends with the run). Covers the whole run, warm-up included, so a
 * reader sees the system warm up; `warmupEndS` marks where measurement starts.
 */
export interface SeriesResult {
  windowS: number;
  warmupEndS: number;
  /** Start of each window (seconds). */
  startS: number[];
  arrivals: number[];
  completions: number[];
  /** Drops of any kind (queue full, deadline, lost from a buffer). */
  drops: number[];
  /**
   * Latency quantiles of the requests completed in the window (exact: the order
   * statistic of rank ⌊q·(n−1)⌋); null when none did.
   */
  p50Ms: Array<number | null>;
  p99Ms: Array<number | null>;
  /** Hourly bill of the replicas paid for in the window (time average). */
  costPerHourUsd: number[];
  stages: Record<string, StageSeries>;
  /**
   * Per request class, by name (issue 16, `metrics/class-series.ts`): in each window the
   * classes' arrivals, completions and drops add up to the run's. Only when the scenario
   * declares `classes`.
   */
  classes?: Record<string, ClassSeries>;
}

/** What the recorder reads from a stage. */
export interface SeriesStageProbe {
  name: string;
  queueLength: TimeWeighted;
  busy: TimeWeighted;
  /** Serving capacity in slots over time (replicas ready × concurrency). */
  slots: TimeWeighted;
  /** Replicas ready to serve over time. */
  readyReplicas: TimeWeighted;
  /** Replicas paid for over time (requested, ready or draining). */
  billedReplicas: TimeWeighted;
  usdPerHour: number;
}

/**
 * Records per-window series: counters, the latencies of the open window only (sorted
 * when it closes, so its quantiles are exact), and differences of lifetime integrals
 * at boundaries. Memory is a few numbers per closed window plus the open window's
 * completions, never the run's.
 * Windows close lazily, when simulated time first passes their end.
 */
export class TimeSeriesRecorder {
  readonly windowS: number;
  private readonly startS: number[] = [];
  private readonly arrivals: number[] = [];
  private readonly completions: number[] = [];
  private readonly drops: number[] = [];
  private readonly p50: Array<number | null> = [];
  private readonly p99: Array<number | null> = [];
  private readonly cost: number[] = [];
  private readonly stageSeries: StageSeries[];
  /** Latencies (seconds) of the open window, `openCount` of them. */
  private openLatencies = new Float64Array(1024);
  private openCount = 0;
  private closed = 0;
  private lastIntegrals: Float64Array;
  /** Cache lookups and hits per window, for stages with a cache. */
  private readonly cacheCounts = new Map<number, { lookups: number[]; hits: number[] }>();
  /** The same per class index, for stages whose cache is partitioned by class (`partitioned`). */
  private readonly partitionCounts = new Map<number, { names: Array<[number, string]>; lookups: number[][]; hits: number[][] }>();

  constructor(
    windowS: number,
    private readonly probes: readonly SeriesStageProbe[],
    /** Most windows a run may make; memory and output grow with them. */
    private readonly maxWindows = Infinity,
    /** Called (and must throw) when time reaches window number `maxWindows`. */
    private readonly tooManyWindows: (nowS: number) => never = (nowS) => {
      throw new RangeError(`time series: ${nowS} s is past window ${maxWindows}`);
    },
  ) {
    this.windowS = windowS;
    this.stageSeries = probes.map(() => ({ queueLength: [], replicas: [], utilization: [] }));
    // Per stage: queue, busy, slots, ready, billed lifetime integrals at the last boundary.
    this.lastIntegrals = new Float64Array(probes.length * 5);
    this.nextBoundaryS = windowS;
  }

  /** End of the open window: `advance` closes windows only when time passes it. */
  private nextBoundaryS = 0;

  /**
   * Closes every window that ended at or before `nowS`. Stages call it before they change
   * any time-weighted quantity, so the integrals read at a boundary are exact (nothing
   * changed between the boundary and now). No timer events: an idle stretch costs nothing.
   */
  advance(nowS: number): void {
    if (nowS >= this.nextBoundaryS) {
      this.closeUpTo(Math.floor(nowS / this.windowS) * this.windowS);
      this.nextBoundaryS = (this.closed + 1) * this.windowS;
    }
  }

  private ensure(idx: number): void {
    if (idx >= this.maxWindows) this.tooManyWindows(idx * this.windowS);
    while (this.arrivals.length <= idx) {
      this.startS.push(this.arrivals.length * this.windowS);
      this.arrivals.push(0);
      this.completions.push(0);
      this.drops.push(0);
    }
  }

  /**
   * PERF: the last window an arrival, completion or drop fell in (`ensure`d), and a range
   * strictly inside it, [fastLoS, fastHiS), narrowed by a relative 1e-12 at each end, so
   * that Math.floor(nowS / windowS) is `fastK` for every time in it whatever the division
   * rounds to (its error is about 1e-16 relative). Inside the range the division and
   * `ensure` are skipped; outside it the code below runs as before and moves the range.
   */
  private fastK = 0;
  private fastLoS = Infinity;
  private fastHiS = -Infinity;

  /** Window `k` (ensured) now holds `nowS`: later times in it take the fast path. */
  private remember(k: number): void {
    this.fastK = k;
    this.fastLoS = k === 0 ? 0 : k * this.windowS * (1 + 1e-12);
    this.fastHiS = (k + 1) * this.windowS * (1 - 1e-12);
  }

  /** The window `nowS` falls in, ensured (arrivals and drops: a completion may first close windows). */
  private windowOf(nowS: number): number {
    if (nowS >= this.fastLoS && nowS < this.fastHiS) return this.fastK;
    const k = Math.floor(nowS / this.windowS);
    this.ensure(k);
    this.remember(k);
    return k;
  }

  /** An arrival at `nowS`. */
  arrival(nowS: number): void {
    this.arrivals[this.windowOf(nowS)]!++;
  }

  /** A completion at `nowS` with its end-to-end latency. */
  completion(nowS: number, latencyS: number): void {
    if (nowS >= this.fastLoS && nowS < this.fastHiS && this.fastK <= this.closed) this.completions[this.fastK]!++;
    else {
      const k = Math.floor(nowS / this.windowS);
      if (k > this.closed) this.advance(nowS);
      this.ensure(k);
      this.completions[k]!++;
      this.remember(k);
    }
    if (this.openCount === this.openLatencies.length) {
      const bigger = new Float64Array(this.openLatencies.length * 2);
      bigger.set(this.openLatencies);
      this.openLatencies = bigger;
    }
    this.openLatencies[this.openCount++] = latencyS;
  }


  /** Stage number `stage`'s cache is partitioned: record each partition's lookups too (class index and name of each). */
  partitioned(stage: number, parts: ReadonlyArray<{ classIndex: number; className: string }>): void {
    const n = Math.max(0, ...parts.map((p) => p.classIndex + 1));
    this.partitionCounts.set(stage, {
      names: parts.map((p) => [p.classIndex, p.className]),
      lookups: Array.from({ length: n }, () => []),
      hits: Array.from({ length: n }, () => []),
    });
  }

  /** A cache lookup at stage number `stage` (in probe order) at `nowS`, by a request of class `classIndex`. */
  lookup(stage: number, nowS: number, hit: boolean, classIndex = 0): void {
    const k = Math.floor(nowS / this.windowS);
    if (k >= this.maxWindows) this.tooManyWindows(nowS);
    let c = this.cacheCounts.get(stage);
    if (c === undefined) {
      c = { lookups: [], hits: [] };
      this.cacheCounts.set(stage, c);
    }
    while (c.lookups.length <= k) {
      c.lookups.push(0);
      c.hits.push(0);
    }
    c.lookups[k]!++;
    if (hit) c.hits[k]!++;
    const pc = this.partitionCounts.get(stage);
    if (pc !== undefined) {
      const lookups = pc.lookups[classIndex]!;
      const hits = pc.hits[classIndex]!;
      while (lookups.length <= k) {
        lookups.push(0);
        hits.push(0);
      }
      lookups[k]!++;
      if (hit) hits[k]!++;
    }
  }

  /** A drop at `nowS`. */
  drop(nowS: number): void {
    this.drops[this.windowOf(nowS)]!++;
  }

  /** Closes every window that ends at or before `endS` (the last may be partial). */
  private closeUpTo(endS: number): void {
    while (this.closed * this.windowS < endS - 1e-12 * this.windowS) {
      const k = this.closed;
      const to = Math.min((k + 1) * this.windowS, endS);
      const span = to - k * this.windowS;
      this.ensure(k);
      if (this.openCount > 0) {
        // PERF: two quickselects instead of sorting the window (O(n), not O(n log n)).
        // The median first: it leaves the larger half in buf[k50 + 1..n), so the p99
        // (at or above it) is selected among those alone, half the elements.
        const n = this.openCount;
        const buf = this.openLatencies;
        const k50 = Math.floor(0.5 * (n - 1));
        const k99 = Math.floor(0.99 * (n - 1));
        const p50 = selectKth(buf, n, k50);
        this.p50.push(p50 * 1000);
        this.p99.push((k99 === k50 ? p50 : selectKth(buf, n, k99, k50 + 1)) * 1000);
        this.openCount = 0;
      } else {
        this.p50.push(null);
        this.p99.push(null);
      }
      let costRate = 0;
      this.probes.forEach((p, i) => {
        const base = i * 5;
        const q = p.queueLength.lifetimeIntegral(to);
        const b = p.busy.lifetimeIntegral(to);
        const sl = p.slots.lifetimeIntegral(to);
        const r = p.readyReplicas.lifetimeIntegral(to);
        const bi = p.billedReplicas.lifetimeIntegral(to);
        const L = this.lastIntegrals;
        const ser = this.stageSeries[i]!;
        ser.queueLength.push((q - L[base]!) / span);
        ser.replicas.push((r - L[base + 3]!) / span);
        const slotTime = sl - L[base + 2]!;
        ser.utilization.push(slotTime > 0 ? (b - L[base + 1]!) / slotTime : 0);
        costRate += ((bi - L[base + 4]!) / span) * p.usdPerHour;
        L[base] = q;
        L[base + 1] = b;
        L[base + 2] = sl;
        L[base + 3] = r;
        L[base + 4] = bi;
      });
      this.cost.push(costRate);
      this.closed++;
    }
  }

  /** The series up to `endS` (closes the last, partial window). */
  result(endS: number, warmupEndS: number): SeriesResult {
    this.closeUpTo(endS);
    const n = this.closed;
    const stages: Record<string, StageSeries> = {};
    this.probes.forEach((p, i) => {
      stages[p.name] = this.stageSeries[i]!;
      const ratios = (lookups: number[], hits: number[]) =>
        Array.from({ length: n }, (_, k) => {
          const l = lookups[k] ?? 0;
          return l > 0 ? hits[k]! / l : null;
        });
      const c = this.cacheCounts.get(i);
      if (c !== undefined) stages[p.name]!.hitRatio = ratios(c.lookups, c.hits);
      const pc = this.partitionCounts.get(i);
      if (pc !== undefined) {
        const parts: Record<string, { hitRatio: Array<number | null> }> = {};
        for (const [k, name] of pc.names) parts[name] = { hitRatio: ratios(pc.lookups[k]!, pc.hits[k]!) };
        stages[p.name]!.cachePartitions = parts;
      }
    });
    return {
      windowS: this.windowS,
      warmupEndS,
      startS: this.startS.slice(0, n),
      arrivals: this.arrivals.slice(0, n),
      completions: this.completions.slice(0, n),
      drops: this.drops.slice(0, n),
      p50Ms: this.p50.slice(0, n),
      p99Ms: this.p99.slice(0, n),
      costPerHourUsd: this.cost.slice(0, n),
      stages,
    };
  }
}
