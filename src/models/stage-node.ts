import type { KeyCache, Sampler, Simulation } from '../engine/index.ts';
import type { Request } from './request.ts';
import type { DoneTarget, Station } from './stations/station.ts';

/** Where a diverted request goes: a heuristic (fixed latency and quality) or another stage's station. */
export type DivertTarget = { heuristic: { latency: Sampler; quality: number } } | { station: Station };

/** Where a node hands a request it is done with: the next node, or the end of the path. */
export interface PathTarget {
  enter(req: Request): void;
}

/** Counts cache lookups per window (the time series): all requests, warm-up included. */
export interface LookupRecorder {
  lookup(stage: number, nowS: number, hit: boolean, classIndex: number): void;
}

/** A cache in front of a stage: a policy over request keys (`cachePolicyRegistry`), hit latency. */
export interface CacheConfig {
  /** The cache every request looks up and fills; absent when partitioned (`byClass`). */
  policy?: KeyCache;
  /** Partitioned by class: the cache of each class index (its own share of the capacity). */
  byClass?: ReadonlyArray<KeyCache | undefined>;
  hitLatency: Sampler;
}

/** When to send a request to a lighter model or a heuristic instead of the stage. */
export interface FallbackConfig {
  /** Divert when this many requests already wait at the stage (Infinity: never on length). */
  queueLength: number;
  /** Divert when the estimated wait (waiting ÷ serving slots × mean service time) exceeds this. */
  estimatedWaitS: number;
  /**
   * An LLM stage: divert when the estimated TTFT, (waiting ÷ replicas + 1) × `ttftAloneS`,
   * exceeds this (Infinity: never). The prompts waiting for admission at a replica are each
   * prefilled before this one, then its own.
   */
  estimatedTtftS: number;
  /** The mean prompt's TTFT alone on an idle replica of the stage (NaN off an LLM stage). */
  ttftAloneS: number;
  target: DivertTarget;
}

/**
 * A cascade's step up: once this stage has answered, a share of its requests go on to the
 * next stage (escalated), the others leave the path with this stage's answer.
 */
export interface EscalateConfig {
  share: number;
  /** Uniform draws in [0, 1) from the stage's own stream. */
  draw: () => number;
  /** Where an answered request goes: the end of the path. */
  end: PathTarget;
}

/**
 * Predictions computed by a periodic batch job, looked up online. Job k scores the
 * whole known population from a snapshot taken at k·every and finishes at k·every +
 * durationS; from then until the next job finishes, lookups serve its predictions,
 * whose age is now − k·every. `warmStart` assumes a job finished before the run
 * began (steady state); otherwise nothing is covered until the first job is done.
 */
export interface PrecomputeConfig {
  everyS: number;
  durationS: number;
  warmStart: boolean;
  /** Known users: keys below this were scored; newer keys were not. */
  population: number;
  /** Quality of the precomputed predictions; NaN when unknown. */
  quality: number;
  /** Where requests with no prediction go (new users, or before the first job). */
  miss: DivertTarget;
}

/** What a node does to the candidates a request carries once the stage is done. */
export interface CandidateConfig {
  /** Candidates after this stage (a retrieval stage turns 1 request into k). */
  out: number | undefined;
  /** Keep at most this many (a filter stage keeps the top k'). */
  keep: number | undefined;
}

/**
 * A stage in the request's path with what stands in front of it: a prediction store
 * filled by a batch job, a cache, a fallback rule. Tells its station's `StageMetrics`
 * of lookups, diversions and the time requests spend here (the stage collectors
 * measure them); stamps each request's freshness and quality.
 */
export class StageNode implements DoneTarget {
  readonly cache: KeyCache | undefined;
  private readonly cacheByClass: ReadonlyArray<KeyCache | undefined> | undefined;

