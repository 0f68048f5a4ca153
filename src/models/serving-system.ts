import { QuantileSketch, Simulation, type Seed, type SketchData } from '../engine/index.ts';
import type { SystemDescription } from '../config/description.ts';
import { resolveScenario, type ValidatedScenario } from '../config/resolve.ts';
import type { TraceOpener } from '../config/trace-csv.ts';
import { makeArrivals, type ArrivalProcess } from './arrivals/index.ts';
import { Autoscaler } from './autoscaler.ts';
import { buildStages, type BuiltStage } from './build-stage.ts';
import { costOf } from './cost.ts';
import { overloadWarnings, stageCapacityRps, unboundedGrowth } from './load-check.ts';
import { InputError } from '../config/errors.ts';
import { LIMITS, MAX_TIME_S, fmtCount, precisionMessage, roundUp } from '../config/limits.ts';
import { formatDuration } from '../config/duration.ts';
import { Request } from './request.ts';
import type { RetriesResult, RunResult, SloResult, StageResult } from './result.ts';
import { Call, RetryClient } from './retry-client.ts';
import { StageNode, StandbyReturn, type DivertTarget, type PathTarget } from './stage-node.ts';
import { isScalable, type DropTarget, type Station } from './stations/station.ts';
import { fanoutCollector } from './metrics/stage-fanout.ts';
import { countsSummary } from './metrics/counts-summary.ts';
import { TimeSeriesRecorder } from './time-series.ts';
import { makeUserSampler } from './users.ts';
import { makeDistribution } from './service-distribution.ts';
import { precomputeDurationS } from './precompute-job.ts';
import type { DivertDescription } from '../config/description.ts';
// LLM stages (issue 14): their figures and checks live in their own files.
import { attachLlmSeries, llmRunResult, llmTokenColumns, llmWarnings } from './metrics/llm-result.ts';

/** Options of one run. */
export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: Seed;
  /** Called now and then with the share of the run done (0..1). */
  onProgress?: (fraction: number) => void;
  /** Opens trace files named by `arrivals: { process: trace }` (the CLI reads disk). */
  openTrace?: TraceOpener;
  /**
   * Early stop (plan's probes): asked every `stopCheckEvery` arrivals (a power of two,
   * default 4,096) with the counts so far; returning true ends the run at once, without
   * draining, and `result()` then describes the run up to that moment.
   */
  shouldStop?: (progress: RunProgress) => boolean;
  stopCheckEvery?: number;
}

/** What `RunOptions.shouldStop` sees: the clock, all arrivals and those in flight, and the measured counts. */
export interface RunProgress {
  nowS: number;
  arrivedTotal: number;
  inFlight: number;
  /** Measured arrivals, completions, drops (time-outs included), and completions within the SLO target. */
  arrived: number;
  completed: number;
  dropped: number;
  withinSlo: number;
}

const MS = 1000;
/** Arrivals between two progress callbacks (a power of two: the check is a mask). */
const PROGRESS_EVERY = 1 << 16;
/** Arrivals between two `shouldStop` checks by default (a power of two: the check is a mask). */
const STOP_CHECK_EVERY = 1 << 12;
/** Most windows a time series gets by default; longer runs get wider windows. */
const MAX_DEFAULT_WINDOWS = 10_000;

export { countsSummary } from './metrics/counts-summary.ts';

/** A span in the units a scenario would write: "200s", "45m", "24h". */
function fmtSpan(s: number): string {
  if (s >= 3600 && Number.isInteger(s / 3600)) return `${s / 3600}h`;
  if (s >= 3600) return `${(s / 3600).toFixed(1)}h`;
  if (s >= 60) return `${Math.round(s / 60)}m`;
  return `${Math.round(s)}s`;
}

