import { TimeWeighted, type Simulation } from '../../engine/index.ts';
import { InputError } from '../../config/errors.ts';
import { LIMITS, fmtCount } from '../../config/limits.ts';
import type { LlmStageDescription, RoutingPolicyName, StageDescription, StationKind } from '../../config/description.ts';
import { LlmReplica, noisyStepTime, type StepTimeModel } from '../llm/index.ts';
import { baseStepTime, kvBlocksOf, kvBytesPerTokenOf, poolDescription, saturationRps } from '../llm/stage-engine.ts';
import { aloneOnIdleReplicaS, saturationThroughput } from '../llm/theory.ts';
import type { LlmSchedulerConfig } from '../llm/types.ts';
import { maxTokens, meanTokens, tokenSource, type RequestTokens } from '../llm/token-source.ts';
import type { LlmRejectReason } from '../llm/types.ts';
import { LlmCollector } from '../metrics/llm-collector.ts';
import { LlmSeries } from '../metrics/llm-series.ts';
import type { StageMetrics } from '../metrics/stage-metrics.ts';
import type { Request } from '../request.ts';
import { routerRegistry, type Router, type RoutingView } from '../routing/index.ts';
import type { LlmLoad, ScalableCapacity } from './capacity.ts';
import { UNCONNECTED, type ChangeListener, type DoneTarget, type DropTarget, type LlmTheory, type Station, type StationCounters, type StationLinks, type StationTheory, resetCounters } from './station.ts';

/** One visit of a request to an LLM stage: what its engine sees. */
class LlmJob {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly prefixGroup: number | undefined;
  readonly prefixTokens: number | undefined;
  readonly transferredTokens: number | undefined;
  /** Time of its first output token (seconds); NaN before. */
  firstTokenS = NaN;
  /** True until its first scheduling (admission). */
  waiting = true;
  constructor(
    readonly req: Request,
    t: RequestTokens,
  ) {
    this.inputTokens = t.inputTokens;
    this.outputTokens = t.outputTokens;
    this.prefixGroup = t.prefixGroup;
    this.prefixTokens = t.prefixTokens;
    this.transferredTokens = t.transferredTokens;
  }
}

/**
 * A stage of LLM engine replicas (`llm:` in a scenario): N `LlmReplica`s, each with
 * vLLM V1's scheduler (docs/llm-scheduler.md), behind a router from `routerRegistry`
 * (least outstanding requests by default). A request gets its token counts from the
 * scenario's `tokens:` the first time it reaches an LLM stage, goes to one replica, and
 * leaves with its last token: its latency through the stage is its E2E.
 *
 * It reports to its stage's `StageMetrics` like a pool (`waited`: arrival to first
 * scheduling, `finished`, `dropped` with `never-fits` for a request that can never be
 * served), so the stage figures work, and the token-level figures to its `LlmCollector`.
 *
 * Counters: a replica is busy while it holds a request; a request is in service from
 * its first scheduling (admission) to its last token, preempted or not, and waiting
 * before (its pre-queue overhead included).
 *
 * Autoscaling (`ScalableCapacity`, a co-located stage only): a replica the autoscaler
 * adds is billed from its request and, once its cold start (the model load) is over,
 * becomes a fresh engine (empty KV and prefix cache) that the router offers new
 * requests to; requests already routed stay where they are, as at a pool with
 * per-replica queues. A removed replica (the one holding the fewest requests) takes no
 * new request and drains: it finishes what it holds (its running and waiting
 * sequences), billed until its last one leaves.
 */
export class LlmStation implements Station, StationCounters, ScalableCapacity, LlmLoad {
  readonly kind: StationKind = 'llm';
  readonly name: string;
  /** The catalog's quality of the model at its weight format (`LlmStageDescription.quality`); NaN where none is published. */
  readonly quality: number;
  readonly replicas: number;
  readonly servers: number;
  readonly concurrency = 1;
  /**
   * Each replica slot's engine. A slot is taken by a replica from its readiness until it
   * has drained; a slot freed that way gets a fresh engine when the autoscaler adds one.
   */
  readonly engines: LlmReplica<LlmJob>[];
  /** The token-level figures of this stage. */
  readonly llm: LlmCollector;
  /** KV blocks of each replica (given, the profile's, or derived from a roofline's memory). */
  readonly kvBlocks: number;
  /** The step-time model without noise (theory reads it); a disaggregated stage's prefill pool's. */
  private readonly baseTime: StepTimeModel;
  /** A disaggregated stage's decode pool's step-time model without noise; `baseTime` otherwise. */
  private readonly decodeTime: StepTimeModel;
  /** Its per-window figures, once the run's windows are known (`attachSeries`); null before. */
  series: LlmSeries | null = null;

