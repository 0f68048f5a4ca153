import { QuantileSketch, RingQueue, TimeWeighted, type Sampler, type Simulation } from '../engine/index.ts';
import type { RoutingPolicyName } from '../config/description.ts';
import { Gather, Request, SubRequest, type DropSink, type RequestSink } from './request.ts';
import { routerRegistry, type Router } from './routing/index.ts';
import type { ServiceTime } from './service-time.ts';

/** What a stage is built from (durations in seconds). */
export interface StageConfig {
  name: string;
  /** Replicas serving at the start. */
  replicas: number;
  /** Batches one replica runs at once (default 1). */
  concurrency: number;
  /** Waiting room of each queue (the stage's one shared queue, or each replica's); Infinity = unbounded. */
  queueCapacity: number;
  /**
   * Which request a full queue turns away: the one arriving (`newest`, a bounded
   * queue) or the oldest waiting (`oldest`, a log with bounded retention).
   */
  overflow?: 'newest' | 'oldest';
  /** Acknowledgement latency a producer sees when it hands a request to this stage (a buffer). */
  ack?: Sampler | undefined;
  serviceTime: ServiceTime;
  /** Largest batch a replica takes at once (1 = no batching). */
  maxBatch: number;
  /** Longest a replica waits, from the oldest waiting request's arrival at the stage, for a batch to fill. */
  maxWaitS: number;
  routing: RoutingPolicyName;
  /** Deadline from arrival at this stage; Infinity for none. */
  deadlineS: number;
  /** Deadline from arrival at the system; Infinity for none. */
  systemDeadlineS: number;
  /** Quality figure of the model served here; NaN for none. */
  quality: number;
  /**
   * Scatter-gather: each request splits into one sub-request per shard (each shard
   * is `replicas` replicas behind its own queue) and leaves when `quorum` shards have
   * answered; with `hedgeAfterS` finite, a sub-request not answered by then gets a
   * backup copy on the same shard, and the first answer counts.
   */
  fanout?: { shards: number; quorum: number; hedgeAfterS: number } | undefined;
}

/**
 * Requests waiting for, and being served by, a set of execution slots: the whole
 * stage under a shared queue, or one replica under a load balancer.
 */
class QueueGroup {
  readonly queue = new RingQueue<Request>(16);
  /** Waiting requests not expired (the queue may hold expired ones until they reach its head). */
  live = 0;
  /** Requests in service. */
  inService = 0;
  /** Due time of the pending batch-wait timer; Infinity when none. */
  timerAtS = Infinity;
  /** A per-replica group being removed: it takes no new requests and leaves once empty. */
  draining = false;

  constructor(
    readonly stage: Stage,
    /** Free execution slots; negative while removed capacity still finishes its work. */
    public freeSlots: number,
  ) {}
}

/** Cancels a request's pending deadline timer (it left the queue in time). */
function clearDeadline(r: Request): void {
  if (r.deadlineTimer !== null) {
    r.deadlineTimer.cancel();
    r.deadlineTimer = null;
  }
}

/** Cancels a sub-request's pending hedge timer (it settled: no backup is needed). */
function cancelHedge(s: SubRequest): void {
  if (s.hedgeTimer !== null) {
    s.hedgeTimer.cancel();
    s.hedgeTimer = null;
  }
}

/** The parent leaves the fan-out: no shard's hedge matters any more. */
function finishGather(g: Gather): void {
  g.finished = true;
  const timers = g.hedgeTimers;
  if (timers !== null) {
    for (const t of timers) t.cancel();
    g.hedgeTimers = null;
  }
}

/** A batch in service. */
class Batch {
  constructor(
    readonly group: QueueGroup,
    readonly requests: Request[],
  ) {}
}

