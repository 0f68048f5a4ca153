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
 */
export class LlmStation implements Station, StationCounters {
  readonly kind: StationKind = 'llm';
  readonly name: string;
  /** The catalog's quality of the model at its weight format (`LlmStageDescription.quality`); NaN where none is published. */
  readonly quality: number;
  readonly replicas: number;
  readonly servers: number;
  readonly concurrency = 1;
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
  /** Requests each replica holds (submitted, not yet finished). */
  private readonly outstanding: Int32Array;
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
    // Refused before anything is allocated: every replica's block pool is laid out up front.
    const blocks = pools.reduce((a, p, k) => a + p.count * kv[k]!, 0);
    if (blocks > LIMITS.kvBlocksPerStage) {
      throw new InputError([
        `${where}: ${fmtCount(desc.replicas)} replica(s) × ${fmtCount(this.kvBlocks)} KV blocks is ${fmtCount(blocks)} blocks to simulate, about ${fmtCount(Math.round((blocks * 44) / 2 ** 30))} GB; at most ${fmtCount(LIMITS.kvBlocksPerStage)} per stage (fewer replicas or fewer kvBlocks)`,
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
    const configs: LlmSchedulerConfig[] = kv.map((kvBlocks, k) => ({
      maxNumSeqs: d.maxNumSeqs,
      maxBatchedTokens: d.maxBatchedTokens,
      chunkedPrefill: d.chunkedPrefill,
      // The decode pool looks up no prefix: a request arrives with its KV, and a preempted one recomputes it.
      prefixCaching: d.prefixCaching && !(dis !== null && k === 1),
      blockSize: d.blockSize,
      kvBlocks,
    }));
    this.outstanding = new Int32Array(desc.replicas);
    this.engines = Array.from({ length: desc.replicas }, (_, i) => {
      const k = dis !== null && i >= this.prefillCount ? 1 : 0;
      const config = configs[k]!;
      const base = times[k]!;
      // Noise draws from the replica's own stream.
      const time: StepTimeModel = d.noiseCv > 0 ? noisyStepTime(base, d.noiseCv, sim.random.stream(`stage:${desc.name}:replica-${i}:step-noise`)) : base;
      const decodeSide = k === 1;
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
        },
      );
    });
    const rng = sim.random.stream(`stage:${desc.name}:routing`);
    const policy = routerRegistry[desc.routing as Exclude<RoutingPolicyName, 'shared'>];
    if (dis === null) {
      this.router = policy(this.view(0, desc.replicas), rng);
      this.decodeRouter = this.router;
    } else {
      // The same policy routes over each pool; the decode pool's draws from a stream of its own.
      this.router = policy(this.view(0, this.prefillCount), rng);
      this.decodeRouter = policy(this.view(this.prefillCount, desc.replicas - this.prefillCount), sim.random.stream(`stage:${desc.name}:decode-routing`));
    }
    const t0 = sim.now;
    this.busy = new TimeWeighted(t0);
    this.queueLength = new TimeWeighted(t0);
    this.inServiceCount = new TimeWeighted(t0);
    this.slots = new TimeWeighted(t0, desc.replicas);
    this.readyReplicas = new TimeWeighted(t0, desc.replicas);
    this.billedReplicas = new TimeWeighted(t0, desc.replicas);
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

  get readyCount(): number {
    return this.replicas;
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
    const i = this.router(t);
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

  /** The replicas (engines `from` to `from + count − 1`) a router chooses among, as it sees them. */
  private view(from: number, count: number): RoutingView {
    const outstanding = this.outstanding;
    const engines = this.engines;
    // The router reads each engine's token-level figures through this view, never the engine itself.
    return {
      count: () => count,
      outstanding: (i) => outstanding[from + i]!,
      tokens: {
        outstandingTokens: (i) => engines[from + i]!.outstandingTokens,
        kvUtilization: (i) => engines[from + i]!.usedBlocks / engines[from + i]!.config.kvBlocks,
        cachedPrefixBlocks: (i, group) => engines[from + i]!.cachedPrefixBlocks(group),
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

  private release(i: number): void {
    const left = this.outstanding[i]! - 1;
    this.outstanding[i] = left;
    if (left === 0) this.busyReplicas--;
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
    const d = this.prefillCount + this.decodeRouter(spec);
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
    const sum: EngineSnapshot = { inputTokens: 0, outputTokens: 0, preemptions: 0, prefixQueryTokens: 0, prefixHitTokens: 0 };
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