  readonly busy: TimeWeighted;
  readonly queueLength: TimeWeighted;
  readonly inServiceCount: TimeWeighted;
  readonly slots: TimeWeighted;
  readonly readyReplicas: TimeWeighted;
  readonly billedReplicas: TimeWeighted;

  private readonly router: Router;
  /** The slots `router` chooses among (co-located: `serving` itself; disaggregated: the prefill pool's). */
  private readonly routeIds: readonly number[];
  /** The slots `decodeRouter` chooses among (the decode pool's; `routeIds` when co-located). */
  private readonly decodeIds: readonly number[];
  /** Routes a disaggregated stage's requests over its decode pool (the same policy); `router` otherwise. */
  private readonly decodeRouter: Router;
  /** Engines of the prefill pool (the first ones of `engines`); 0 when prefill and decode share each replica. */
  readonly prefillCount: number;
  /** Bytes of KV cache per token moved from a prefill to a decode replica (disaggregated only). */
  private readonly kvBytesPerToken: number = 0;
  /** When each prefill replica's link is free again: its transfers go one at a time (disaggregated only). */
  private readonly linkFreeS: Float64Array = new Float64Array(0);
  /** A transfer arrives at the decode pool. */
  private readonly deliveredFn = (job: LlmJob): void => this.delivered(job);
  /** Requests each replica slot holds (submitted, not yet finished). */
  private readonly outstanding: number[];
  /** Slots taking new requests, in the order the router sees them (co-located stages; all slots otherwise). */
  private readonly serving: number[];
  /** Slots removed by the autoscaler and still finishing their requests. */
  private readonly drainingSlots = new Set<number>();
  /** Slots whose replica drained and left (reused, with a fresh engine, by the next replica added). */
  private readonly freeSlots: number[] = [];
  /** Replicas requested and not yet ready. */
  private provisioningNow = 0;
  /** Engines built so far: names the next one's noise stream, so a fresh engine never replays an old one's draws. */
  private built = 0;
  /** The engine settings by pool (co-located: one). */
  private readonly configs: LlmSchedulerConfig[];
  private readonly times: StepTimeModel[];
  /** KV blocks each slot's engine holds now, and their sum (integers: the sum is exact). */
  private readonly usedBlocksOf: number[];
  private usedBlocksTotal = 0;
  /** Requests in each slot's engine's waiting queue, and their sum. */
  private readonly waitingOf: number[];
  private waitingTotal = 0;
  /** What replaced engines had counted since measurement began (their slot got a fresh engine). */
  private retired: EngineSnapshot = { ...NO_COUNTS };
  private retiredKvArea = 0;
  private retiredKvMax = 0;
  private retiredGenerated = 0;
  /** Σ over serving replicas of KV blocks held ÷ KV blocks, over time (`LlmLoad`). */
  readonly kvShare: TimeWeighted;
  /** Requests in the engines' waiting queues, over time (`LlmLoad`). */
  readonly engineWaiting: TimeWeighted;
  private busyReplicas = 0;
  private held = 0;
  private admitted = 0;
  private readonly draw: (attrs: readonly number[] | null) => RequestTokens;
  private done: DoneTarget = UNCONNECTED.done;
  private dropTarget: DropTarget = UNCONNECTED.drop;
  private changes: ChangeListener = UNCONNECTED.changes;
  private connected = false;
  /** Forwards a request whose last token is reported after the step's end (α2 > 0). */
  private readonly forwardFn = (req: Request): void => this.forward(req);