/**
 * A serving stage: replicas each running up to `concurrency` batches at once, fed
 * from one shared FIFO queue or from a FIFO queue per replica chosen by a routing
 * policy. Replicas can be added and removed while it runs (autoscaling); a removed
 * replica takes no new work and finishes what it has (it drains).
 *
 * Dynamic batching (the semantics of Triton's dynamic batcher with
 * `max_queue_delay`, and of TorchServe's `maxBatchDelay`): when an execution slot
 * is free, it takes the first `maxBatch` waiting requests at once if that many
 * wait; with fewer waiting, it waits until `maxWait` has passed since the oldest
 * waiting request arrived at the stage, then takes all of them, unless enough
 * arrive before to fill a batch. `maxWait` 0 takes whatever waits at once;
 * `maxBatch` 1 is the plain M/G/c pool.
 *
 * Deadlines: a request still waiting when its deadline passes leaves the queue and
 * is dropped as timed out; a request in service always finishes.
 *
 * Service times come from the stage's own random stream, routing draws from
 * another, so neither shifts any other component's draws.
 */
export class Stage {
  readonly name: string;
  /** Replicas at the start. */
  readonly replicas: number;
  readonly concurrency: number;
  /** Execution slots at the start: replicas × concurrency. */
  readonly servers: number;
  readonly queueCapacity: number;
  readonly overflow: 'newest' | 'oldest';
  readonly serviceTime: ServiceTime;
  readonly maxBatch: number;
  readonly maxWaitS: number;
  readonly routing: RoutingPolicyName;
  readonly deadlineS: number;
  readonly systemDeadlineS: number;
  readonly quality: number;

  /** Called with each request this stage finishes. */
  onDone: RequestSink = () => {};
  /** Called with each request this stage drops (queue full, deadline passed, or lost from a buffer). */
  onDrop: DropSink = () => {};
  /** Candidates a request carries when it reaches this stage (set when the path is wired). */
  typicalCandidates = 1;
  /** Called before any time-weighted quantity changes (the time series closes finished windows). */
  beforeChange: (nowS: number) => void = () => {};

  /** Busy execution slots over time. */
  readonly busy: TimeWeighted;
  /** Waiting requests over time (all queues). */
  readonly queueLength: TimeWeighted;
  /** Requests in service over time (differs from busy slots when batching). */
  readonly inServiceCount: TimeWeighted;
  /** Execution slots of serving replicas (ready, or removed and finishing work) over time. */
  readonly slots: TimeWeighted;
  /** Replicas ready to serve over time. */
  readonly readyReplicas: TimeWeighted;
  /** Replicas paid for over time: ready, provisioning, or draining. */
  readonly billedReplicas: TimeWeighted;
  /** Time measured requests waited before service (seconds). */
  readonly wait = new QuantileSketch();
  /** Acknowledgement latency of measured requests handed to a buffer stage (seconds). */
  readonly ackLatency = new QuantileSketch();
  /** Measured requests dropped here: queue full, deadline passed, or lost from a buffer. */
  dropped = 0;
  /** Measured requests whose deadline passed while they waited here (part of `dropped`). */
  timedOut = 0;
  /** Measured requests pushed out of a full buffer by newer ones (part of `dropped`). */
  lostOldest = 0;
  /** Measured requests finished here. */
  completed = 0;
  /** Batches started since measurement began, by size (index = batch size). */
  readonly batchSizes: Float64Array;
  /** Fan-out: measured sub-requests sent, and backup copies sent by hedging. */
  subRequests = 0;
  hedges = 0;
  readonly fanout: { shards: number; quorum: number; hedgeAfterS: number } | undefined;

  /** Groups taking new requests (one when the queue is shared). */
  private readonly groups: QueueGroup[];
  /** Removed per-replica groups still finishing their work. */
  private readonly drainingGroups = new Set<QueueGroup>();
  private readonly router: Router | undefined;
  private readonly ackDraw: Sampler | undefined;
  private busySlots = 0;
  private waitingTotal = 0;
  private inServiceTotal = 0;
  private ready: number;
  private provisioningNow = 0;
  private measuring = false;