/** A window of 1 s, or a round multiple of it keeping a long run to at most 10,000 windows. */
function defaultWindowS(expectedS: number): number {
  if (!(expectedS > MAX_DEFAULT_WINDOWS) || !Number.isFinite(expectedS)) return 1;
  const raw = expectedS / MAX_DEFAULT_WINDOWS;
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400];
  return steps.find((s) => s >= raw) ?? Math.ceil(raw / 86400) * 86400;
}

/**
 * A scenario made runnable: arrivals feeding a pipeline of stages. Arrivals stop at
 * the scenario's `stop` (a count of arrivals, warm-up included, or a time), then
 * the run drains: every arrived request ends completed or dropped, so no figure is
 * biased against slow requests that were still in flight. The run ends the moment
 * the last request leaves (timers still pending then are moot).
 */
export class ServingSystem implements DropTarget {
  readonly sim: Simulation;
  readonly built: BuiltStage[];
  readonly stages: Station[];
  readonly arrivals: ArrivalProcess;
  readonly autoscalers = new Map<string, Autoscaler>();
  readonly series: TimeSeriesRecorder;
  readonly client: RetryClient | undefined;
  /** The main path: a node per stage that is not only a fallback target. */
  readonly nodes: StageNode[];
  /** Age of the precomputed predictions served to measured completed requests (seconds). */
  readonly freshness = new QuantileSketch();
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
  /** No more arrivals will come. */
  arrivalsDone = false;

  private readonly seed: Seed;
  private readonly stopRequests: number;
  private readonly stopS: number;
  private readonly warmupRequests: number;
  private readonly warmupS: number;
  private readonly sloLatencyS: number;
  private readonly onProgress: ((f: number) => void) | undefined;
  private finishedTotal = 0;
  private readonly userOf: (() => number) | undefined;
  private readonly entry: (req: Request) => void;
  /** Most requests (sub-requests of a fan-out each) held at once before the run is refused. */
  private readonly maxInFlight: number;
  private readonly shouldStop: ((p: RunProgress) => boolean) | undefined;
  private readonly stopMask: number;
  /** When `shouldStop` ended the run (simulated seconds); undefined when it ran to the end. */
  stoppedAtS: number | undefined;

  /** The system this run simulates, every default applied (`src/config/resolve.ts`). */
  readonly system: SystemDescription;