  constructor(
    private readonly sim: Simulation,
    private readonly desc: StageDescription,
    /** The stage's collectors: the station reports what happens, they measure it. */
    readonly metrics: StageMetrics,
    attributeNames: readonly string[],
    slo: { ttftS: number; tpotS: number },
  ) {
    const d = desc.llm!;
    const where = `stages[${desc.index}].llm`;
    this.name = desc.name;
    this.quality = d.quality?.value ?? NaN;
    const dis = d.disaggregated;
    // A disaggregated stage: prefill engines [0, prefillCount), then decode engines, each pool from its own roofline.
    const pools = dis === null ? [{ d, where, count: desc.replicas }] : (['prefill', 'decode'] as const).map((pool) => ({ d: poolDescription(d, pool), where: `${where}.disaggregated.${pool}`, count: dis[pool].replicas }));
    const times = pools.map((p) => baseStepTime(p.d, p.where));
    const kv = pools.map((p) => kvBlocksOf(p.d, p.where));
    this.baseTime = times[0]!;
    this.decodeTime = times[times.length - 1]!;
    // The decode pool's blocks are the ones a whole request must fit in.
    this.kvBlocks = kv[kv.length - 1]!;
    this.prefillCount = dis === null ? 0 : dis.prefill.replicas;
    // Refused before anything is allocated: every replica's block pool is laid out up front
    // (an autoscaled stage's at its most replicas).
    const most = dis === null && desc.autoscale !== null ? Math.max(desc.replicas, desc.autoscale.max) : desc.replicas;
    const blocks = dis === null ? most * kv[0]! : pools.reduce((a, p, k) => a + p.count * kv[k]!, 0);
    if (blocks > LIMITS.kvBlocksPerStage) {
      throw new InputError([
        `${where}: ${fmtCount(most)} replica(s) × ${fmtCount(this.kvBlocks)} KV blocks is ${fmtCount(blocks)} blocks to simulate, about ${fmtCount(Math.round((blocks * 44) / 2 ** 30))} GB; at most ${fmtCount(LIMITS.kvBlocksPerStage)} per stage (fewer replicas or fewer kvBlocks${most > desc.replicas ? ', or a lower autoscale.max' : ''})`,
      ]);
    }
    if (dis !== null) {
      checkDecodePool(d, this.kvBlocks, `${where}.disaggregated.decode`);
      this.kvBytesPerToken = kvBytesPerTokenOf(d);
      this.linkFreeS = new Float64Array(dis.prefill.replicas).fill(sim.now);
    }
    this.replicas = desc.replicas;
    this.servers = desc.replicas;
    this.llm = new LlmCollector(slo);
    this.draw = tokenSource(d.tokens, (n) => sim.random.stream(`stage:${desc.name}:${n}`), attributeNames);
    this.configs = kv.map((kvBlocks, k) => ({
      maxNumSeqs: d.maxNumSeqs,
      maxBatchedTokens: d.maxBatchedTokens,
      chunkedPrefill: d.chunkedPrefill,
      // The decode pool looks up no prefix: a request arrives with its KV, and a preempted one recomputes it.
      prefixCaching: d.prefixCaching && !(dis !== null && k === 1),
      blockSize: d.blockSize,
      kvBlocks,
    }));
    this.times = times;
    this.outstanding = new Array<number>(desc.replicas).fill(0);
    this.usedBlocksOf = new Array<number>(desc.replicas).fill(0);
    this.waitingOf = new Array<number>(desc.replicas).fill(0);
    this.serving = Array.from({ length: desc.replicas }, (_, i) => i);
    this.engines = this.serving.map((i) => this.makeEngine(i));
    const rng = sim.random.stream(`stage:${desc.name}:routing`);
    const policy = routerRegistry[desc.routing as Exclude<RoutingPolicyName, 'shared'>];
    if (dis === null) {
      // Over the serving slots, which the autoscaler changes.
      this.routeIds = this.serving;
      this.router = policy(this.view(this.routeIds), rng);
      this.decodeIds = this.routeIds;
      this.decodeRouter = this.router;
    } else {
      // The same policy routes over each pool; the decode pool's draws from a stream of its own.
      this.routeIds = this.serving.slice(0, this.prefillCount);
      this.decodeIds = this.serving.slice(this.prefillCount);
      this.router = policy(this.view(this.routeIds), rng);
      this.decodeRouter = policy(this.view(this.decodeIds), sim.random.stream(`stage:${desc.name}:decode-routing`));
    }
    const t0 = sim.now;
    this.busy = new TimeWeighted(t0);
    this.queueLength = new TimeWeighted(t0);
    this.inServiceCount = new TimeWeighted(t0);
    this.slots = new TimeWeighted(t0, desc.replicas);
    this.readyReplicas = new TimeWeighted(t0, desc.replicas);
    this.billedReplicas = new TimeWeighted(t0, desc.replicas);
    this.kvShare = new TimeWeighted(t0);
    this.engineWaiting = new TimeWeighted(t0);
  }

