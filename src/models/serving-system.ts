import { QuantileSketch, Simulation, type Seed } from '../engine/index.ts';
import type { Scenario } from '../config/schema.ts';
import { makeArrivals, type ArrivalProcess } from './arrivals/index.ts';
import { overloadWarnings } from './load-check.ts';
import { PoolStage } from './pool-stage.ts';
import { Request } from './request.ts';
import type { RunResult, StageResult } from './result.ts';
import { makeDistribution } from './service-distribution.ts';

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

/**
 * A scenario made runnable: arrivals feeding a pipeline of stages. Arrivals stop at
 * the scenario's `stop` (a count of arrivals, warm-up included, or a time), then
 * the run drains: every arrived request ends completed or dropped, so no figure is
 * biased against slow requests that were still in flight.
 */
export class ServingSystem {
  readonly sim: Simulation;
  readonly stages: PoolStage[];
  readonly arrivals: ArrivalProcess;
  /** End-to-end latency of measured completed requests (seconds). */
  readonly latency = new QuantileSketch();

  /** Arrivals so far, warm-up included. */
  arrivedTotal = 0;
  /** Measured arrivals, completions and drops. */
  arrived = 0;
  completed = 0;
  dropped = 0;
  /** When measurement started (end of warm-up); Infinity before. */
  warmupEndS = Infinity;

  private readonly seed: Seed;
  private readonly stopRequests: number;
  private readonly stopS: number;
  private readonly warmupRequests: number;
  private readonly warmupS: number;
  private readonly onProgress: ((f: number) => void) | undefined;

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

    this.stages = scenario.stages.map(
      (s) =>
        new PoolStage(this.sim, {
          name: s.name,
          replicas: s.replicas,
          concurrency: s.concurrency ?? 1,
          queueCapacity: s.queue?.capacity ?? Infinity,
          service: makeDistribution(s.service),
        }),
    );
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

  private finishedTotal = 0;

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
    if (!req.measured) return;
    this.completed++;
    this.latency.record(this.sim.now - req.arrivalS);
  };

  private readonly drop = (req: Request): void => {
    this.finishedTotal++;
    if (req.measured) this.dropped++;
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
    for (const st of this.stages) {
      stages[st.name] = {
        replicas: st.replicas,
        servers: st.servers,
        utilization: span > 0 ? st.busy.integral(endS) / (st.servers * span) : 0,
        meanQueueLength: span > 0 ? st.queueLength.integral(endS) / span : 0,
        maxQueueLength: st.queueLength.max,
        queueWaitMs: { mean: st.wait.mean * MS, p50: st.wait.quantile(0.5) * MS, p99: st.wait.quantile(0.99) * MS },
        dropped: st.dropped,
        completed: st.completed,
      };
    }
    const lat = this.latency;
    return {
      scenario: this.scenario.name ?? 'scenario',
      seed: this.seed,
      requests: { arrived: this.arrived, completed: this.completed, dropped: this.dropped, inFlight: this.arrived - this.completed - this.dropped },
      dropRate: this.arrived > 0 ? this.dropped / this.arrived : 0,
      throughputRps: span > 0 ? this.completed / span : 0,
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