  constructor(
    private readonly sim: Simulation,
    cfg: StageConfig,
  ) {
    this.name = cfg.name;
    this.replicas = cfg.replicas;
    this.concurrency = cfg.concurrency;
    this.servers = cfg.replicas * cfg.concurrency;
    this.queueCapacity = cfg.queueCapacity;
    this.overflow = cfg.overflow ?? 'newest';
    this.ackDraw = cfg.ack;
    this.serviceTime = cfg.serviceTime;
    this.maxBatch = cfg.maxBatch;
    this.maxWaitS = cfg.maxWaitS;
    this.routing = cfg.routing;
    this.deadlineS = cfg.deadlineS;
    this.systemDeadlineS = cfg.systemDeadlineS;
    this.quality = cfg.quality;
    this.ready = cfg.replicas;
    this.fanout = cfg.fanout;
    if (cfg.fanout !== undefined) this.servers = cfg.fanout.shards * cfg.replicas * cfg.concurrency;
    this.batchSizes = new Float64Array(cfg.maxBatch + 1);
    const t0 = sim.now;
    this.busy = new TimeWeighted(t0);
    this.queueLength = new TimeWeighted(t0);
    this.inServiceCount = new TimeWeighted(t0);
    const shards = cfg.fanout?.shards ?? 1;
    this.slots = new TimeWeighted(t0, this.servers);
    this.readyReplicas = new TimeWeighted(t0, cfg.replicas);
    this.billedReplicas = new TimeWeighted(t0, cfg.replicas * shards);
    if (cfg.fanout !== undefined) {
      this.groups = Array.from({ length: cfg.fanout.shards }, () => new QueueGroup(this, cfg.replicas * cfg.concurrency));
      this.router = undefined;
    } else if (cfg.routing === 'shared') {
      this.groups = [new QueueGroup(this, this.servers)];
      this.router = undefined;
    } else {
      this.groups = Array.from({ length: cfg.replicas }, () => new QueueGroup(this, cfg.concurrency));
      const groups = this.groups;
      this.router = routerRegistry[cfg.routing](
        {
          count: () => groups.length,
          outstanding: (i) => {
            const g = groups[i]!;
            return g.live + g.inService;
          },
        },
        sim.random.stream(`stage:${cfg.name}:routing`),
      );
    }
  }

  /** Requests waiting now (all queues). */
  get waiting(): number {
    return this.waitingTotal;
  }

  /** Execution slots busy now. */
  get busyServers(): number {
    return this.busySlots;
  }

  /** Requests in service now. */
  get inService(): number {
    return this.inServiceTotal;
  }

  /** Replicas ready to serve now. */
  get readyCount(): number {
    return this.ready;
  }

  /** Replicas requested and not yet ready. */
  get provisioningCount(): number {
    return this.provisioningNow;
  }

  /** Restarts time averages and batch counts at `nowS` (end of warm-up). */
  resetStats(nowS: number): void {
    this.busy.reset(nowS);
    this.queueLength.reset(nowS);
    this.inServiceCount.reset(nowS);
    this.slots.reset(nowS);
    this.readyReplicas.reset(nowS);
    this.billedReplicas.reset(nowS);
    this.measuring = true;
  }

  /** A request arrives at this stage. */
  readonly accept = (req: Request): void => {
    if (this.fanout !== undefined) {
      this.scatter(req, this.fanout);
      return;
    }
    this.acceptInto(this.router === undefined ? this.groups[0]! : this.groups[this.router()]!, req);
  };

  /** Queues `req` on group `g` (or starts it at once), per the batching rule. */
  private acceptInto(g: QueueGroup, req: Request): void {
    const now = this.sim.now;
    req.enqueuedS = now;
    if (this.ackDraw !== undefined) {
      const ack = this.ackDraw();
      if (req.measured) this.ackLatency.record(ack);
    }
    // An idle slot with a batch ready (this request completes it, or no waiting is
    // allowed, or the oldest waiting request's wait is already up) starts it now.
    const startsNow =
      g.freeSlots > 0 &&
      (g.live + 1 >= this.maxBatch || this.maxWaitS === 0 || (g.live > 0 && this.headDueS(g) <= now));
    if (startsNow) {
      this.dispatch(g, now, req);
      this.sync(now);
      return;
    }
    if (g.live >= this.queueCapacity) {
      if (this.overflow === 'newest' || g.live === 0) {
        this.reject(req, false);
        return;
      }
      this.evictOldest(g);
    }
    let deadline = this.deadlineS === Infinity ? Infinity : now + this.deadlineS;
    if (this.systemDeadlineS !== Infinity) deadline = Math.min(deadline, req.arrivalS + this.systemDeadlineS);
    req.deadlineS = deadline;
    req.group = g;
    req.waiting = true;
    g.queue.push(req);
    g.live++;
    this.waitingTotal++;
    // A timer, cancelled when the request leaves the queue: holding it until it fires
    // would keep every served request in memory for the whole deadline.
    if (deadline !== Infinity) req.deadlineTimer = this.sim.timerAt(Math.max(deadline, now), this.expire, req);
    if (g.freeSlots > 0) this.dispatch(g, now, null); // arms the batch-wait timer
    this.sync(now);
  }