  /**
   * A fresh engine for `slot` (its pool's settings; noise from a stream of its own, named
   * by how many engines were built before it, so the first N keep the names they always had).
   */
  private makeEngine(slot: number): LlmReplica<LlmJob> {
    const sim = this.sim;
    const d = this.desc.llm!;
    const dis = d.disaggregated;
    const n = this.built++;
    const k = dis !== null && slot >= this.prefillCount ? 1 : 0;
    const config = this.configs[k]!;
    const base = this.times[k]!;
    const time: StepTimeModel = d.noiseCv > 0 ? noisyStepTime(base, d.noiseCv, sim.random.stream(`stage:${this.desc.name}:replica-${n}:step-noise`)) : base;
    const decodeSide = k === 1;
    const i = slot;
    return new LlmReplica<LlmJob>(
      sim,
      config,
      time,
      {
        // A decode replica's first token is the answer's second: its gap from the delivered first is an inter-token time.
        firstToken: decodeSide
          ? (job, t) => this.llm.interToken(t - job.firstTokenS)
          : (job, t) => {
              job.firstTokenS = t;
            },
        finish: dis !== null && !decodeSide ? (job, t) => this.prefilled(i, job, t) : (job, t) => this.finish(i, job, t),
        reject: (req, why) => this.rejected(i, req, why),
      },
      {
        onAdmitted: (t, job) => this.admitted1(t, job),
        onStep: (t, dur, seqs, p, dd) => {
          this.llm.step(seqs, p + dd);
          this.series?.step(t, dur, seqs, this.engines[i]!.usedBlocks / config.kvBlocks);
        },
        onInterToken: (itl) => this.llm.interToken(itl),
        onKvUsage: (t, used) => {
          this.usedBlocksTotal += used - this.usedBlocksOf[i]!;
          this.usedBlocksOf[i] = used;
          // Co-located replicas share one block count; a disaggregated stage is not autoscaled, and this figure is read only then.
          this.kvShare.set(t, this.usedBlocksTotal / config.kvBlocks);
        },
        onWaiting: (t, waiting) => {
          this.waitingTotal += waiting - this.waitingOf[i]!;
          this.waitingOf[i] = waiting;
          if (this.engineWaiting.current !== this.waitingTotal) this.engineWaiting.set(t, this.waitingTotal);
        },
      },
    );
  }

  connect(links: StationLinks): void {
    if (this.connected) throw new Error(`station "${this.name}" is already connected`);
    this.connected = true;
    this.done = links.done;
    this.dropTarget = links.drop;
    this.changes = links.changes;
  }

  get counters(): StationCounters {
    return this;
  }

  get waiting(): number {
    return this.held - this.admitted;
  }

  get inService(): number {
    return this.admitted;
  }

  /** Replicas taking new requests now. */
  get readyCount(): number {
    return this.serving.length;
  }

  /** Replicas requested and not yet ready. */
  get provisioningCount(): number {
    return this.provisioningNow;
  }

  /** The engines' load, for the LLM autoscaling metrics. */
  get llmLoad(): LlmLoad {
    return this;
  }

  /** Output tokens emitted since the start, every engine's (replaced ones included). */
  get generatedTokens(): number {
    let n = this.retiredGenerated;
    for (const e of this.engines) n += e.counters.generatedTokens;
    return n;
  }

  /**
   * What queueing theory and the load check read. `meanS` is a request alone on an idle
   * replica at the mean token counts (docs/llm-scheduler.md, "Time"); NaN when the means
   * are unknown (token counts from a trace).
   */
  get theory(): StationTheory {
    const d = this.desc;
    const llm = this.llmTheory();
    return {
      replicas: this.replicas,
      concurrency: 1,
      servers: this.replicas,
      shards: 1,
      fanout: false,
      hedged: false,
      maxBatch: d.llm!.maxNumSeqs,
      routing: d.routing,
      queueCapacity: Infinity,
      deadlineS: Infinity,
      systemDeadlineS: d.systemDeadlineS,
      meanS: llm.e2eAloneS,
      fullBatchMeanS: llm.e2eAloneS,
      scv: undefined,
      llm,
    };
  }

  /** The scheduler settings of every replica. */
  private get config(): LlmSchedulerConfig {
    const d = this.desc.llm!;
    return { maxNumSeqs: d.maxNumSeqs, maxBatchedTokens: d.maxBatchedTokens, chunkedPrefill: d.chunkedPrefill, prefixCaching: d.prefixCaching, blockSize: d.blockSize, kvBlocks: this.kvBlocks };
  }

  /**
   * The saturated batch and rate of one replica at the mean token counts (theory.ts's
   * `saturationThroughput` with coefficients; otherwise the same steady state priced by the
   * step model, `saturationRps`, at the smaller of maxNumSeqs and the KV cache's bound).
   */
  private saturation(p: number, o: number): { batch: number; rps: number } {
    const d = this.desc.llm!;
    const s = d.step;
    if (s.kind === 'coefficients') {
      const sat = saturationThroughput({ alpha: s.alpha, beta: s.beta }, this.config, p, o);
      return { batch: sat.batch, rps: sat.requestsPerS };
    }
    const b = Math.min(d.maxNumSeqs, (this.kvBlocks * d.blockSize) / (p + (o - 1) / 2), (d.maxBatchedTokens * o) / (p + o - 1));
    return { batch: b, rps: saturationRps(this.baseTime, p, o, b) };
  }

