import type { Simulation } from '../../engine/index.ts';
import { BlockPool } from './block-pool.ts';
import { LlmCounters } from './counters.ts';
import { Deque } from './deque.ts';
import { KEY_BLOCKS, MAX_KEY_OWNER, Sequence } from './sequence.ts';
import type { StepContext, StepTimeModel } from './step-time.ts';
import type { LlmListener, LlmRejectReason, LlmRequestSpec, LlmSchedulerConfig } from './types.ts';

/** Optional observers of a replica, for metric collectors and tests; each costs nothing when absent. */
export interface LlmReplicaHooks<R = unknown> {
  /** `req` is in the step being planned at `startS`, for `tokens` tokens (called once per sequence of the step, in running order). */
  onScheduled?(startS: number, req: R, tokens: number): void;
  /**
   * `req` was admitted from the waiting queue into the step being planned at `startS` (its
   * first admission, or a re-admission after a preemption). Called once per admission, so
   * it costs nothing per token (unlike `onScheduled`).
   */
  onAdmitted?(startS: number, req: R): void;
  /** A step was scheduled at `startS` for `durationS`: `seqs` sequences, `prefillTokens` + `decodeTokens` tokens. */
  onStep?(startS: number, durationS: number, seqs: number, prefillTokens: number, decodeTokens: number): void;
  /** A token after a request's first was emitted, `itlS` after the previous one. */
  onInterToken?(itlS: number): void;
  /** The KV blocks held changed to `usedBlocks` at `nowS` (called wherever `counters.kvUtilization` is set). */
  onKvUsage?(nowS: number, usedBlocks: number): void;
  /** The waiting queue now holds `waiting` requests (after a request became schedulable, and after each step's planning). */
  onWaiting?(nowS: number, waiting: number): void;
}

function checkConfig(c: LlmSchedulerConfig): void {
  for (const k of ['maxBatchedTokens', 'maxNumSeqs', 'blockSize', 'kvBlocks'] as const) {
    if (!(Number.isInteger(c[k]) && c[k] >= 1)) throw new RangeError(`llm: ${k} must be an integer >= 1, got ${c[k]}`);
  }
}

/**
 * One LLM engine replica, token by token, with vLLM V1's scheduler semantics as written
 * in `docs/llm-scheduler.md` (the reference for every rule below): continuous batching
 * under a token budget and a sequence limit, chunked prefill, a KV block pool with
 * cached free blocks and prefix caching, preemption by recomputation.
 *
 * Events: one per request (the end of its pre-queue overhead) and two per step (the
 * step's end, then a zero-delay "schedule" event so that every request that becomes
 * schedulable at that same instant joins the next step). A step over B sequences costs
 * O(B) (plus O(blocks) for cache lookups at admissions); there is no per-token event.
 */
export class LlmReplica<R extends LlmRequestSpec> {
  /** Running totals for metrics. */
  readonly counters: LlmCounters;
  private readonly pool: BlockPool;
  private readonly waiting = new Deque<Sequence<R>>();
  /** Running sequences in admission order; the first `numScheduled` are in the step in flight. */
  private readonly running: Sequence<R>[] = [];
  private numScheduled = 0;
  private stepInFlight = false;
  private kickPending = false;
  private nextSeqId = 0;
  /** Σ (prompt + output not yet generated) over the requests held (`outstandingTokens`). */
  private pendingTokens = 0;
  /** The attention context of the step being planned, handed to the step-time model (reused: no allocation per step). */
  private readonly context: StepContext = { decodeContextTokens: 0, prefillContextTokens: 0, prefillAttentionPairs: 0 };
  private readonly onReadyFn = (s: Sequence<R>): void => this.onReady(s);
  private readonly kickFn = (): void => this.kick();
  private readonly stepEndFn = (): void => this.stepEnd();

  constructor(
    private readonly sim: Simulation,
    /** Scheduler settings. */
    readonly config: LlmSchedulerConfig,
    private readonly time: StepTimeModel,
    private readonly listener: LlmListener<R>,
    private readonly hooks: LlmReplicaHooks<R> = {},
  ) {
    checkConfig(config);
    this.pool = new BlockPool(config.kvBlocks);
    this.counters = new LlmCounters(sim.now);
  }

  /** Sequences running (admitted, holding KV blocks). */
  get runningCount(): number {
    return this.running.length;
  }

  /** Requests in the waiting queue (not counting those still in their pre-queue overhead). */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** KV blocks held by running sequences. */
  get usedBlocks(): number {
    return this.pool.used;
  }

