import { QuantileSketch, Simulation, type Seed } from '../engine/index.ts';
import type { Scenario } from '../config/schema.ts';
import { makeArrivals, type ArrivalProcess } from './arrivals/index.ts';
import { buildStages, type BuiltStage } from './build-stage.ts';
import { costOf } from './cost.ts';
import { overloadWarnings } from './load-check.ts';
import { Request } from './request.ts';
import type { RunResult, SloResult, StageResult } from './result.ts';
import type { Stage } from './stage.ts';

/** Options of one run. */
export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: Seed;
  /** Called now and then with the share of the run done (0..1). */
  onProgress?: (fraction: number) => void;
}

const MS = 1000;
/** Arrivals between two progress callbacks (a power of two: the check is a mask). */
const PROGRESS_EVERY = 1 << 16;

/** Exact mean and quantiles (rank ⌊q·(n−1)⌋) of batch sizes from their counts. */
function batchSummary(counts: Float64Array): { mean: number; p50: number; p99: number } {
  let n = 0;
  let sum = 0;
  for (let b = 1; b < counts.length; b++) {
    n += counts[b]!;
    sum += b * counts[b]!;
  }
  if (n === 0) return { mean: NaN, p50: NaN, p99: NaN };
  const at = (q: number): number => {
    const rank = Math.floor(q * (n - 1));
    let cum = 0;
    for (let b = 1; b < counts.length; b++) {
      cum += counts[b]!;
      if (cum > rank) return b;
    }
    return counts.length - 1;
  };
  return { mean: sum / n, p50: at(0.5), p99: at(0.99) };
}

/**
 * A scenario made runnable: arrivals feeding a pipeline of stages. Arrivals stop at
 * the scenario's `stop` (a count of arrivals, warm-up included, or a time), then
 * the run drains: every arrived request ends completed or dropped, so no figure is
 * biased against slow requests that were still in flight.
 */
export class ServingSystem {
  readonly sim: Simulation;
  readonly built: BuiltStage[];
  readonly stages: Stage[];
  readonly arrivals: ArrivalProcess;
  /** End-to-end latency of measured completed requests (seconds). */
  readonly latency = new QuantileSketch();

  /** Arrivals so far, warm-up included. */
  arrivedTotal = 0;
  /** Measured arrivals, completions, drops (timeouts included) and timeouts. */
  arrived = 0;
  completed = 0;
  dropped = 0;
  timedOut = 0;
  /** Measured completions within the SLO's latency target. */
  withinSlo = 0;
  /**
   * Completions of any request (warm-up ones included) after warm-up, and those within
   * the SLO target: rates over the measured span count every departure in it, so a
   * queue full of warm-up requests at the start does not bias throughput down.
   */
  departures = 0;
  departuresWithinSlo = 0;
  /** Sum and count of the quality figures of measured completions served by a model. */
  qualitySum = 0;
  qualityCount = 0;
  /** When measurement started (end of warm-up); Infinity before. */
  warmupEndS = Infinity;

  private readonly seed: Seed;
  private readonly stopRequests: number;
  private readonly stopS: number;
  private readonly warmupRequests: number;
  private readonly warmupS: number;
  private readonly sloLatencyS: number;
  private readonly onProgress: ((f: number) => void) | undefined;
  private finishedTotal = 0;

  constructor(
    readonly scenario: Scenario,
    options: RunOptions = {},
  ) {
    this.seed = options.seed ?? scenario.seed ?? 1;
    this.onProgress = options.onProgress;
    this.sim = new Simulation({ seed: this.seed });
    this.arrivals = makeArrivals(scenario.arrivals, this.sim);
    this.stopRequests = scenario.stop.requests ?? Infinity;
    this.stopS = scenario.stop.duration ?? Infinity;
    this.warmupRequests = scenario.warmup?.requests ?? 0;
    this.warmupS = scenario.warmup?.duration ?? 0;
    this.sloLatencyS = scenario.slo?.latencyS ?? Infinity;

    this.built = buildStages(scenario, this.sim);
    this.stages = this.built.map((b) => b.stage);
    const last = this.stages.length - 1;
    this.stages.forEach((st, i) => {
      st.onDone = i < last ? this.stages[i + 1]!.accept : this.complete;
      st.onDrop = this.drop;
    });

    if (this.warmupRequests === 0 && this.warmupS === 0) this.startMeasuring(0);
    else if (this.warmupS > 0) this.sim.scheduleAt(this.warmupS, () => this.startMeasuring(this.sim.now));
    const first = this.arrivals.next(0);
    if (first < this.stopS) this.sim.scheduleAt(first, this.arrive);
  }

  /** Requests in the system now (measured or not). */
  get inFlight(): number {
    return this.arrivedTotal - this.finishedTotal;
  }

  private startMeasuring(nowS: number): void {
    if (this.warmupEndS !== Infinity) return;
    this.warmupEndS = nowS;
    for (const st of this.stages) st.resetStats(nowS);
  }