  /**
   * Builds a run of a validated scenario (resolved here, once) or of a system
   * description already resolved.
   */
  constructor(scenario: ValidatedScenario | SystemDescription, options: RunOptions = {}) {
    const system = isDescription(scenario) ? scenario : resolveScenario(scenario);
    this.system = system;
    this.seed = options.seed ?? system.seed;
    this.onProgress = options.onProgress;
    this.shouldStop = options.shouldStop;
    this.stopMask = (options.stopCheckEvery ?? STOP_CHECK_EVERY) - 1;
    this.sim = new Simulation({ seed: this.seed });
    this.arrivals = makeArrivals(system.arrivals, this.sim, { ...(options.openTrace ? { openTrace: options.openTrace } : {}), countColumns: llmTokenColumns(system) });
    this.stopRequests = system.stopRequests;
    this.stopS = system.stopS;
    this.warmupRequests = system.warmupRequests;
    this.warmupS = system.warmupS;
    this.sloLatencyS = system.slo?.latencyS ?? Infinity;
    this.maxInFlight = system.maxInFlight;

    this.built = buildStages(system, this.sim, this.arrivals.attributeNames ?? []);
    this.stages = this.built.map((b) => b.stage);
    const u = system.users;
    this.userOf = u ? makeUserSampler(u, this.sim.random.stream('users')) : undefined;

    const active = () => !(this.arrivalsDone && this.inFlight === 0);
    for (const b of this.built) {
      const a = b.desc.autoscale;
      if (a === null) continue;
      const capacity = b.stage;
      if (!isScalable(capacity)) throw new Error(`stage "${capacity.name}": a ${capacity.kind} station cannot be autoscaled`);
      this.autoscalers.set(
        b.stage.name,
        new Autoscaler(
          this.sim,
          capacity,
          {
            metric: a.metric,
            target: a.target,
            min: a.min,
            max: a.max,
            syncS: a.syncS,
            scaleUpWindowS: a.scaleUpWindowS,
            scaleDownWindowS: a.scaleDownWindowS,
            tolerance: a.tolerance,
            coldStart: b.coldStart!,
          },
          active,
        ),
      );
    }

    const arrivalsS = Math.min(this.stopS, this.stopRequests / this.arrivals.meanRateRps);
    // An overloaded unbounded queue drains long after arrivals stop: the default
    // windows cover that drain too (held at the end ÷ the bottleneck's capacity).
    const main = this.built.filter((b) => !b.desc.standby).map((b) => b.stage);
    const drainS = unboundedGrowth(this.arrivals.meanRateRps, main, this.autoscalers, this.shielded()).reduce(
      (sum, g) => sum + (g.heldPerS * arrivalsS) / (g.capacityRps * main[g.index]!.theory.shards),
      0,
    );
    const expectedS = arrivalsS + drainS;
    const windowS = system.timeSeriesWindowS ?? defaultWindowS(expectedS);
    const given = system.timeSeriesWindowS !== null;
    const maxWindows = given ? LIMITS.windows : LIMITS.defaultWindows;
    this.series = new TimeSeriesRecorder(
      windowS,
      this.built.map((b) => ({
        name: b.stage.name,
        queueLength: b.stage.counters.queueLength,
        busy: b.stage.counters.busy,
        slots: b.stage.counters.slots,
        readyReplicas: b.stage.counters.readyReplicas,
        billedReplicas: b.stage.counters.billedReplicas,
        usdPerHour: b.desc.hardware?.entry.usdPerHour ?? 0,
      })),
      maxWindows,
      (nowS) => {
        const fit = JSON.stringify(formatDuration(roundUp((10 * nowS) / LIMITS.windows)));
        throw new InputError([
          `timeSeries.window: the run reached ${fmtRate(nowS)} s of simulated time, ${fmtCount(maxWindows)} windows of ` +
            `${JSON.stringify(formatDuration(windowS))}${given ? '' : ' (the default window)'}, the most a run may record: ` +
            `set timeSeries: { window: ${fit} } or longer${given ? '' : ', or find why the run lasts this long (a queue draining long after arrivals stop?)'}`,
        ]);
      },
    );
    attachLlmSeries(this.stages, windowS);
    this.nodes = this.buildNodes();
    this.entry = this.nodes[0]!.enter;
    const r = system.retry;
    this.client = r === null ? undefined : new RetryClient(this.sim, r, this.sim.random.stream('client:retry-jitter'), this.entry, this.callSucceeded, this.callFailed);

    if (this.warmupRequests === 0 && this.warmupS === 0) this.startMeasuring(0);
    else if (this.warmupS > 0) this.sim.scheduleAt(this.warmupS, () => this.startMeasuring(this.sim.now));
    const first = this.arrivals.next(0);
    if (first < this.stopS) this.sim.scheduleAt(first, this.arrive);
    else this.arrivalsDone = true;
  }

  /** True once arrivals are over and every request has left: the run is complete. */
  get drained(): boolean {
    return this.arrivalsDone && this.inFlight === 0;
  }