  /** Counts and hands on a request this stage turns away (a sub-request fails its parent instead). */
  private reject(req: Request, timedOut: boolean): void {
    if (req.sub !== null) {
      this.subFailed(req, timedOut);
      return;
    }
    if (req.measured) {
      this.dropped++;
      if (timedOut) this.timedOut++;
    }
    this.onDrop(req, timedOut);
  }

  // ---------------------------------------------------------------------------
  // Fan-out (scatter-gather).

  private scatter(parent: Request, f: { shards: number; quorum: number; hedgeAfterS: number }): void {
    parent.enqueuedS = this.sim.now;
    const gather = new Gather(parent);
    for (let i = 0; i < f.shards && !gather.finished; i++) {
      const sub = this.subOf(gather, i);
      if (parent.measured) this.subRequests++;
      if (f.hedgeAfterS !== Infinity) {
        // Cancelled once the sub-request settles or the parent leaves: memory then
        // follows requests in flight, not rate × hedgeAfter.
        const t = this.sim.timer(f.hedgeAfterS, this.hedge, sub);
        sub.sub!.hedgeTimer = t;
        (gather.hedgeTimers ??= []).push(t);
      }
      this.acceptInto(this.groups[i]!, sub);
    }
  }

  private subOf(gather: Gather, shard: number): Request {
    const parent = gather.parent;
    const sub = new Request(parent.id, parent.arrivalS, parent.measured);
    sub.sub = new SubRequest(gather, shard);
    sub.key = parent.key;
    sub.attrs = parent.attrs;
    sub.candidates = parent.candidates;
    return sub;
  }

  /** Sends a backup copy of a sub-request that has not answered yet (Dean & Barroso's hedged request). */
  private readonly hedge = (req: Request): void => {
    const s = req.sub!;
    s.hedgeTimer = null;
    if (s.settled || s.gather.finished || s.twin !== null) return;
    const backup = this.subOf(s.gather, s.shard);
    backup.sub!.twin = req;
    s.twin = backup;
    if (req.measured) this.hedges++;
    this.acceptInto(this.groups[s.shard]!, backup);
  };

  /** A sub-request answered: the parent leaves once `quorum` shards have. */
  private gather(req: Request): void {
    const s = req.sub!;
    if (s.settled) return; // its twin answered first, or the parent has left: wasted work
    s.settled = true;
    cancelHedge(s);
    if (s.twin !== null) {
      s.twin.sub!.settled = true;
      cancelHedge(s.twin.sub!);
    }
    const g = s.gather;
    g.done++;
    if (!g.finished && g.done >= this.fanout!.quorum) {
      finishGather(g);
      this.forward(g.parent);
    }
  }

  /** A sub-request was turned away: the parent fails once the quorum cannot be reached. */
  private subFailed(req: Request, timedOut: boolean): void {
    const s = req.sub!;
    if (s.settled) return;
    s.settled = true;
    if (s.twin !== null && !s.twin.sub!.settled) return; // the other copy may still answer
    cancelHedge(s);
    const g = s.gather;
    g.failed++;
    if (!g.finished && this.fanout!.shards - g.failed < this.fanout!.quorum) {
      finishGather(g);
      this.reject(g.parent, timedOut);
    }
  }