  constructor(
    private readonly sim: Simulation,
    readonly stage: Station,
    private readonly cacheCfg: CacheConfig | undefined,
    private readonly fallback: FallbackConfig | undefined,
    private readonly precompute: PrecomputeConfig | undefined,
    private readonly candidatesCfg: CandidateConfig,
    /** Mean service time of one request at the stage, for the estimated-wait rule. */
    private readonly meanServiceS: number,
    /** Where requests go after this node. */
    private readonly next: PathTarget,
    /** The time series' cache-hit counter, and this stage's index in it (used with a cache only). */
    private readonly lookupRecorder: LookupRecorder,
    private readonly stageIndex: number,
    private readonly escalate: EscalateConfig | undefined = undefined,
  ) {
    this.cache = cacheCfg?.policy;
    this.cacheByClass = cacheCfg?.byClass;
  }

  get name(): string {
    return this.stage.name;
  }

  /** Snapshot time of the predictions served at `nowS`, or NaN when none are ready yet. */
  snapshotAt(nowS: number): number {
    const p = this.precompute!;
    const k = Math.floor((nowS - p.durationS) / p.everyS);
    if (k < 0 && !(p.warmStart && k === -1)) return NaN;
    return k * p.everyS;
  }

  /** A request reaches this node. */
  readonly enter = (req: Request): void => {
    const now = this.sim.now;
    req.nodeEnterS = now;
    const p = this.precompute;
    if (p !== undefined) {
      const snap = this.snapshotAt(now);
      const known = req.key >= 0 && req.key < p.population;
      if (known && snap === snap) {
        this.stage.metrics.predictionLookup(req, true);
        req.freshnessS = now - snap;
        if (p.quality === p.quality) req.quality = p.quality;
      } else {
        this.stage.metrics.predictionLookup(req, false);
        this.divert(req, p.miss);
        return;
      }
    }
    const cache = this.cacheByClass?.[req.classIndex] ?? this.cache;
    if (cache !== undefined) {
      const hit = req.key >= 0 && cache.get(req.key, now);
      this.stage.metrics.cacheLookup(req, hit);
      this.lookupRecorder.lookup(this.stageIndex, now, hit, req.classIndex);
      if (hit) {
        this.stage.answeredByCache?.(req);
        // A hit serves what the stage's model computed earlier: its quality, not none.
        if (this.stage.quality === this.stage.quality) req.quality = this.stage.quality;
        this.sim.schedule(this.cacheCfg!.hitLatency(), this.exit, req);
        return;
      }
    }
    const f = this.fallback;
    if (f !== undefined) {
      const st = this.stage;
      const waiting = st.waiting;
      const estWait = (waiting / Math.max(1, st.readyCount * st.concurrency)) * this.meanServiceS;
      const estTtft = (waiting / Math.max(1, st.readyCount) + 1) * f.ttftAloneS;
      if (waiting >= f.queueLength || estWait > f.estimatedWaitS || estTtft > f.estimatedTtftS) {
        this.stage.metrics.diverted(req);
        this.divert(req, f.target);
        return;
      }
    }
    this.stage.accept(req);
  };

  private divert(req: Request, target: DivertTarget): void {
    if ('heuristic' in target) {
      req.quality = target.heuristic.quality;
      this.sim.schedule(target.heuristic.latency(), this.exit, req);
    } else {
      req.via = this;
      target.station.accept(req);
    }
  }

  /** The stage's station finished the request (a cache miss fills the cache). */
  stationDone(req: Request): void {
    const cache = this.cacheByClass?.[req.classIndex] ?? this.cache;
    if (cache !== undefined && req.key >= 0) cache.put(req.key, this.sim.now);
    this.exit(req);
  }

  /** A standby stage finished a request this node diverted to it. */
  readonly returnFromStandby = (req: Request): void => {
    req.via = null;
    this.exit(req);
  };

  readonly exit = (req: Request): void => {
    this.stage.metrics.nodeLeft(req, this.sim.now - req.nodeEnterS);
    const c = this.candidatesCfg;
    if (c.out !== undefined) req.candidates = c.out;
    if (c.keep !== undefined && req.candidates > c.keep) req.candidates = c.keep;
    const e = this.escalate;
    if (e !== undefined && e.draw() >= e.share) {
      e.end.enter(req);
      return;
    }
    this.next.enter(req);
  };
}

/** Routes what a standby stage's station finishes back to the node that diverted it. */
export class StandbyReturn implements DoneTarget {
  stationDone(req: Request): void {
    req.via!.returnFromStandby(req);
  }
}