  /**
   * Prompt tokens plus output tokens still to generate, over the requests this replica
   * holds (in their pre-queue overhead, waiting or running): what a token-aware router
   * weighs. Kept as a running sum (one subtraction per token emitted), not recounted.
   */
  get outstandingTokens(): number {
    return this.pendingTokens;
  }

  /**
   * How many leading blocks of prefix group `group`'s shared prefix are in this replica's
   * KV cache now (held by a running sequence, or free with their content kept): the
   * blocks a request of the group would hit if admitted now (at most its own prefix
   * blocks of them). 0 without prefix caching.
   */
  cachedPrefixBlocks(group: number): number {
    if (!this.config.prefixCaching || !(Number.isInteger(group) && group >= 0 && group < MAX_KEY_OWNER)) return 0;
    const base = (2 * group + 1) * KEY_BLOCKS;
    let j = 0;
    while (this.pool.lookup(base + j) >= 0) j++;
    return j;
  }

  /** Why `req` can never be served by this replica, or undefined if it can. */
  rejectReason(req: LlmRequestSpec): LlmRejectReason | undefined {
    const p = req.inputTokens;
    const o = req.outputTokens;
    const pt = req.prefixTokens ?? 0;
    const g = req.prefixGroup;
    if (!(Number.isInteger(p) && p >= 1 && Number.isInteger(o) && o >= 1)) return 'invalid';
    if (!(Number.isInteger(pt) && pt >= 0 && pt <= p)) return 'invalid';
    if (g !== undefined && !(Number.isInteger(g) && g >= 0 && g < MAX_KEY_OWNER)) return 'invalid';
    const tt = req.transferredTokens ?? 0;
    if (!(Number.isInteger(tt) && tt >= 0 && tt < p && (tt === 0 || g === undefined))) return 'invalid';
    const cfg = this.config;
    const maxTokens = p + o - 1; // the last token is emitted, never computed
    if (Math.ceil(maxTokens / cfg.blockSize) > cfg.kvBlocks) return 'kv-capacity';
    if (Math.ceil(maxTokens / cfg.blockSize) >= KEY_BLOCKS) return 'kv-capacity';
    if (!cfg.chunkedPrefill && maxTokens > cfg.maxBatchedTokens) return 'token-budget';
    return undefined;
  }

  /**
   * A request arrives now. It is refused at once (`listener.reject`) if it can never be
   * served; otherwise it joins the waiting queue after its pre-queue overhead.
   */
  submit(req: R): void {
    this.counters.submitted++;
    const reason = this.rejectReason(req);
    if (reason !== undefined) {
      this.counters.rejected++;
      this.listener.reject(req, reason);
      return;
    }
    const id = this.nextSeqId++;
    if (id >= MAX_KEY_OWNER) throw new RangeError(`llm: more than ${MAX_KEY_OWNER} requests on one replica`);
    this.pendingTokens += req.inputTokens + req.outputTokens;
    const group = req.prefixGroup ?? -1;
    const prefixBlocks = group >= 0 ? Math.floor((req.prefixTokens ?? 0) / this.config.blockSize) : 0;
    const s = new Sequence(req, id, req.inputTokens, req.outputTokens, group, prefixBlocks);
    const transferred = req.transferredTokens ?? 0;
    if (transferred > 0) {
      // Its KV arrived computed: no front-end overhead, it is schedulable now.
      s.transferred = transferred;
      this.onReady(s);
      return;
    }
    this.sim.schedule(this.time.preQueueS(req.inputTokens), this.onReadyFn, s);
  }

  private onReady(s: Sequence<R>): void {
    this.waiting.pushBack(s);
    this.hooks.onWaiting?.(this.sim.now, this.waiting.length);
    if (!this.stepInFlight && !this.kickPending) {
      this.kickPending = true;
      this.sim.schedule(0, this.kickFn);
    }
  }