  /** Requests in the system now (measured or not; with retries, calls not yet answered or failed). */
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
    // Validation refuses such spans when it can foresee them; a schedule or trace shows them only now.
    if (now >= MAX_TIME_S) throw new InputError([`${this.stopField()}: ${precisionMessage(now)}`]);
    const index = this.arrivedTotal++;
    const measured = index >= this.warmupRequests && now >= this.warmupS;
    if (measured) {
      if (this.warmupEndS === Infinity) this.startMeasuring(now);
      this.arrived++;
    }
    this.series.arrival(now);
    // Attributes of this arrival must be read before `next` moves the trace on.
    const attrs = this.arrivals.attributes?.() ?? null;
    if (this.arrivedTotal < this.stopRequests) {
      const next = this.arrivals.next(now);
      if (next < this.stopS) this.sim.scheduleAt(next, this.arrive);
      else this.arrivalsDone = true;
    } else this.arrivalsDone = true;
    if (this.inFlight >= this.maxInFlight || this.heldInStages() >= this.maxInFlight) this.refuseOverload(now);
    if (this.arrivedTotal > LIMITS.arrivals) {
      // Validation caps what it can foresee; a trace or schedule is only known now.
      throw new InputError([`${this.stopField()}: the run passed ${fmtCount(LIMITS.arrivals)} arrivals, the most a run may simulate: stop it sooner`]);
    }
    if (this.onProgress !== undefined && (this.arrivedTotal & (PROGRESS_EVERY - 1)) === 0) this.reportProgress(now);
    if (this.shouldStop !== undefined && (this.arrivedTotal & this.stopMask) === 0) this.checkStop(now);
    const key = this.userOf === undefined ? -1 : this.userOf();
    if (this.client !== undefined) {
      this.client.start(new Call(index, now, measured, attrs, key));
      return;
    }
    const req = new Request(index, now, measured);
    req.attrs = attrs;
    req.key = key;
    this.entry(req);
  };

  /** Requests waiting or in service in every stage (each sub-request of a fan-out, each abandoned attempt). */
  private heldInStages(): number {
    let held = 0;
    for (const st of this.stages) held += st.waiting + st.inService;
    return held;
  }

  /** The field that sets the run's length, for messages. */
  private stopField(): string {
    return this.system.stopField;
  }

  /** Stages behind a cache, fallback or prediction store (not all traffic reaches them). */
  /**
   * The stages every request passes, in order: not the standby stages a fallback or a
   * prediction miss diverts to, which see only the diverted share (the load check and
   * theory would otherwise offer them the whole arrival rate).
   */
  private mainPath(): Station[] {
    return this.nodes.map((n) => n.stage);
  }

  private shielded(): Set<string> {
    return new Set(this.built.filter((b) => b.desc.shielded).map((b) => b.stage.name));
  }

  /**
   * Refuses, before running, a run whose unbounded queues would fill past the bound
   * on held requests before arrivals stop: such a queue grows at (rate − capacity), so
   * the run would only stop at the bound after minutes and gigabytes.
   */
  private refuseForeseenOverload(): void {
    const rate = this.arrivals.meanRateRps;
    const spanS = Math.min(this.stopS, this.stopRequests / rate);
    if (!Number.isFinite(spanS)) return;
    const main = this.mainPath();
    const growth = unboundedGrowth(rate, main, this.autoscalers, this.shielded());
    const total = growth.reduce((sum, g) => sum + g.heldPerS * spanS, 0);
    if (total < this.maxInFlight) return;
    const worst = growth.reduce((a, b) => (b.heldPerS > a.heldPerS ? b : a));
    throw new InputError([
      this.overloadMessage(
        this.stages.findIndex((st) => st === main[worst.index]),
        `its queue is unbounded and grows by about ${fmtRate(worst.heldPerS)} requests a second, so by the time arrivals stop (${fmtRate(spanS)} s) ` +
          `the run would hold about ${fmtCount(total)} requests, more than a run may hold`,
        rate,
        'arrive',
      ),
    ]);
  }

  /**
   * Stops the run: it holds as many requests as memory allows (about 2 GB by default).
   * Names the stage holding most of them, its load against its capacity, and what to
   * change.
   */
  private refuseOverload(nowS: number): never {
    let worst = 0;
    let held = -1;
    this.stages.forEach((st, i) => {
      if (st.waiting + st.inService > held) {
        held = st.waiting + st.inService;
        worst = i;
      }
    });
    const total = Math.max(this.inFlight, this.heldInStages());
    const st = this.stages[worst]!;
    throw new InputError([
      this.overloadMessage(
        worst,
        `the run now holds ${fmtCount(total)} requests (${fmtCount(st.waiting)} waiting there) at ${fmtRate(nowS)} s of simulated time ` +
          `after ${fmtCount(this.arrivedTotal)} arrivals, the most a run may hold`,
        nowS > 0 ? this.arrivedTotal / nowS : NaN,
        'arrived on average so far',
      ),
    ]);
  }

  /** The overload message: the stage, its load against capacity, what it holds (`held`), and what to change. */
  private overloadMessage(index: number, held: string, rate: number, rateWhat: string): string {
    const st = this.stages[index]!;
    const cap = stageCapacityRps(st, this.autoscalers.get(st.name)?.maxReplicas ?? st.replicas);
    const load = Number.isFinite(rate)
      ? `${fmtRate(rate)} requests/s ${rateWhat} and it completes at most ${fmtRate(cap)} requests/s (${fmtRate((rate / cap) * 100)}% of its capacity)`
      : `it completes at most ${fmtRate(cap)} requests/s`;
    const what = Number.isFinite(rate) && rate < cap ? `stage "${st.name}" holds the most requests: ${load}` : `stage "${st.name}" is overloaded: ${load}`;
    const where = `stages[${index}]`;
    return (
      `${what}; ${held} (limits.maxInFlight: ${fmtCount(this.maxInFlight)}, about ${fmtBytes(this.maxInFlight * BYTES_PER_REQUEST)}). ` +
      `Add replicas (${where}.replicas), bound the queue (${where}.queue: { capacity: N }) or set a deadline so the excess is dropped, ` +
      `or stop sooner (${this.stopField()}); limits: { maxInFlight: N } raises the bound if the memory is there.`
    );
  }

  /**
   * Wires the stage graph: stages named as a fallback or miss target are standby (off
   * the main path; what they finish returns to the node that diverted it); every other
   * stage gets a node, in order, each linked to the next and the last to the end of the
   * path. Every station drops to this system.
   */
  private buildNodes(): StageNode[] {
    const byName = new Map(this.built.map((b) => [b.stage.name, b]));
    const targetOf = (t: DivertDescription, stream: string): DivertTarget =>
      'to' in t
        ? { station: byName.get(t.to)!.stage }
        : { heuristic: { latency: makeDistribution(t.heuristic.latency).source(this.sim.random.stream(stream)), quality: t.heuristic.quality } };
    const standby = new StandbyReturn();
    const main = this.built.filter((b) => !b.desc.standby);
    const nodes: StageNode[] = new Array<StageNode>(main.length);
    // Built from the end of the path backwards, so that each node is given its successor.
    let next: PathTarget = this.pathEnd;
    for (let i = main.length - 1; i >= 0; i--) {
      const b = main[i]!;
      const sp = b.desc;
      const name = b.stage.name;
      const population = this.system.users?.count ?? 0;
      const node = new StageNode(
        this.sim,
        b.stage,
        sp.cache
          ? { capacity: sp.cache.capacity, ttlS: sp.cache.ttlS, hitLatency: makeDistribution(sp.cache.hit).source(this.sim.random.stream(`stage:${name}:cache-hit`)) }
          : undefined,
        sp.fallback
          ? {
              queueLength: sp.fallback.queueLength,
              estimatedWaitS: sp.fallback.estimatedWaitS,
              target: targetOf(sp.fallback.target, `stage:${name}:fallback`),
            }
          : undefined,
        sp.precompute
          ? {
              everyS: sp.precompute.everyS,
              durationS: precomputeDurationS(sp.precompute, population),
              warmStart: sp.precompute.warmStart,
              population,
              quality: sp.precompute.quality,
              miss: targetOf(sp.precompute.miss, `stage:${name}:miss`),
            }
          : undefined,
        { out: sp.candidates, keep: sp.keep },
        b.stage.theory.meanS,
        next,
        this.series,
        sp.index,
      );
      nodes[i] = node;
      next = node;
    }
    const nodeOf = new Map(nodes.map((n) => [n.stage, n]));
    for (const b of this.built) b.stage.connect({ done: nodeOf.get(b.stage) ?? standby, drop: this, changes: this.series });
    return nodes;
  }

  private readonly complete = (req: Request): void => {
    if (this.client !== undefined) {
      this.client.answered(req);
      return;
    }
    this.finish(req.arrivalS, req.measured, req.quality, req.freshnessS);
  };

  /** The end of the main path: a request done with its last stage is complete (declared after `complete`, which it holds). */
  private readonly pathEnd: PathTarget = { enter: this.complete };

  /** A station turned a request away for good (`DropTarget`). */
  stationDropped(req: Request, timedOut: boolean): void {
    if (this.client !== undefined) {
      this.client.rejected(req, timedOut);
      return;
    }
    this.fail(req.measured, timedOut);
  }

  private readonly callSucceeded = (call: Call, req: Request): void => {
    this.finish(call.arrivalS, call.measured, req.quality, req.freshnessS);
  };

  private readonly callFailed = (call: Call, timedOut: boolean): void => {
    this.fail(call.measured, timedOut);
  };

  private finish(arrivalS: number, measured: boolean, quality: number, freshnessS: number): void {
    this.finishedTotal++;
    const now = this.sim.now;
    const latency = now - arrivalS;
    this.series.completion(now, latency);
    if (this.warmupEndS !== Infinity) {
      this.departures++;
      if (latency < this.sloLatencyS) this.departuresWithinSlo++;
    }
    if (measured) {
      this.completed++;
      this.latency.record(latency);
      if (latency < this.sloLatencyS) this.withinSlo++;
      if (quality === quality) {
        this.qualitySum += quality;
        this.qualityCount++;
      }
      if (freshnessS === freshnessS) this.freshness.record(freshnessS);
    }
    if (this.arrivalsDone && this.inFlight === 0) this.sim.stop();
  }

  private fail(measured: boolean, timedOut: boolean): void {
    this.finishedTotal++;
    this.series.drop(this.sim.now);
    if (measured) {
      this.dropped++;
      if (timedOut) this.timedOut++;
    }
    if (this.arrivalsDone && this.inFlight === 0) this.sim.stop();
  }

  /** Ends the run after this event if `shouldStop` says so (this arrival still enters). */
  private checkStop(now: number): void {
    const p: RunProgress = { nowS: now, arrivedTotal: this.arrivedTotal, inFlight: this.inFlight, arrived: this.arrived, completed: this.completed, dropped: this.dropped, withinSlo: this.withinSlo };
    if (!this.shouldStop!(p)) return;
    this.stoppedAtS = now;
    this.sim.stop();
  }

  private reportProgress(now: number): void {
    const f = Math.max(this.arrivedTotal / this.stopRequests, this.stopS === Infinity ? 0 : now / this.stopS);
    this.onProgress?.(Math.min(1, f));
  }

  /** Runs to the end (arrivals stop, then in-flight requests drain) and reports. */
  run(): RunResult {
    this.refuseForeseenOverload();
    if (!(this.arrivalsDone && this.inFlight === 0)) this.sim.run();
    if (this.sim.now >= MAX_TIME_S) throw new InputError([`${this.stopField()}: ${precisionMessage(this.sim.now)}`]);
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
    const billedHours = new Map<string, number>();
    for (const b of this.built) {
      const st = b.stage;
      const c = st.counters;
      const slotTime = c.slots.integral(endS);
      const util = slotTime > 0 ? c.busy.integral(endS) / slotTime : 0;
      utilization.set(st.name, util);
      billedHours.set(st.name, c.billedReplicas.integral(endS) / 3600);
      const auto = this.autoscalers.get(st.name);
      stages[st.name] = {
        replicas: st.replicas,
        servers: st.servers,
        utilization: util,
        meanQueueLength: span > 0 ? c.queueLength.integral(endS) / span : 0,
        maxQueueLength: c.queueLength.max,
        // The stage collectors' figures (src/models/metrics/stage-collectors.ts), in the contract's key order.
        ...(st.metrics.fragment('queue') as Pick<StageResult, 'queueWaitMs' | 'dropped' | 'timedOut' | 'completed' | 'batchSize'>),
        model: b.desc.model?.name ?? null,
        hardware: b.desc.hardware?.name ?? null,
        costPerHourUsd: b.desc.hardware && span > 0 ? (b.desc.hardware.entry.usdPerHour * c.billedReplicas.integral(endS)) / span : 0,
        quality: b.desc.model && Number.isFinite(b.desc.model.entry.quality.value) ? { ...b.desc.model.entry.quality } : null,
        meanReplicas: span > 0 ? c.readyReplicas.integral(endS) / span : st.readyCount,
        maxReplicas: c.readyReplicas.max,
        ...(auto ? { scalingDecisions: auto.decisions.filter((d) => d.desired !== d.ready + d.provisioning).length } : {}),
        ...st.metrics.fragment('kind'),
      };
    }
    // Per node: where time goes, hit ratio, coverage; and the precompute jobs' bill.
    const jobs: Array<{ stage: string; usd: number }> = [];
    const extraWarnings: string[] = [];
    let covered = 0;
    let missed = 0;
    let degraded = 0;
    for (const n of this.nodes) {
      const st = stages[n.name]!;
      st.timeInStageMs = { mean: n.timeInStage.mean * MS, p50: n.timeInStage.quantile(0.5) * MS, p99: n.timeInStage.quantile(0.99) * MS };
      if (n.cache !== undefined) st.hitRatio = n.lookups > 0 ? n.hits / n.lookups : null;
      covered += n.covered;
      missed += n.missed;
      degraded += n.degraded;
      const pre = this.built.find((b) => b.stage === n.stage)!.desc.precompute;
      if (pre !== null) {
        st.coverage = n.covered + n.missed > 0 ? n.covered / (n.covered + n.missed) : null;
        const durationS = precomputeDurationS(pre, this.system.users?.count ?? 0);
        st.precomputeJob = { durationS, everyS: pre.everyS, workers: pre.workers };
        if (span < pre.everyS) {
          extraWarnings.push(
            `stage "${n.name}": the run measures ${fmtSpan(span)} of the batch job's ${fmtSpan(pre.everyS)} cycle, so freshness, coverage and the job's bill describe that stretch, not an average day; run a whole cycle (stop: { duration: "${fmtSpan(pre.everyS)}" }) for daily figures`,
          );
        }
        const hw = pre.hardware;
        if (hw !== null) {
          // Worker-hours of every job overlapping the measured span [start, endS].
          let hours = 0;
          const warm = pre.warmStart;
          for (let k = Math.floor((start - durationS) / pre.everyS); k * pre.everyS <= endS; k++) {
            if (k < 0 && !(warm && k === -1)) continue;
            const a = Math.max(start, k * pre.everyS);
            const b = Math.min(endS, k * pre.everyS + durationS);
            if (b > a) hours += ((b - a) / 3600) * pre.workers;
          }
          const usd = hours * hw.usdPerHour;
          st.precomputeJob.costUsd = usd;
          jobs.push({ stage: n.name, usd });
        }
      }
    }
    let subRequests = 0;
    let hedges = 0;
    for (const st of this.stages) {
      Object.assign(stages[st.name]!, st.metrics.fragment('end'));
      const f = st.metrics.of(fanoutCollector);
      if (f === undefined) continue;
      subRequests += f.subRequests;
      hedges += f.hedges;
    }
    const fr = this.freshness;

    const slo = this.system.slo;
    const sloResult: SloResult | null =
      slo === null
        ? null
        : {
            target: slo.target,
            attainment: this.arrived > 0 ? this.withinSlo / this.arrived : NaN,
            goodputRps: span > 0 ? this.departuresWithinSlo / span : 0,
            met: this.arrived > 0 && this.withinSlo / this.arrived >= slo.fraction,
          };
    const lastModel = [...this.built].reverse().find((b) => b.desc.model && Number.isFinite(b.desc.model.entry.quality.value));
    const c = this.client;
    const retries: RetriesResult | null =
      c === undefined
        ? null
        : {
            attempts: c.attempts,
            retries: c.retries,
            budgetDenied: c.budgetDenied,
            wastedAnswers: c.wasted,
            attemptsPerRequest: (({ mean, p99, max }) => ({ mean, p99, max }))(countsSummary(c.attemptCounts)),
            attemptRatePerRequest: this.arrived > 0 ? c.attempts / this.arrived : NaN,
          };
    const lat = this.latency;
    // LLM stages' token-level section (issue 14), only when the scenario has one.
    const llm = llmRunResult(this.stages, stages, this.system, span, endS);
    return {
      scenario: this.system.name,
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
      cost: costOf(this.built, (n) => utilization.get(n) ?? 0, (n) => billedHours.get(n) ?? 0, span, this.completed, jobs),
      freshness: fr.count > 0 ? { meanS: fr.mean, p50S: fr.quantile(0.5), p99S: fr.quantile(0.99) } : null,
      coverage: covered + missed > 0 ? covered / (covered + missed) : null,
      degradedShare: this.arrived > 0 ? degraded / this.arrived : 0,
      hedgeExtraLoad: subRequests > 0 ? hedges / subRequests : null,
      slo: sloResult,
      quality: this.qualityCount > 0 ? this.qualitySum / this.qualityCount : null,
      qualityMetric: this.qualityCount > 0 ? (lastModel?.desc.model!.entry.quality.metric ?? 'quality') : null,
      retries,
      measuredS: span,
      warmupEndS: start,
      endS,
      events: this.sim.eventsFired,
      warnings: [
        ...overloadWarnings(
          this.arrivals.meanRateRps,
          this.mainPath(),
          this.autoscalers,
          this.shielded(),
        ),
        ...extraWarnings,
        ...llmWarnings(this.system, this.stages),
      ],
      timeSeries: this.series.result(endS, start),
      ...(llm !== null ? { llm } : {}),
    };
  }
}

