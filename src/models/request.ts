import type { Timer } from '../engine/index.ts';
import type { Call } from './retry-client.ts';
import type { StageNode } from './stage-node.ts';
import type { QueueGroup } from './stations/queue-group.ts';
import type { RequestTokens } from './llm/token-source.ts';

/**
 * One request travelling through the serving topology. Flat fields only, set in the
 * constructor so every request shares one hidden class (V8 keeps the hot path
 * monomorphic).
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
  /** Quality figure of the last model that served it; NaN when none did. */
  quality = NaN;
  /** Numeric attributes from the arrivals (a trace's columns), or null. */
  attrs: readonly number[] | null = null;
  /** The client call this request is an attempt of, when clients retry; null otherwise. */
  call: Call | null = null;
  /** The user (entity) the request belongs to; −1 when the scenario has no users. */
  key = -1;
  /** Candidates the request carries (cascades: a retrieval stage sets many, a filter keeps fewer). */
  candidates = 1;
  /** Time it entered the current stage node (cache and fallback included), for per-stage time. */
  nodeEnterS = 0;
  /** The stage node that diverted it to a fallback, to return to; null otherwise. */
  via: StageNode | null = null;
  /** Age of the precomputed prediction it was served (seconds); NaN when none. */
  freshnessS = NaN;
  /** Fan-out: what a sub-request knows of its parent; null for every other request. */
  sub: SubRequest | null = null;
  /** Queue waits summed over the stages it started service at (seconds); kept only when the scenario has a waiting-time objective. */
  waitedS = 0;
  /** Token counts, given by the first LLM stage it reaches (`tokens:`); null before. */
  tokens: RequestTokens | null = null;
  /** Its class (`classes:`, in the scenario's order); 0 when the scenario declares none. */
  classIndex = 0;

  constructor(
    /** Run-local id, in arrival order. */
    readonly id: number,
    /** Arrival time at the system (seconds). */
    readonly arrivalS: number,
    /** False for warm-up requests, which no reported figure includes. */
    readonly measured: boolean,
  ) {}
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