  private llmTheory(): LlmTheory {
    const d = this.desc.llm!;
    const p = meanTokens(d.tokens.input);
    const o = meanTokens(d.tokens.output);
    const none = { meanInputTokens: p, meanOutputTokens: o, ttftAloneS: NaN, e2eAloneS: NaN, kvBatch: NaN, capacityRps: Infinity };
    // Two pools and a link: the one-pool closed forms do not apply (not written for them yet).
    if (!(p >= 1 && o >= 1) || this.prefillCount > 0) return none;
    // The lone request at the means rounded to whole tokens; one the replica would refuse has no lone times.
    let alone = { ttftS: NaN, e2eS: NaN };
    try {
      alone = aloneOnIdleReplicaS(this.baseTime, this.config, Math.round(p), Math.round(o));
    } catch {
      // refused (a mean request longer than the KV cache holds): the rows say "not comparable"
    }
    return { meanInputTokens: p, meanOutputTokens: o, ttftAloneS: alone.ttftS, e2eAloneS: alone.e2eS, kvBatch: this.saturation(p, o).batch, capacityRps: this.capacityRps() };
  }

  /**
   * Saturation estimate (requests/s): every replica busy at its saturated batch
   * (`saturation`); for a disaggregated stage the smaller of its two pools' estimates
   * (`poolsCapacityRps`). Infinity when the token means are unknown (a trace), so no
   * overload is foreseen then.
   */
  capacityRps(replicas = this.replicas): number {
    const d = this.desc.llm!;
    const p = meanTokens(d.tokens.input);
    const o = meanTokens(d.tokens.output);
    if (!(p >= 1 && o >= 1)) return Infinity;
    if (this.prefillCount > 0) return this.poolsCapacityRps(p, o);
    return replicas * this.saturation(p, o).rps;
  }

  /**
   * A disaggregated stage's saturation estimate at the mean token counts, the smaller of:
   * the prefill pool running full-budget steps of whole mean prompts (maxBatchedTokens / P
   * prompts a step, the step model's time for them: an optimistic bound, chunk boundaries
   * ignored), and the decode pool at its saturated batch B (maxNumSeqs or its KV cache's
   * bound), each step carrying B/O one-token prefills and B·(O − 1)/O decode tokens over
   * contexts of P + O/2 (the steady state of `saturationRps`).
   */
  private poolsCapacityRps(p: number, o: number): number {
    const d = this.desc.llm!;
    const dis = d.disaggregated!;
    const budget = d.maxBatchedTokens;
    const prompts = budget / p;
    const prefillStep = this.baseTime.stepS(budget, 0, { decodeContextTokens: 0, prefillContextTokens: 0, prefillAttentionPairs: (prompts * p * (p + 1)) / 2 });
    const prefillRps = (dis.prefill.replicas * prompts) / prefillStep;
    const b = Math.min(d.maxNumSeqs, (this.kvBlocks * d.blockSize) / (p + (o - 1) / 2));
    const decodeStep = this.decodeTime.stepS(b / o, (b * (o - 1)) / o, { decodeContextTokens: ((b * (o - 1)) / o) * (p + o / 2), prefillContextTokens: (b / o) * p, prefillAttentionPairs: (b / o) * (p + 1) });
    const decodeRps = (dis.decode.replicas * b) / (o * decodeStep);
    return Math.min(prefillRps, decodeRps);
  }

  resetStats(nowS: number): void {
    resetCounters(this, nowS);
    for (const e of this.engines) e.counters.kvUtilization.reset(nowS);
    this.startCounts = this.engines.map((e) => ({ ...snapshot(e) }));
    // What engines replaced during warm-up counted is not measured.
    this.retired = { ...NO_COUNTS };
    this.retiredKvArea = 0;
    this.retiredKvMax = 0;
    this.llm.measuring = true;
    this.metrics.measuring = true;
  }

  /** Records per-window figures on the run's windows of `windowS` seconds. */
  attachSeries(windowS: number): void {
    this.series = new LlmSeries(windowS, this.replicas);
  }

  /** Each replica's counters when measurement started (differences give the measured figures). */
  startCounts: EngineSnapshot[] = [];

