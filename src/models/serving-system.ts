import { Simulation, type QuantileSketch, type Seed, type SketchData } from '../engine/index.ts';
import type { SystemDescription } from '../config/description.ts';
import { resolveScenario, type ValidatedScenario } from '../config/resolve.ts';
import type { TraceOpener } from '../config/trace-csv.ts';
import { makeArrivals, type ArrivalProcess, type PerClassArrivals } from './arrivals/index.ts';
import { Autoscaler } from './autoscaler.ts';
import { buildFaults } from './build-faults.ts';
import type { FaultInjector } from './faults.ts';
import { buildStages, type BuiltStage } from './build-stage.ts';
import { stageCapacityRps, unboundedGrowth } from './load-check.ts';
import { InputError } from '../config/errors.ts';
import { LIMITS, MAX_TIME_S, fmtCount, precisionMessage, roundUp } from '../config/limits.ts';
import { formatDuration } from '../config/duration.ts';
import { Request } from './request.ts';
import { RUN_RESULT_KEYS, type RunResult, type StageResult } from './result.ts';
import { Call, RetryClient } from './retry-client.ts';
import { StageNode, StandbyReturn, type DivertTarget, type PathTarget } from './stage-node.ts';
import { isScalable, type DropTarget, type Station } from './stations/station.ts';
import { runCollectors } from './metrics/run-collectors.ts';
import { latencyCollector } from './metrics/run-latency.ts';
import { RunMetrics } from './metrics/run-metrics.ts';
import { requestsCollector } from './metrics/run-requests.ts';
import { sloCollector } from './metrics/run-slo.ts';
import type { MeasuredSpan } from './metrics/run-collector.ts';
import { runWarnings } from './run-warnings.ts';
import { TimeSeriesRecorder, type SeriesResult } from './time-series.ts';
import { ClassSeriesRecorder } from './metrics/class-series.ts';
import { classKeySampler, makeUserSampler } from './users.ts';
import { makeDistribution } from './service-distribution.ts';
import { cachesOf } from './cache-partitions.ts';
import { precomputeDurationS } from './precompute-job.ts';
import type { DivertDescription, StageDescription } from '../config/description.ts';
// LLM stages (issue 14): their figures and checks live in their own files.
import { attachLlmSeries, llmTokenColumns } from './metrics/llm-result.ts';
// Request classes (issue 16): drawn at the door, measured per class.
import { ClassMix, ClassRateLimits, attributeNamesOf, classGate, shedGate, type ShedReason } from './classes.ts';
import { classesCollector, type ClassMetrics } from './metrics/run-classes.ts';

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

/** Arrivals between two progress callbacks (a power of two: the check is a mask). */
const PROGRESS_EVERY = 1 << 16;
/** Arrivals between two `shouldStop` checks by default (a power of two: the check is a mask). */
const STOP_CHECK_EVERY = 1 << 12;
/** Most windows a time series gets by default; longer runs get wider windows. */
const MAX_DEFAULT_WINDOWS = 10_000;