  /** Syncs the time averages with the counters (once per event, and only on change). */
  private sync(now: number): void {
    this.beforeChange(now);
    if (this.busy.current !== this.busySlots) this.busy.set(now, this.busySlots);
    if (this.queueLength.current !== this.waitingTotal) this.queueLength.set(now, this.waitingTotal);
    if (this.inServiceCount.current !== this.inServiceTotal) this.inServiceCount.set(now, this.inServiceTotal);
    const draining = this.drainingNow();
    const billed = (this.ready + this.provisioningNow + draining) * this.shards;
    if (this.billedReplicas.current !== billed) this.billedReplicas.set(now, billed);
    const serving = (this.ready + draining) * this.concurrency * this.shards;
    if (this.slots.current !== serving) this.slots.set(now, serving);
  }

  /** Removed replicas still finishing their work (billed, and counted as serving capacity). */
  private drainingNow(): number {
    if (this.router !== undefined) return this.drainingGroups.size;
    // Fan-out stages do not scale (validation refuses it): their shards never drain.
    if (this.fanout !== undefined) return 0;
    const readySlots = this.ready * this.concurrency;
    return this.busySlots > readySlots ? Math.ceil((this.busySlots - readySlots) / this.concurrency) : 0;
  }

  /** Shards of a fan-out stage (1 otherwise): replicas are per shard, so bills and slots count every shard. */
  private get shards(): number {
    return this.fanout === undefined ? 1 : this.fanout.shards;
  }

  /** When the oldest live request of `g` has waited `maxWait` (drops expired heads first). */
  private headDueS(g: QueueGroup): number {
    const q = g.queue;
    while (q.peek()!.expired) q.shift();
    return q.peek()!.enqueuedS + this.maxWaitS;
  }

  /**
   * Starts as many batches on `g`'s free slots as the batching rule allows. `extra`
   * is a request that just arrived and has not been queued (it is the newest, so it
   * goes last in its batch).
   */
  private dispatch(g: QueueGroup, now: number, extra: Request | null): void {
    while (g.freeSlots > 0) {
      const avail = g.live + (extra === null ? 0 : 1);
      if (avail === 0) return;
      if (avail < this.maxBatch && this.maxWaitS > 0) {
        const due = g.live > 0 ? this.headDueS(g) : now + this.maxWaitS;
        if (now < due) {
          if (due < g.timerAtS) {
            g.timerAtS = due;
            this.sim.scheduleAt(due, this.onBatchTimer, g);
          }
          return;
        }
      }
      const size = avail < this.maxBatch ? avail : this.maxBatch;
      if (size === 1) {
        // PERF: a batch of one travels as the request itself: no Batch, no array.
        let r: Request;
        if (g.live > 0) r = this.take(g, now);
        else {
          r = this.takeExtra(extra!);
          extra = null;
        }
        this.start(g, size, r, null);
      } else {
        const reqs = new Array<Request>(size);
        let n = 0;
        while (n < size && g.live > 0) reqs[n++] = this.take(g, now);
        if (n < size) {
          reqs[n++] = this.takeExtra(extra!);
          extra = null;
        }
        this.start(g, size, null, new Batch(g, reqs));
      }
    }
  }

  /** Removes the oldest live request of `g` from its queue and records its wait. */
  private take(g: QueueGroup, now: number): Request {
    let r = g.queue.shift()!;
    while (r.expired) r = g.queue.shift()!;
    g.live--;
    this.waitingTotal--;
    r.waiting = false;
    clearDeadline(r);
    if (r.measured) this.wait.record(now - r.enqueuedS);
    return r;
  }

  /** The just-arrived request joins a batch without having queued: it waited 0. */
  private takeExtra(r: Request): Request {
    if (r.measured) this.wait.record(0);
    return r;
  }

  /** A full buffer drops its oldest waiting request to make room (bounded retention). */
  private evictOldest(g: QueueGroup): void {
    let r = g.queue.shift()!;
    while (r.expired) r = g.queue.shift()!;
    g.live--;
    this.waitingTotal--;
    r.waiting = false;
    clearDeadline(r);
    r.expired = true;
    r.group = null;
    if (r.measured && r.sub === null) this.lostOldest++;
    this.reject(r, false);
  }