  private readonly arrive = (): void => {
    const now = this.sim.now;
    const index = this.arrivedTotal++;
    const measured = index >= this.warmupRequests && now >= this.warmupS;
    if (measured) {
      if (this.warmupEndS === Infinity) this.startMeasuring(now);
      this.arrived++;
    }
    if (this.arrivedTotal < this.stopRequests) {
      const next = this.arrivals.next(now);
      if (next < this.stopS) this.sim.scheduleAt(next, this.arrive);
    }
    if (this.onProgress !== undefined && (this.arrivedTotal & (PROGRESS_EVERY - 1)) === 0) this.reportProgress(now);
    this.stages[0]!.accept(new Request(index, now, measured));
  };

  private readonly complete = (req: Request): void => {
    this.finishedTotal++;
    const latency = this.sim.now - req.arrivalS;
    if (this.warmupEndS !== Infinity) {
      this.departures++;
      if (latency < this.sloLatencyS) this.departuresWithinSlo++;
    }
    if (!req.measured) return;
    this.completed++;
    this.latency.record(latency);
    if (latency < this.sloLatencyS) this.withinSlo++;
    if (req.quality === req.quality) {
      this.qualitySum += req.quality;
      this.qualityCount++;
    }
  };

  private readonly drop = (req: Request, timedOut: boolean): void => {
    this.finishedTotal++;
    if (!req.measured) return;
    this.dropped++;
    if (timedOut) this.timedOut++;
  };

  private reportProgress(now: number): void {
    const f = Math.max(this.arrivedTotal / this.stopRequests, this.stopS === Infinity ? 0 : now / this.stopS);
    this.onProgress?.(Math.min(1, f));
  }

  /** Runs to the end (arrivals stop, then in-flight requests drain) and reports. */
  run(): RunResult {
    this.sim.run();
    this.onProgress?.(1);
    return this.result();
  }

  /** The figures so far, in the contract's shape. */
  result(): RunResult {
    const endS = this.sim.now;
    const start = this.warmupEndS === Infinity ? endS : this.warmupEndS;
    const span = endS - start;
    const stages: Record<string, StageResult> = {};
    const utilization = new Map<string, number>();
    for (const b of this.built) {
      const st = b.stage;
      const util = span > 0 ? st.busy.integral(endS) / (st.servers * span) : 0;
      utilization.set(st.name, util);
      stages[st.name] = {
        replicas: st.replicas,
        servers: st.servers,
        utilization: util,
        meanQueueLength: span > 0 ? st.queueLength.integral(endS) / span : 0,
        maxQueueLength: st.queueLength.max,
        queueWaitMs: { mean: st.wait.mean * MS, p50: st.wait.quantile(0.5) * MS, p99: st.wait.quantile(0.99) * MS },
        dropped: st.dropped,
        timedOut: st.timedOut,
        completed: st.completed,
        batchSize: batchSummary(st.batchSizes),
        model: b.modelName ?? null,
        hardware: b.hardwareName ?? null,
        costPerHourUsd: b.hardware ? b.hardware.usdPerHour * st.replicas : 0,
        quality: b.model && Number.isFinite(b.model.quality.value) ? { ...b.model.quality } : null,
      };
    }
    const slo = this.scenario.slo;
    const sloResult: SloResult | null =
      slo === undefined
        ? null
        : {
            target: slo.target,
            attainment: this.arrived > 0 ? this.withinSlo / this.arrived : NaN,
            goodputRps: span > 0 ? this.departuresWithinSlo / span : 0,
            met: this.arrived > 0 && this.withinSlo / this.arrived >= slo.fraction,
          };
    const lastModel = [...this.built].reverse().find((b) => b.model && Number.isFinite(b.model.quality.value));
    const lat = this.latency;
    return {
      scenario: this.scenario.name ?? 'scenario',
      seed: this.seed,
      requests: {
        arrived: this.arrived,
        completed: this.completed,
        dropped: this.dropped,
        timedOut: this.timedOut,
        inFlight: this.arrived - this.completed - this.dropped,
      },
      dropRate: this.arrived > 0 ? this.dropped / this.arrived : 0,
      throughputRps: span > 0 ? this.departures / span : 0,
      latencyMs: {
        mean: lat.mean * MS,
        p50: lat.quantile(0.5) * MS,
        p90: lat.quantile(0.9) * MS,
        p95: lat.quantile(0.95) * MS,
        p99: lat.quantile(0.99) * MS,
        p999: lat.quantile(0.999) * MS,
        max: lat.max * MS,
      },
      stages,
      cost: costOf(this.built, (n) => utilization.get(n) ?? 0, span, this.completed),
      slo: sloResult,
      quality: this.qualityCount > 0 ? this.qualitySum / this.qualityCount : null,
      qualityMetric: this.qualityCount > 0 && lastModel ? lastModel.model!.quality.metric : null,
      measuredS: span,
      warmupEndS: start,
      endS,
      events: this.sim.eventsFired,
      warnings: overloadWarnings(this.arrivals.meanRateRps, this.stages),
    };
  }
}

/** Runs a validated scenario once and returns its result. */
export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  return new ServingSystem(scenario, options).run();
}