  /** Plans one step (docs/llm-scheduler.md, "One step") and schedules its end. */
  private kick(): void {
    this.kickPending = false;
    const cfg = this.config;
    const bs = cfg.blockSize;
    const pool = this.pool;
    const running = this.running;
    const caching = cfg.prefixCaching;
    let budget = cfg.maxBatchedTokens;
    let prefill = 0;
    let decode = 0;
    let preempted = false;
    // Attention context (StepContext): Σ(c + 1) over decoding sequences; Σc and Σ(k·c + k(k+1)/2) over prefill chunks.
    let decodeContext = 0;
    let prefillContext = 0;
    let prefillPairs = 0;

    // 1. Running sequences, in admission order.
    let i = 0;
    while (i < running.length && budget > 0) {
      const s = running[i]!;
      if (s.decoding && s.computed < s.blocks.length * bs) {
        // PERF: the common case, a decoding sequence with room in its last block: one
        // token, no block to take, no prefix block to fill (the general path below
        // gives the same result, only slower).
        s.scheduled = 1;
        budget--;
        decode++;
        decodeContext += s.computed + 1;
        i++;
        continue;
      }
      let k = s.prompt + s.generated - s.computed;
      if (k > budget) k = budget;
      const need = Math.ceil((s.computed + k) / bs) - s.blocks.length;
      if (need > 0) {
        if (pool.free < need) {
          preempted = true;
          let self = false;
          while (pool.free < need) {
            const victim = running.pop()!;
            this.preempt(victim);
            if (victim === s) {
              self = true;
              break;
            }
          }
          if (self) break;
        }
        for (let b = 0; b < need; b++) s.blocks.push(pool.allocate());
      }
      if (caching && s.prefixBlocks > 0) this.registerPrefix(s, s.computed + k);
      s.scheduled = k;
      budget -= k;
      if (s.decoding) {
        decode += k;
        decodeContext += s.computed + k;
      } else {
        prefill += k;
        prefillContext += s.computed;
        prefillPairs += k * s.computed + (k * (k + 1)) / 2;
      }
      i++;
    }
    let scheduled = i;

    // 2. Admissions, first come first served; none in a step that preempted.
    if (!preempted) {
      const waiting = this.waiting;
      while (budget > 0 && running.length < cfg.maxNumSeqs && waiting.length > 0) {
        const s = waiting.peek()!;
        const n = s.prompt + s.generated;
        let hits = 0;
        let freeHits = 0;
        const transferred = s.transferred;
        if (caching && transferred === 0) {
          const maxHits = Math.floor((n - 1) / bs);
          while (hits < maxHits) {
            const b = pool.lookup(s.keyOf(hits));
            if (b < 0) break;
            s.blocks.push(b);
            if (pool.isFree(b)) freeHits++;
            hits++;
          }
        }
        // Transferred KV counts as computed but holds fresh blocks (no hit: hits = 0 then).
        const h = transferred > 0 ? transferred : hits * bs;
        let k = n - h;
        if (k > budget) {
          if (!cfg.chunkedPrefill) {
            s.blocks.length = 0;
            break;
          }
          k = budget;
        }
        const need = Math.ceil((h + k) / bs) - hits;
        if (need > pool.free - freeHits) {
          s.blocks.length = 0;
          break;
        }
        waiting.shift();
        for (let j = 0; j < hits; j++) pool.touch(s.blocks[j]!);
        s.tracked = hits;
        for (let b = 0; b < need; b++) s.blocks.push(pool.allocate());
        s.computed = h;
        s.transferred = 0;
        if (caching && transferred === 0) {
          this.counters.prefixQueryTokens += n;
          this.counters.prefixHitTokens += h;
          if (s.prefixBlocks > 0) this.registerPrefix(s, h + k);
        }
        s.scheduled = k;
        budget -= k;
        prefill += k;
        prefillContext += h;
        prefillPairs += k * h + (k * (k + 1)) / 2;
        running.push(s);
        scheduled++;
        this.hooks.onAdmitted?.(this.sim.now, s.req);
      }
    }

    const now = this.sim.now;
    this.counters.kvUtilization.set(now, pool.used / pool.total);
    this.hooks.onKvUsage?.(now, pool.used);
    this.hooks.onWaiting?.(now, this.waiting.length);
    this.numScheduled = scheduled;
    if (scheduled === 0) {
      // Unreachable by the argument in docs/llm-scheduler.md ("Progress"); fail loudly rather than hang.
      if (running.length > 0 || this.waiting.length > 0) throw new Error('llm: a step scheduled nothing while work was pending');
      return;
    }
    const ctx = this.context;
    ctx.decodeContextTokens = decodeContext;
    ctx.prefillContextTokens = prefillContext;
    ctx.prefillAttentionPairs = prefillPairs;
    const dur = this.time.stepS(prefill, decode, ctx);
    const c = this.counters;
    c.steps++;
    c.batchSeqsSum += scheduled;
    if (scheduled > c.batchSeqsMax) c.batchSeqsMax = scheduled;
    const tokens = prefill + decode;
    c.batchTokensSum += tokens;
    if (tokens > c.batchTokensMax) c.batchTokensMax = tokens;
    c.prefillTokensComputed += prefill;
    c.decodeTokens += decode;
    const onScheduled = this.hooks.onScheduled;
    if (onScheduled !== undefined) for (let j = 0; j < scheduled; j++) onScheduled(now, running[j]!.req, running[j]!.scheduled);
    this.hooks.onStep?.(now, dur, scheduled, prefill, decode);
    this.stepInFlight = true;
    this.sim.schedule(dur, this.stepEndFn);
  }