  private start(g: QueueGroup, size: number, one: Request | null, batch: Batch | null): void {
    g.freeSlots--;
    g.inService += size;
    this.inServiceTotal += size;
    this.busySlots++;
    if (this.measuring) this.batchSizes[size]!++;
    if (one !== null) {
      one.group = g;
      this.sim.schedule(this.serviceTime.sample(1, one, null), this.finishOne, one);
    } else {
      this.sim.schedule(this.serviceTime.sample(size, null, batch!.requests), this.finishBatch, batch!);
    }
  }

  private release(g: QueueGroup, size: number, now: number): void {
    g.freeSlots++;
    g.inService -= size;
    this.inServiceTotal -= size;
    this.busySlots--;
    this.dispatch(g, now, null);
    if (g.draining) this.retireIfEmpty(g);
    this.sync(now);
  }

  private readonly finishOne = (req: Request): void => {
    const g = req.group as QueueGroup;
    req.group = null;
    this.release(g, 1, this.sim.now);
    this.forward(req);
  };

  private readonly finishBatch = (batch: Batch): void => {
    this.release(batch.group, batch.requests.length, this.sim.now);
    for (const req of batch.requests) this.forward(req);
  };

  private forward(req: Request): void {
    if (req.sub !== null) {
      this.gather(req);
      return;
    }
    if (this.quality === this.quality) req.quality = this.quality; // not NaN
    if (req.measured) this.completed++;
    this.onDone(req);
  }

  private readonly onBatchTimer = (g: QueueGroup): void => {
    g.timerAtS = Infinity;
    const now = this.sim.now;
    this.dispatch(g, now, null);
    this.sync(now);
  };

  private readonly expire = (req: Request): void => {
    // Stale timers (the request was served, or now waits elsewhere) do nothing.
    if (!req.waiting || req.group === null || (req.group as QueueGroup).stage !== this || this.sim.now < req.deadlineS) return;
    const g = req.group as QueueGroup;
    req.deadlineTimer = null; // it fired
    req.waiting = false;
    req.expired = true; // stays in the ring as a tombstone until it reaches the head
    req.group = null;
    // Deadlines mostly expire oldest first: drop tombstones at the head now, so a
    // queue whose slots stay busy does not hold every expired request.
    while (g.queue.length > 0 && g.queue.peek()!.expired) g.queue.shift();
    g.live--;
    this.waitingTotal--;
    if (g.draining) this.retireIfEmpty(g);
    this.sync(this.sim.now);
    this.reject(req, true);
  };

  // ---------------------------------------------------------------------------
  // Capacity changes (autoscaling).

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

  /** A requested replica is ready: it starts taking work now. */
  replicaReady(): void {
    const now = this.sim.now;
    this.provisioningNow--;
    this.ready++;
    if (this.router === undefined) {
      const g = this.groups[0]!;
      g.freeSlots += this.concurrency;
      this.dispatch(g, now, null);
    } else {
      this.groups.push(new QueueGroup(this, this.concurrency));
    }
    this.capacityChanged(now);
  }

  /**
   * Removes one ready replica: it takes no new work and finishes what it has; it is
   * billed until then. Under a shared queue the work it was running finishes on
   * the slots freed last; under per-replica queues the replica with the fewest
   * outstanding requests leaves, after serving its own queue.
   */
  removeReplica(): void {
    if (this.ready <= 1) throw new Error(`stage "${this.name}" cannot remove its last replica`);
    const now = this.sim.now;
    this.ready--;
    if (this.router === undefined) {
      this.groups[0]!.freeSlots -= this.concurrency;
    } else {
      let pick = this.groups.length - 1;
      let least = Infinity;
      for (let i = this.groups.length - 1; i >= 0; i--) {
        const g = this.groups[i]!;
        const load = g.live + g.inService;
        if (load < least) {
          least = load;
          pick = i;
        }
      }
      const g = this.groups.splice(pick, 1)[0]!;
      g.draining = true;
      this.drainingGroups.add(g);
      this.retireIfEmpty(g);
    }
    this.capacityChanged(now);
  }

  private retireIfEmpty(g: QueueGroup): void {
    if (g.live === 0 && g.inService === 0) this.drainingGroups.delete(g);
  }

  private capacityChanged(now: number): void {
    this.beforeChange(now);
    this.readyReplicas.set(now, this.ready);
    this.sync(now);
  }
}