  accept(req: Request): void {
    const now = this.sim.now;
    req.enqueuedS = now;
    this.llm.requestArrived(req);
    if (req.tokens === null) req.tokens = this.draw(req.attrs);
    const t = req.tokens;
    let job = new LlmJob(req, t);
    if (this.prefillCount > 0) {
      // The decode pool must be able to take the request once prefilled; refused now if it never could.
      const decodeSpec = decodeSide(t);
      if (decodeSpec !== null && this.engines[this.prefillCount]!.rejectReason(decodeSpec) !== undefined) {
        this.held++;
        this.refuse(req);
        return;
      }
      // The prefill pool computes the prompt and its first token.
      job = new LlmJob(req, { inputTokens: t.inputTokens, outputTokens: 1, prefixGroup: t.prefixGroup, prefixTokens: t.prefixTokens });
    }
    const i = this.routeIds[this.router(t)]!;
    this.hold(i);
    this.held++;
    this.sync(now);
    this.engines[i]!.submit(job);
  }

  /**
   * The cache in front answered `req`: it gets its token counts as the engine would have
   * drawn them (the same stream, in the same order of arrival at the stage, so the k-th
   * request's tokens do not depend on whether the cache answered it) and they count as
   * served from cache, not as the engine's.
   */
  answeredByCache(req: Request): void {
    if (req.tokens === null) req.tokens = this.draw(req.attrs);
    this.llm.answeredByCache(req, req.tokens.inputTokens, req.tokens.outputTokens);
  }

  /** The replicas a router chooses among (its i-th is slot `ids[i]`; `ids` may change as the autoscaler works), as it sees them. */
  private view(ids: readonly number[]): RoutingView {
    const outstanding = this.outstanding;
    const engines = this.engines;
    // The router reads each engine's token-level figures through this view, never the engine itself.
    return {
      count: () => ids.length,
      outstanding: (i) => outstanding[ids[i]!]!,
      tokens: {
        outstandingTokens: (i) => engines[ids[i]!]!.outstandingTokens,
        kvUtilization: (i) => engines[ids[i]!]!.usedBlocks / engines[ids[i]!]!.config.kvBlocks,
        cachedPrefixBlocks: (i, group) => engines[ids[i]!]!.cachedPrefixBlocks(group),
      },
    };
  }

  /** `job` was admitted into a step planned at `t`: the first time, it leaves the waiting queue. */
  private admitted1(t: number, job: LlmJob): void {
    if (!job.waiting) return;
    job.waiting = false;
    this.admitted++;
    this.metrics.waited(job.req, t - job.req.enqueuedS);
    this.metrics.batchStarted(1);
    this.sync(t);
  }

  private hold(i: number): void {
    const had = this.outstanding[i]!;
    this.outstanding[i] = had + 1;
    if (had === 0) this.busyReplicas++;
  }

  /** Slot `i` lets go of a request; a draining replica that holds none any more leaves (its caller syncs the counters). */
  private release(i: number): void {
    const left = this.outstanding[i]! - 1;
    this.outstanding[i] = left;
    if (left === 0) {
      this.busyReplicas--;
      if (this.drainingSlots.delete(i)) this.freeSlots.push(i);
    }
  }

  // ---------------------------------------------------------------------------
  // Capacity changes (ScalableCapacity: the autoscaler's calls; co-located stages only).

  /** A replica was requested: it is billed from now, and serves once `replicaReady` is called. */
  replicaRequested(): void {
    this.provisioningNow++;
    this.sync(this.sim.now);
  }

  /** A requested replica was cancelled before it became ready: billing stops now. */
  replicaCancelled(): void {
    this.provisioningNow--;
    this.sync(this.sim.now);
  }

  /** A requested replica has loaded its model: a fresh engine in a free slot takes new requests from now. */
  replicaReady(): void {
    if (this.prefillCount > 0) throw new Error(`stage "${this.name}": a disaggregated stage is not autoscaled (validation should have refused it)`);
    const now = this.sim.now;
    this.provisioningNow--;
    const slot = this.freeSlots.pop();
    if (slot === undefined) {
      const i = this.engines.length;
      this.outstanding.push(0);
      this.usedBlocksOf.push(0);
      this.waitingOf.push(0);
      this.engines.push(this.makeEngine(i));
      this.startCounts[i] = { ...NO_COUNTS };
      this.serving.push(i);
    } else {
      this.retire(this.engines[slot]!, slot, now);
      this.engines[slot] = this.makeEngine(slot);
      this.startCounts[slot] = { ...NO_COUNTS };
      this.serving.push(slot);
    }
    this.capacityChanged(now);
  }