/** A resolved description tells itself from a scenario by the keys only resolution adds. */
function isDescription(s: ValidatedScenario | SystemDescription): s is SystemDescription {
  return 'stopField' in s;
}

/** Memory a held request takes, measured (bench/README.md): about 300 to 430 bytes of RSS. */
const BYTES_PER_REQUEST = 400;

function fmtBytes(b: number): string {
  return b >= 1e9 ? `${fmtRate(b / 1e9)} GB` : `${fmtRate(Math.max(1, b / 1e6))} MB`;
}

function fmtRate(x: number): string {
  return x >= 100 ? fmtCount(x) : String(+x.toPrecision(3));
}

/** Runs a validated scenario once and returns its result. */
export function runScenario(scenario: ValidatedScenario | SystemDescription, options: RunOptions = {}): RunResult {
  return new ServingSystem(scenario, options).run();
}

/** A run's result with its latency sketch as plain data, to merge across runs exactly. */
export interface DetailedRun {
  result: RunResult;
  latency: SketchData;
}

/** Runs a validated scenario once and returns its result and latency sketch. */
export function runScenarioDetailed(scenario: ValidatedScenario | SystemDescription, options: RunOptions = {}): DetailedRun {
  const sys = new ServingSystem(scenario, options);
  const result = sys.run();
  return { result, latency: sys.latency.toData() };
}