  /** Full blocks of the shared prefix that this step's tokens fill (up to `upTo` tokens) get the group's identity. */
  private registerPrefix(s: Sequence<R>, upTo: number): void {
    const bs = this.config.blockSize;
    const last = Math.min(Math.floor(upTo / bs), s.prefixBlocks);
    for (let j = Math.floor(s.computed / bs); j < last; j++) this.identify(s, j, s.groupKey + j);
  }

  /** Block `j` of `s` gets content `key`; blocks gain identities in order, so a plain one is always the next to track. */
  private identify(s: Sequence<R>, j: number, key: number): void {
    const b = s.blocks[j]!;
    if (j > s.tracked) throw new Error(`llm: block ${j} identified before block ${s.tracked}`);
    if (j === s.tracked) {
      this.pool.track(b);
      s.tracked++;
    }
    this.pool.register(b, key);
  }

  /** `s` lets go of all its blocks, last first (plain ones, then the tracked leading run). */
  private releaseBlocks(s: Sequence<R>): void {
    const pool = this.pool;
    const blocks = s.blocks;
    const tracked = s.tracked;
    let j = blocks.length - 1;
    for (; j >= tracked; j--) pool.releasePlain(blocks[j]!);
    for (; j >= 0; j--) pool.release(blocks[j]!);
    blocks.length = 0;
    s.tracked = 0;
  }

  /**
   * Preempts `s` (already removed from `running`): its blocks return to the pool as
   * cached blocks, it goes to the head of the waiting queue keeping its output tokens.
   */
  private preempt(s: Sequence<R>): void {
    if (this.config.prefixCaching) {
      // PERF: a sequence's own (non-prefix) blocks can only ever be looked up by the
      // sequence itself, after a preemption; registering them here rather than as each
      // is filled gives the same cache contents (identity moves to the newest copy) and
      // keeps the map out of the hot path. test/llm/reference checks the equivalence.
      const full = Math.floor(s.computed / this.config.blockSize);
      for (let j = s.prefixBlocks; j < full; j++) this.identify(s, j, s.ownKey + j);
    }
    this.releaseBlocks(s);
    s.computed = 0;
    s.scheduled = 0;
    s.decoding = false;
    this.waiting.pushFront(s);
    this.counters.preemptions++;
  }

  /** The step in flight ends now: computed tokens advance, tokens are emitted, finished requests leave. */
  private stepEnd(): void {
    this.stepInFlight = false;
    const t = this.sim.now;
    const a2 = this.time.perOutputTokenS;
    const running = this.running;
    const pool = this.pool;
    const onItl = this.hooks.onInterToken;
    const n = this.numScheduled;
    let finished = 0;
    let emitted = 0;
    for (let j = 0; j < n; j++) {
      const s = running[j]!;
      const c = (s.computed += s.scheduled);
      if (c !== s.prompt + s.generated) continue;
      const g = ++s.generated;
      this.pendingTokens--;
      emitted++;
      s.decoding = true;
      // PERF: a token's time is only computed when someone reads it.
      if (g === 1) {
        const tokenS = a2 === 0 ? t : t + a2;
        this.listener.firstToken(s.req, tokenS);
        s.lastTokenS = tokenS;
      } else if (onItl !== undefined) {
        const tokenS = a2 === 0 ? t : t + g * a2;
        onItl(tokenS - s.lastTokenS);
        s.lastTokenS = tokenS;
      }
      if (g === s.output) {
        const tokenS = a2 === 0 ? t : t + g * a2;
        this.releaseBlocks(s);
        s.scheduled = -1;
        finished++;
        const c = this.counters;
        c.finished++;
        c.inputTokens += s.prompt;
        c.outputTokens += s.output;
        this.pendingTokens -= s.prompt;
        this.listener.finish(s.req, tokenS);
      }
    }
    this.counters.generatedTokens += emitted;
    if (finished > 0) {
      // PERF: one in-place compaction per step keeps admission order without splice.
      let w = 0;
      for (let j = 0; j < running.length; j++) {
        const s = running[j]!;
        if (s.scheduled !== -1) running[w++] = s;
      }
      running.length = w;
    }
    this.numScheduled = 0;
    if (running.length > 0 || this.waiting.length > 0) {
      this.kickPending = true;
      this.sim.schedule(0, this.kickFn);
    } else {
      this.counters.kvUtilization.set(t, pool.used / pool.total);
      this.hooks.onKvUsage?.(t, pool.used);
    }
  }
}