  /**
   * Removes one ready replica: the one holding the fewest requests (the last such in the
   * router's order) takes no new request and finishes those it holds, billed until then.
   */
  removeReplica(): void {
    if (this.serving.length <= 1) throw new Error(`stage "${this.name}" cannot remove its last replica`);
    const now = this.sim.now;
    let pick = this.serving.length - 1;
    let least = Infinity;
    for (let j = this.serving.length - 1; j >= 0; j--) {
      const load = this.outstanding[this.serving[j]!]!;
      if (load < least) {
        least = load;
        pick = j;
      }
    }
    const slot = this.serving.splice(pick, 1)[0]!;
    if (this.outstanding[slot]! > 0) this.drainingSlots.add(slot);
    else this.freeSlots.push(slot);
    this.capacityChanged(now);
  }

  /** A replaced engine's measured counts and KV time are kept (the run's figures include them). */
  private retire(e: LlmReplica<LlmJob>, slot: number, now: number): void {
    const c = snapshot(e);
    const s0 = this.startCounts[slot];
    for (const k of Object.keys(this.retired) as Array<keyof EngineSnapshot>) this.retired[k] += c[k] - (s0?.[k] ?? 0);
    const u = e.counters.kvUtilization;
    this.retiredKvArea += u.integral(now);
    this.retiredKvMax = Math.max(this.retiredKvMax, u.max);
    this.retiredGenerated += e.counters.generatedTokens;
  }

  /** KV cache utilization of the engines replaced since measurement began: their summed time integral and largest value (the engines in place read their own counters). */
  replacedKvUtilization(): { area: number; max: number } {
    return { area: this.retiredKvArea, max: this.retiredKvMax };
  }

  private capacityChanged(now: number): void {
    this.changes.advance(now);
    this.readyReplicas.set(now, this.serving.length);
    this.sync(now);
  }

  /**
   * A prefill replica computed `job`'s prompt and first token (disaggregated): its KV cache,
   * `kvBytesPerToken` × prompt tokens, leaves on the replica's link after the transfers
   * before it, taking bytes / bandwidth, and arrives `linkLatencyS` after that.
   */
  private prefilled(i: number, job: LlmJob, tokenS: number): void {
    const now = this.sim.now;
    this.release(i);
    this.sync(now);
    const dis = this.desc.llm!.disaggregated!;
    const start = Math.max(tokenS, this.linkFreeS[i]!);
    const end = start + (job.inputTokens * this.kvBytesPerToken) / dis.linkBytesPerS;
    this.linkFreeS[i] = end;
    this.sim.scheduleAt(end + dis.linkLatencyS, this.deliveredFn, job);
  }

  /**
   * `job`'s KV cache reached the decode pool: its first token is delivered now (the client's
   * stream comes from the decode side, so TTFT = prefill + transfer), and a decode replica
   * takes the rest of the answer.
   */
  private delivered(job: LlmJob): void {
    const now = this.sim.now;
    const req = job.req;
    job.firstTokenS = now;
    const spec = decodeSide(req.tokens!);
    if (spec === null) {
      this.complete(job, now, 1);
      return;
    }
    const d = this.decodeIds[this.decodeRouter(spec)]!;
    const next = new LlmJob(req, spec);
    next.waiting = false;
    next.firstTokenS = now;
    this.hold(d);
    this.sync(now);
    this.engines[d]!.submit(next);
  }

  private finish(i: number, job: LlmJob, tokenS: number): void {
    this.release(i);
    this.complete(job, tokenS, job.req.tokens!.outputTokens);
  }

  /** The request's last token (its `outputTokens`-th) is reported at `tokenS`. */
  private complete(job: LlmJob, tokenS: number, outputTokens: number): void {
    const now = this.sim.now;
    const req = job.req;
    this.admitted--;
    this.held--;
    this.sync(now);
    const ttftS = job.firstTokenS - req.enqueuedS;
    const e2eS = tokenS - req.enqueuedS;
    this.llm.requestFinished(req, ttftS, e2eS, outputTokens);
    this.series?.finished(now, ttftS, outputTokens > 1 ? (e2eS - ttftS) / (outputTokens - 1) : null, outputTokens);
    // The last token is reported α2·O after the step's end (docs/llm-scheduler.md, "Time").
    if (tokenS > now) this.sim.scheduleAt(tokenS, this.forwardFn, req);
    else this.forward(req);
  }

  private forward(req: Request): void {
    // The answer is this engine's, replacing any earlier one (a cascade's smaller model's), so
    // its quality too, unknown (NaN) where none is published: the run's mix is the requests'.
    req.quality = this.quality;
    this.metrics.finished(req);
    this.done.stationDone(req);
  }

