import type { Timer } from '../engine/index.ts';
import type { Call } from './retry-client.ts';
import type { StageNode } from './stage-node.ts';
import type { QueueGroup } from './stations/queue-group.ts';
import type { RequestTokens } from './llm/token-source.ts';

/**
 * What a request carries only in some scenarios: a trace's attributes, a retrying client's
 * call, a fan-out's link to its parent, token counts, a cascade's candidates, the quality
 * and freshness of what served it, a fallback's way back, its summed waits. Made the
 * first time one is set (`Request.extras`); the defaults are the request's when it has none.
 */
export class RequestExtras {
  quality = NaN;
  attrs: readonly number[] | null = null;
  call: Call | null = null;
  candidates = 1;
  via: StageNode | null = null;
  freshnessS = NaN;
  sub: SubRequest | null = null;
  waitedS = 0;
  tokens: RequestTokens | null = null;
}

/**
 * One request travelling through the serving topology. Flat fields only, set in the
 * constructor so every request shares one hidden class (V8 keeps the hot path
 * monomorphic).
 *
 * PERF: what only some scenarios use lives in a side object made on first use
 * (`RequestExtras`), read and written through the accessors below, so that the request
 * every scenario allocates on every arrival is nine fields and two boxed doubles smaller:
 * the M/M/4 took 358-359 ns a request against 366-386 (the fastest of 5 runs in 3
 * processes, two rounds; bench/README.md, "Issue 13: the code cache, the
 * worker threads and a slimmer request"). A getter of a
 * request without extras returns the default; a setter given the default makes none.
 */
export class Request {
  /** Time the request entered the current stage (seconds). */
  enqueuedS = 0;
  /** The queue the request waits in or the replica group serving it; null between stages. */
  group: QueueGroup | null = null;
  /** True while it waits in a stage's queue. */
  waiting = false;
  /** True once its deadline passed while it waited (it is then dropped). */
  expired = false;
  /** Absolute deadline at the current stage (seconds); Infinity when none. */
  deadlineS = Infinity;
  /** The pending deadline timer at the current stage, cancelled when it leaves the queue; null when none. */
  deadlineTimer: Timer | null = null;
  /** The user (entity) the request belongs to; −1 when the scenario has no users. */
  key = -1;
  /** Time it entered the current stage node (cache and fallback included), for per-stage time. */
  nodeEnterS = 0;
  /** Its class (`classes:`, in the scenario's order); 0 when the scenario declares none. */
  classIndex = 0;
  /** The fields only some scenarios use; null until one is set. */
  private ext: RequestExtras | null = null;

  constructor(
    /** Run-local id, in arrival order. */
    readonly id: number,
    /** Arrival time at the system (seconds). */
    readonly arrivalS: number,
    /** False for warm-up requests, which no reported figure includes. */
    readonly measured: boolean,
  ) {}

  /** Its side object, made now if it has none. */
  private extras(): RequestExtras {
    let x = this.ext;
    if (x === null) {
      x = new RequestExtras();
      this.ext = x;
    }
    return x;
  }

  /** Quality figure of the last model that served it; NaN when none did. */
  get quality(): number {
    const x = this.ext;
    return x === null ? NaN : x.quality;
  }
  set quality(v: number) {
    if (v === v || this.ext !== null) this.extras().quality = v; // NaN (none) is the default
  }

  /** Numeric attributes from the arrivals (a trace's columns), or null. */
  get attrs(): readonly number[] | null {
    const x = this.ext;
    return x === null ? null : x.attrs;
  }
  set attrs(v: readonly number[] | null) {
    if (v !== null || this.ext !== null) this.extras().attrs = v;
  }

  /** The client call this request is an attempt of, when clients retry; null otherwise. */
  get call(): Call | null {
    const x = this.ext;
    return x === null ? null : x.call;
  }
  set call(v: Call | null) {
    if (v !== null || this.ext !== null) this.extras().call = v;
  }

  /** Candidates the request carries (cascades: a retrieval stage sets many, a filter keeps fewer). */
  get candidates(): number {
    const x = this.ext;
    return x === null ? 1 : x.candidates;
  }
  set candidates(v: number) {
    if (v !== 1 || this.ext !== null) this.extras().candidates = v;
  }

  /** The stage node that diverted it to a fallback, to return to; null otherwise. */
  get via(): StageNode | null {
    const x = this.ext;
    return x === null ? null : x.via;
  }
  set via(v: StageNode | null) {
    if (v !== null || this.ext !== null) this.extras().via = v;
  }

  /** Age of the precomputed prediction it was served (seconds); NaN when none. */
  get freshnessS(): number {
    const x = this.ext;
    return x === null ? NaN : x.freshnessS;
  }
  set freshnessS(v: number) {
    if (v === v || this.ext !== null) this.extras().freshnessS = v; // NaN (none) is the default
  }

  /** Fan-out: what a sub-request knows of its parent; null for every other request. */
  get sub(): SubRequest | null {
    const x = this.ext;
    return x === null ? null : x.sub;
  }
  set sub(v: SubRequest | null) {
    if (v !== null || this.ext !== null) this.extras().sub = v;
  }

  /** Queue waits summed over the stages it started service at (seconds); kept only when the scenario has a waiting-time objective. */
  get waitedS(): number {
    const x = this.ext;
    return x === null ? 0 : x.waitedS;
  }
  set waitedS(v: number) {
    if (v !== 0 || this.ext !== null) this.extras().waitedS = v;
  }

  /** Token counts, given by the first LLM stage it reaches (`tokens:`); null before. */
  get tokens(): RequestTokens | null {
    const x = this.ext;
    return x === null ? null : x.tokens;
  }
  set tokens(v: RequestTokens | null) {
    if (v !== null || this.ext !== null) this.extras().tokens = v;
  }
}

/** The answers a fan-out parent has gathered (shared by its sub-requests). */
export class Gather {
  done = 0;
  failed = 0;
  /** Sub-requests the parent sends (one per shard, or per server its keys touch). */
  subs = 0;
  /** Answers the parent waits for (the quorum, or every server touched). */
  needed = 0;
  /** The parent has left the fan-out stage (quorum reached, or impossible). */
  finished = false;
  /** Hedge timers of its sub-requests, cancelled together once the parent leaves; null without hedging. */
  hedgeTimers: Timer[] | null = null;
  constructor(readonly parent: Request) {}
}

/**
 * A sub-request's link to its parent's gather, its shard, and (when hedged) its twin.
 * Kept out of Request so that ordinary requests stay small.
 */
export class SubRequest {
  twin: Request | null = null;
  /** Its pending hedge timer (first copies only), cancelled once it settles; null when none. */
  hedgeTimer: Timer | null = null;
  /** Its answer (or failure) has been counted, or made moot by its twin. */
  settled = false;
  /** Tied copies: it started service. */
  started = false;
  /** Tied with `onFinish`, served alone: its service timer, so the winner can stop it; null otherwise. */
  serviceTimer: Timer | null = null;
  constructor(
    readonly gather: Gather,
    readonly shard: number,
  ) {}
}