export { countsSummary } from './metrics/counts-summary.ts';

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
  /** Fault injectors of the stages with `faults`, by stage name. */
  readonly faults: Map<string, FaultInjector>;
  /** The same injectors, told of every measured request's end (attainment during and outside incidents). */
  private faultList: FaultInjector[] = [];
  readonly series: TimeSeriesRecorder;
  readonly client: RetryClient | undefined;
  /** The main path: a node per stage that is not only a fallback target. */
  readonly nodes: StageNode[];
  /** The run's collectors (`metrics/run-collectors.ts`) and its warm-up rule. */
  readonly metrics: RunMetrics;

  /** Arrivals so far, warm-up included. */
  arrivedTotal = 0;
  /** No more arrivals will come. */
  arrivalsDone = false;

  private readonly seed: Seed;
  private readonly stopRequests: number;
  private readonly stopS: number;
  private readonly warmupRequests: number;
  private readonly warmupS: number;
  private readonly onProgress: ((f: number) => void) | undefined;
  private finishedTotal = 0;
  /** Each class's key draw: its own users' (`classes[].users`), else the scenario's; none without users. */
  private readonly keyOf: Array<(() => number) | undefined>;
  private readonly entry: (req: Request) => void;
  /** Where a request enters the main path: the first node, or a class gate in front of it. */
  private pathStart: PathTarget = { enter: () => {} };
  /** Most requests (sub-requests of a fan-out each) held at once before the run is refused. */
  private readonly maxInFlight: number;
  /**
   * Stages may hold more requests than are in flight: a fan-out's sub-requests, a retrying
   * client's abandoned attempts. Otherwise every request held in a stage is in flight, so
   * the in-flight count alone decides the bound.
   */
  private readonly stagesMayHoldMore: boolean;
  private readonly shouldStop: ((p: RunProgress) => boolean) | undefined;
  private readonly stopMask: number;
  /** When `shouldStop` ended the run (simulated seconds); undefined when it ran to the end. */
  stoppedAtS: number | undefined;

  /** The system this run simulates, every default applied (`src/config/resolve.ts`). */
  readonly system: SystemDescription;
  /** Request classes: each arrival's class and attributes, and the figures per class; undefined without `classes`. */
  private readonly classMix: ClassMix | undefined;
  private readonly classMetrics: ClassMetrics | undefined;
  /** Per-window figures of each class (`timeSeries.classes`); only with `classes`. */
  private readonly classSeries: ClassSeriesRecorder | undefined;
  /** Admission control: the classes' token buckets; undefined when no class has a rate limit. */
  private readonly rateLimits: ClassRateLimits | undefined;
  /** Requests of each class in the system, counted only when a class has `maxInFlight`. */
  private readonly classHeld: Float64Array | undefined;
  private readonly classMaxInFlight: readonly number[];

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
    const classArrivals = system.classes?.flatMap((c) => (c.arrivals !== null ? [{ name: c.name, arrivals: c.arrivals }] : [])) ?? [];
    this.arrivals = makeArrivals(system.arrivals, this.sim, {
      ...(options.openTrace ? { openTrace: options.openTrace } : {}),
      countColumns: llmTokenColumns(system),
      ...(classArrivals.length > 0 ? { classArrivals } : {}),
    });
    this.stopRequests = system.stopRequests;
    this.stopS = system.stopS;
    this.warmupRequests = system.warmupRequests;
    this.warmupS = system.warmupS;
    this.maxInFlight = system.maxInFlight;
    this.metrics = new RunMetrics(system, runCollectors, (nowS) => {
      for (const st of this.stages) st.resetStats(nowS);
      for (const f of this.faults.values()) f.resetStats(nowS);
    });
    // Told directly (a class is no `RunEvents` argument), and only when there are classes.
    this.classMetrics = system.classes === null ? undefined : (this.metrics.of(classesCollector) as ClassMetrics);

    const attributeNames = attributeNamesOf(system, this.arrivals.attributeNames ?? []);
    this.rateLimits = system.classes?.some((c) => c.rateLimit !== null) ? new ClassRateLimits(system.classes) : undefined;
    this.classMaxInFlight = system.classes?.map((c) => c.maxInFlight) ?? [];
    this.classHeld = this.classMaxInFlight.some((m) => m !== Infinity) ? new Float64Array(this.classMaxInFlight.length) : undefined;
    this.classMix = system.classes === null ? undefined : new ClassMix(system.classes, this.sim, attributeNames, system.arrivals.process === 'classes' ? (this.arrivals as PerClassArrivals) : null);
    this.built = buildStages(system, this.sim, attributeNames);
    this.stages = this.built.map((b) => b.stage);
    const u = system.users;
    const shared = u ? makeUserSampler(u, this.sim.random.stream('users')) : undefined;
    this.keyOf = system.classes?.map((c, k) => (c.users !== null ? classKeySampler(k, c.users, this.sim.random.stream(`users:class:${c.name}`)) : shared)) ?? [shared];

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
            behavior: a.behavior,
          },
          active,
        ),
      );
    }
    this.faults = buildFaults(this.built, this.sim, active, system);
    this.faultList = [...this.faults.values()];

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
    this.classSeries = system.classes === null ? undefined : new ClassSeriesRecorder(system.classes.map((c) => c.name), windowS);
    attachLlmSeries(this.stages, windowS);
    for (const b of this.built) if (b.desc.cache?.partitions && !b.desc.standby) this.series.partitioned(b.desc.index, b.desc.cache.partitions);
    this.nodes = this.buildNodes();
    this.entry = this.pathStart.enter;
    const r = system.retry;
    this.client = r === null ? undefined : new RetryClient(this.sim, r, this.sim.random.stream('client:retry-jitter'), this.entry, this.callSucceeded, this.callFailed, this.metrics);
    // A lone stage entered on arrival, without retries: its node times are the run's latencies
    // (not when it serves only some classes: the others complete without entering it).
    if (this.client === undefined && this.nodes.length === 1 && system.stages.every((s) => s.classes === null)) this.nodes[0]!.stage.metrics.adoptEndToEnd(this.latency);
    // PERF: counting what the stages hold on every arrival cost 2 % of the M/M/4's
    // instructions; pools hold each request once, where it is (one queue or one slot).
    this.stagesMayHoldMore = this.client !== undefined || this.stages.some((s) => s.kind !== 'pool' && s.kind !== 'buffer');

    if (this.warmupRequests === 0 && this.warmupS === 0) this.metrics.start(0);
    else if (this.warmupS > 0) this.sim.scheduleAt(this.warmupS, () => this.metrics.start(this.sim.now));
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

  /** When measurement started (end of warm-up); Infinity before. */
  get warmupEndS(): number {
    return this.metrics.warmupEndS;
  }

  /** End-to-end latency of measured completed requests (seconds): the latency collector's sketch. */
  get latency(): QuantileSketch {
    return this.metrics.of(latencyCollector)!.latency;
  }

  private readonly arrive = (): void => {
    const now = this.sim.now;
    // Validation refuses such spans when it can foresee them; a schedule or trace shows them only now.
    if (now >= MAX_TIME_S) throw new InputError([`${this.stopField()}: ${precisionMessage(now)}`]);
    const index = this.arrivedTotal++;
    const measured = this.metrics.arrival(index, now);
    this.series.arrival(now);
    // Attributes of this arrival (and its class) must be read before `next` moves the trace on.
    const attrs = this.arrivals.attributes?.() ?? null;
    const classIndex = this.classMix === undefined ? 0 : this.classMix.pick();
    if (this.arrivedTotal < this.stopRequests) {
      const next = this.arrivals.next(now);
      if (next < this.stopS) this.sim.scheduleAt(next, this.arrive);
      else this.arrivalsDone = true;
    } else this.arrivalsDone = true;
    if (this.inFlight >= this.maxInFlight || (this.stagesMayHoldMore && this.heldInStages() >= this.maxInFlight)) this.refuseOverload(now);
    if (this.arrivedTotal > LIMITS.arrivals) {
      // Validation caps what it can foresee; a trace or schedule is only known now.
      throw new InputError([`${this.stopField()}: the run passed ${fmtCount(LIMITS.arrivals)} arrivals, the most a run may simulate: stop it sooner`]);
    }
    if (this.onProgress !== undefined && (this.arrivedTotal & (PROGRESS_EVERY - 1)) === 0) this.reportProgress(now);
    if (this.shouldStop !== undefined && (this.arrivedTotal & this.stopMask) === 0) this.checkStop(now);
    const keyOf = this.keyOf[classIndex];
    const key = keyOf === undefined ? -1 : keyOf();
    if (this.client !== undefined) {
      this.client.start(new Call(index, now, measured, attrs, key));
      return;
    }
    const req = new Request(index, now, measured);
    req.attrs = attrs;
    req.key = key;
    if (this.classMix !== undefined) {
      this.classMix.assign(req, classIndex);
      if (measured) this.classMetrics!.classArrived(req.classIndex);
      this.classSeries?.arrival(req.classIndex, now);
      if (this.rateLimits !== undefined && !this.rateLimits.admit(classIndex, now)) {
        this.shed(req, 'rateLimit');
        return;
      }
      const held = this.classHeld;
      if (held !== undefined) {
        if (held[classIndex]! >= this.classMaxInFlight[classIndex]!) {
          this.shed(req, 'concurrency');
          return;
        }
        held[classIndex]!++;
      }
    }
    this.entry(req);
  };

  /** Requests waiting or in service in every stage (each sub-request of a fan-out, each abandoned attempt). */
  private heldInStages(): number {
    // PERF: an indexed loop (this runs on every arrival).
    const stages = this.stages;
    let held = 0;
    for (let i = 0; i < stages.length; i++) held += stages[i]!.waiting + stages[i]!.inService;
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
          ? {
              ...cachesOf(sp.cache, this.system.classes?.length ?? 1, (part) => this.sim.random.stream(`stage:${name}:cache-evict${part}`)),
              hitLatency: makeDistribution(sp.cache.hit).source(this.sim.random.stream(`stage:${name}:cache-hit`)),
            }
          : undefined,
        sp.fallback
          ? {
              queueLength: sp.fallback.queueLength,
              estimatedWaitS: sp.fallback.estimatedWaitS,
              estimatedTtftS: sp.fallback.estimatedTtftS,
              ttftAloneS: ttftAloneFor(b.stage, sp),
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
        sp.escalate !== null ? { share: sp.escalate.share, draw: this.sim.random.stream(`stage:${name}:escalate`), end: this.pathEnd } : undefined,
      );
      nodes[i] = node;
      // Queue-length shedding in front of the stage, then (a stage serving only some
      // classes) the way past it for the others, to what follows.
      const lengths = this.system.classes?.map((c) => c.shedAtQueueLength) ?? [];
      const waits = this.system.classes?.map((c) => c.shedAtEstimatedWaitS) ?? [];
      const sheds = [...lengths, ...waits].some((t) => t !== Infinity);
      const door = sheds ? shedGate(lengths, waits, b.stage, b.stage.theory.meanS, node, (req, reason) => this.shed(req, reason)) : node;
      next = sp.classes === null ? door : classGate(sp.classes, this.system.classes!.length, door, next);
    }
    this.pathStart = next;
    const nodeOf = new Map(nodes.map((n) => [n.stage, n]));
    for (const b of this.built) b.stage.connect({ done: nodeOf.get(b.stage) ?? standby, drop: this, changes: this.series });
    return nodes;
  }

  private readonly complete = (req: Request): void => {
    if (this.client !== undefined) {
      this.client.answered(req);
      return;
    }
    if (this.classHeld !== undefined) this.classHeld[req.classIndex]!--;
    this.classMetrics?.classCompleted(req.classIndex, req.measured, this.metrics.measuring, this.sim.now - req.arrivalS);
    this.classSeries?.completion(req.classIndex, this.sim.now, this.sim.now - req.arrivalS);
    this.finish(req.arrivalS, req.measured, req.quality, req.freshnessS, req.waitedS);
  };

  /** The end of the main path: a request done with its last stage is complete (declared after `complete`, which it holds). */
  private readonly pathEnd: PathTarget = { enter: this.complete };

  /** Admission control turned a request away before a station saw it: a drop, counted per class and reason. */
  private shed(req: Request, reason: ShedReason): void {
    // Shed before a stage, it had been let in at the door: it no longer counts against its class's limit.
    if (this.classHeld !== undefined && (reason === 'queueLength' || reason === 'estimatedWait')) this.classHeld[req.classIndex]!--;
    this.classMetrics!.classShed(req.classIndex, req.measured, reason);
    this.classSeries?.drop(req.classIndex, this.sim.now);
    this.fail(req.arrivalS, req.measured, false);
  }

  /** A station turned a request away for good (`DropTarget`). */
  stationDropped(req: Request, timedOut: boolean): void {
    if (this.client !== undefined) {
      this.client.rejected(req, timedOut);
      return;
    }
    if (this.classHeld !== undefined) this.classHeld[req.classIndex]!--;
    this.classMetrics?.classDropped(req.classIndex, req.measured, timedOut);
    this.classSeries?.drop(req.classIndex, this.sim.now);
    this.fail(req.arrivalS, req.measured, timedOut);
  }

  private readonly callSucceeded = (call: Call, req: Request): void => {
    this.finish(call.arrivalS, call.measured, req.quality, req.freshnessS, req.waitedS);
  };

  private readonly callFailed = (call: Call, timedOut: boolean): void => {
    this.fail(call.arrivalS, call.measured, timedOut);
  };

  private finish(arrivalS: number, measured: boolean, quality: number, freshnessS: number, waitedS: number): void {
    this.finishedTotal++;
    const now = this.sim.now;
    const latency = now - arrivalS;
    this.series.completion(now, latency);
    this.metrics.completion(measured, latency, quality, freshnessS, waitedS);
    if (measured && this.metrics.measuring) for (const f of this.faultList) f.requestEnded(arrivalS, latency, true);
    if (this.arrivalsDone && this.inFlight === 0) this.sim.stop();
  }

  private fail(arrivalS: number, measured: boolean, timedOut: boolean): void {
    this.finishedTotal++;
    this.series.drop(this.sim.now);
    if (measured && this.metrics.measuring) for (const f of this.faultList) f.requestEnded(arrivalS, this.sim.now - arrivalS, false);
    this.metrics.drop(measured, timedOut ? 'timedOut' : 'rejected');
    if (this.arrivalsDone && this.inFlight === 0) this.sim.stop();
  }

  /** Ends the run after this event if `shouldStop` says so (this arrival still enters). */
  private checkStop(now: number): void {
    const n = this.metrics.of(requestsCollector)!;
    const slo = this.metrics.of(sloCollector);
    // Without an objective every completion is within it (the target is infinite).
    const withinSlo = slo !== undefined && 'withinSlo' in slo ? slo.withinSlo : n.completedCount;
    const p: RunProgress = { nowS: now, arrivedTotal: this.arrivedTotal, inFlight: this.inFlight, arrived: n.arrivedCount, completed: n.completedCount, dropped: n.droppedCount, withinSlo };
    if (!this.shouldStop!(p)) return;
    this.stoppedAtS = now;
    this.sim.stop();
  }

  private reportProgress(now: number): void {
    const f = Math.max(this.arrivedTotal / this.stopRequests, this.stopS === Infinity ? 0 : now / this.stopS);
    this.onProgress?.(Math.min(1, f));
  }

  /** The run's time series, with each class's (on the same windows) when the scenario declares classes. */
  private seriesResult(endS: number, startS: number): SeriesResult {
    const s = this.series.result(endS, startS);
    if (this.classSeries !== undefined) s.classes = this.classSeries.result(s.startS.length);
    return s;
  }

  /** Runs to the end (arrivals stop, then in-flight requests drain) and reports. */
  run(): RunResult {
    this.refuseForeseenOverload();
    if (!(this.arrivalsDone && this.inFlight === 0)) this.sim.run();
    if (this.sim.now >= MAX_TIME_S) throw new InputError([`${this.stopField()}: ${precisionMessage(this.sim.now)}`]);
    this.onProgress?.(1);
    return this.result();
  }

  /**
   * The figures so far, in the contract's shape: the stages' results (the station's
   * time-weighted counters and its stage collectors' fragments), the run collectors'
   * fragments (`metrics/run-collectors.ts`), and what is the run's own: its name and
   * seed, its span, the engine's event count, the warnings and the time series.
   */
  result(): RunResult {
    const endS = this.sim.now;
    const startS = this.warmupEndS === Infinity ? endS : this.warmupEndS;
    const span: MeasuredSpan = { startS, endS, spanS: endS - startS };
    const stages = this.stageResults(span);
    const own: Partial<RunResult> = {
      scenario: this.system.name,
      seed: this.seed,
      stages,
      measuredS: span.spanS,
      warmupEndS: startS,
      endS,
      events: this.sim.eventsFired,
      warnings: runWarnings({ system: this.system, arrivalRateRps: this.arrivals.meanRateRps, mainPath: this.mainPath(), autoscalers: this.autoscalers, shielded: this.shielded(), span, stations: this.stages }),
      timeSeries: this.seriesResult(endS, startS),
    };
    const parts = this.metrics.fragments({ ...span, system: this.system, built: this.built, nodes: this.nodes, stations: this.stages, stages });
    const out: Record<string, unknown> = {};
    for (const key of RUN_RESULT_KEYS) {
      const v = key in own ? own[key] : parts[key];
      if (v !== undefined) out[key] = v;
    }
    return out as unknown as RunResult;
  }

  /** Every stage's figures, in the contract's key order. */
  private stageResults(span: MeasuredSpan): Record<string, StageResult> {
    const stages: Record<string, StageResult> = {};
    for (const b of this.built) {
      const st = b.stage;
      const m = st.metrics;
      const at = { station: st, scaling: this.autoscalers.get(st.name)?.decisions, faults: this.faults.get(st.name) };
      // The stage collectors' figures (src/models/metrics/stage-collectors.ts) around the
      // stage's own catalog keys, in the contract's key order.
      stages[st.name] = {
        ...m.fragment('station', span, at),
        ...m.fragment('queue', span, at),
        model: b.desc.model?.name ?? null,
        hardware: b.desc.hardware?.name ?? null,
        ...m.fragment('bill', span, at),
        quality: b.desc.model && Number.isFinite(b.desc.model.entry.quality.value) ? { ...b.desc.model.entry.quality } : stageLlmQuality(b.desc),
        ...m.fragment('replicas', span, at),
        ...m.fragment('kind', span, at),
        ...m.fragment('node', span, at),
        ...m.fragment('end', span, at),
      } as StageResult;
    }
    return stages;
  }
}

/**
 * The mean prompt's TTFT alone that a fallback's `estimatedTtft` rule multiplies. Where
 * there is none (prefill and decode pools, token counts from a trace, a mean request the
 * replica would refuse) the rule could never fire: refused, located, instead of ignored.
 */
function ttftAloneFor(stage: Station, sp: StageDescription): number {
  const t = stage.theory.llm?.ttftAloneS ?? NaN;
  if (sp.fallback !== null && sp.fallback.estimatedTtftS !== Infinity && !(t > 0)) {
    throw new InputError([
      `stages[${sp.index}].fallback.estimatedTtft: the estimate needs the mean prompt's time to first token alone on an idle replica, ` +
        'which this stage does not have (separate prefill and decode pools, token counts read from a trace, or a mean request longer than a replica holds); use queueLength instead',
    ]);
  }
  return t;
}

/** An LLM stage's published quality as a stage's `quality` key ({ metric: its benchmark, value }); null for none. */
function stageLlmQuality(d: StageDescription): { metric: string; value: number } | null {
  const q = d.llm?.quality;
  return q ? { metric: q.benchmark, value: q.value } : null;
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