  private rejected(i: number, job: LlmJob, _why: LlmRejectReason): void {
    this.release(i);
    this.refuse(job.req);
  }

  /** A request that can never be served leaves, counted as refused. */
  private refuse(req: Request): void {
    this.held--;
    this.sync(this.sim.now);
    this.llm.requestRejected(req);
    this.metrics.dropped(req, 'never-fits');
    this.dropTarget.stationDropped(req, false);
  }

  /** The engine counters since measurement began, summed; a disaggregated stage's prompts counted once, on the prefill side. */
  measuredCounts(): EngineSnapshot {
    const sum: EngineSnapshot = { ...this.retired };
    this.engines.forEach((e, i) => {
      const now = snapshot(e);
      const s0 = this.startCounts[i];
      for (const k of Object.keys(sum) as Array<keyof EngineSnapshot>) {
        if (k === 'inputTokens' && this.prefillCount > 0 && i >= this.prefillCount) continue;
        sum[k] += now[k] - (s0?.[k] ?? 0);
      }
    });
    return sum;
  }

  private sync(now: number): void {
    this.changes.advance(now);
    if (this.busy.current !== this.busyReplicas) this.busy.set(now, this.busyReplicas);
    const waiting = this.held - this.admitted;
    if (this.queueLength.current !== waiting) this.queueLength.set(now, waiting);
    if (this.inServiceCount.current !== this.admitted) this.inServiceCount.set(now, this.admitted);
    // Constant unless autoscaled: serving = ready + draining, billed = those + provisioning.
    const serving = this.serving.length + this.drainingSlots.size;
    if (this.slots.current !== serving) {
      this.slots.set(now, serving);
      this.series?.servingChanged(now, serving);
    }
    const billed = serving + this.provisioningNow;
    if (this.billedReplicas.current !== billed) this.billedReplicas.set(now, billed);
  }
}

/** The running totals of an engine that the run's `llm` section reads as differences. */
export interface EngineSnapshot {
  inputTokens: number;
  outputTokens: number;
  preemptions: number;
  prefixQueryTokens: number;
  prefixHitTokens: number;
}

/** Counts of an engine not yet started. */
const NO_COUNTS: EngineSnapshot = { inputTokens: 0, outputTokens: 0, preemptions: 0, prefixQueryTokens: 0, prefixHitTokens: 0 };

/** An engine's totals now. */
export function snapshot(e: LlmReplica<LlmJob>): EngineSnapshot {
  const c = e.counters;
  return { inputTokens: c.inputTokens, outputTokens: c.outputTokens, preemptions: c.preemptions, prefixQueryTokens: c.prefixQueryTokens, prefixHitTokens: c.prefixHitTokens };
}

/**
 * What a decode replica sees of a prefilled request: the prompt and the first token known
 * (P + 1 tokens), the prompt's KV arrived (P tokens), O − 1 tokens still to generate; its
 * first step computes the first token's KV and emits the second token. Null for O = 1 (done
 * once prefilled).
 */
function decodeSide(t: RequestTokens): RequestTokens | null {
  if (t.outputTokens <= 1) return null;
  return { inputTokens: t.inputTokens + 1, outputTokens: t.outputTokens - 1, transferredTokens: t.inputTokens };
}

/**
 * A decode replica must hold one whole request: the longest the token distributions allow
 * (`ceil((max input + max output − 1) / blockSize)` blocks) when they are bounded, else the
 * mean one. Less is an input error, located at the decode pool.
 */
function checkDecodePool(d: LlmStageDescription, blocks: number, where: string): void {
  const maxIn = maxTokens(d.tokens.input);
  const maxOut = maxTokens(d.tokens.output);
  const bounded = Number.isFinite(maxIn + maxOut);
  const p = bounded ? maxIn : Math.round(meanTokens(d.tokens.input));
  const o = bounded ? maxOut : Math.round(meanTokens(d.tokens.output));
  if (!(p >= 1 && o >= 1)) return;
  const need = Math.ceil((p + o - 1) / d.blockSize);
  if (need <= blocks) return;
  throw new InputError([
    `${where}: a decode replica holds ${fmtCount(blocks)} KV blocks of ${d.blockSize} tokens (${fmtCount(blocks * d.blockSize)} tokens), ` +
      `but ${bounded ? 'the longest' : 'the mean'} request the token distributions allow (${fmtCount(p)} in + ${fmtCount(o)} out) needs ${fmtCount(need)}: ` +
      `give the decode pool a larger GPU or more TP, or lower tokens.input.max or tokens.output.max`,
  ]);
}
