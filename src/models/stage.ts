import { QuantileSketch, RingQueue, TimeWeighted, type Simulation } from '../engine/index.ts';
import type { RoutingPolicyName } from '../config/schema.ts';
import type { DropSink, Request, RequestSink } from './request.ts';
import { routerRegistry, type Router } from './routing/index.ts';
import type { ServiceTime } from './service-time.ts';

/** What a stage is built from (durations in seconds). */
export interface StageConfig {
  name: string;
  replicas: number;
  /** Batches one replica runs at once (default 1). */
  concurrency: number;
  /** Waiting room of each queue (the stage's one shared queue, or each replica's); Infinity = unbounded. */
  queueCapacity: number;
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

  constructor(
    readonly stage: Stage,
    public freeSlots: number,
  ) {}
}

/** A batch in service. */
class Batch {
  constructor(
    readonly group: QueueGroup,
    readonly requests: Request[],
  ) {}
}

/**
 * A serving stage: `replicas` replicas, each running up to `concurrency` batches at
 * once, fed from one shared FIFO queue or from a FIFO queue per replica chosen by a
 * routing policy.
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
  readonly replicas: number;
  /** Execution slots: replicas × concurrency. */
  readonly servers: number;
  readonly queueCapacity: number;
  readonly serviceTime: ServiceTime;
  readonly maxBatch: number;
  readonly maxWaitS: number;
  readonly routing: RoutingPolicyName;
  readonly deadlineS: number;
  readonly systemDeadlineS: number;
  readonly quality: number;

  /** Called with each request this stage finishes. */
  onDone: RequestSink = () => {};
  /** Called with each request this stage drops (queue full or deadline passed). */
  onDrop: DropSink = () => {};

  /** Busy execution slots over time. */
  readonly busy: TimeWeighted;
  /** Waiting requests over time (all queues). */
  readonly queueLength: TimeWeighted;
  /** Time measured requests waited before service (seconds). */
  readonly wait = new QuantileSketch();
  /** Measured requests dropped here, deadline misses included. */
  dropped = 0;
  /** Measured requests whose deadline passed while they waited here. */
  timedOut = 0;
  /** Measured requests finished here. */
  completed = 0;
  /** Batches started since measurement began, by size (index = batch size). */
  readonly batchSizes: Float64Array;

  private readonly groups: QueueGroup[];
  private readonly router: Router | undefined;
  private busySlots = 0;
  private waitingTotal = 0;
  private measuring = false;

  constructor(
    private readonly sim: Simulation,
    cfg: StageConfig,
  ) {
    this.name = cfg.name;
    this.replicas = cfg.replicas;
    this.servers = cfg.replicas * cfg.concurrency;
    this.queueCapacity = cfg.queueCapacity;
    this.serviceTime = cfg.serviceTime;
    this.maxBatch = cfg.maxBatch;
    this.maxWaitS = cfg.maxWaitS;
    this.routing = cfg.routing;
    this.deadlineS = cfg.deadlineS;
    this.systemDeadlineS = cfg.systemDeadlineS;
    this.quality = cfg.quality;
    this.batchSizes = new Float64Array(cfg.maxBatch + 1);
    this.busy = new TimeWeighted(sim.now);
    this.queueLength = new TimeWeighted(sim.now);
    if (cfg.routing === 'shared') {
      this.groups = [new QueueGroup(this, this.servers)];
      this.router = undefined;
    } else {
      this.groups = Array.from({ length: cfg.replicas }, () => new QueueGroup(this, cfg.concurrency));
      const groups = this.groups;
      this.router = routerRegistry[cfg.routing](cfg.replicas, sim.random.stream(`stage:${cfg.name}:routing`), (i) => {
        const g = groups[i]!;
        return g.live + g.inService;
      });
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

  /** Restarts time averages and batch counts at `nowS` (end of warm-up). */
  resetStats(nowS: number): void {
    this.busy.reset(nowS);
    this.queueLength.reset(nowS);
    this.measuring = true;
  }

  /** A request arrives at this stage. */
  readonly accept = (req: Request): void => {
    const now = this.sim.now;
    const g = this.router === undefined ? this.groups[0]! : this.groups[this.router()]!;
    req.enqueuedS = now;
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
      if (req.measured) this.dropped++;
      this.onDrop(req, false);
      return;
    }
    let deadline = this.deadlineS === Infinity ? Infinity : now + this.deadlineS;
    if (this.systemDeadlineS !== Infinity) deadline = Math.min(deadline, req.arrivalS + this.systemDeadlineS);
    req.deadlineS = deadline;
    req.group = g;
    req.waiting = true;
    g.queue.push(req);
    g.live++;
    this.waitingTotal++;
    if (deadline !== Infinity) this.sim.scheduleAt(Math.max(deadline, now), this.expire, req);
    if (g.freeSlots > 0) this.dispatch(g, now, null); // arms the batch-wait timer
    this.sync(now);
  };

  /** Syncs the time averages with the counters (once per event, and only on change). */
  private sync(now: number): void {
    if (this.busy.current !== this.busySlots) this.busy.set(now, this.busySlots);
    if (this.queueLength.current !== this.waitingTotal) this.queueLength.set(now, this.waitingTotal);
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
        this.start(g, now, 1, r, null);
      } else {
        const reqs = new Array<Request>(size);
        let n = 0;
        while (n < size && g.live > 0) reqs[n++] = this.take(g, now);
        if (n < size) {
          reqs[n++] = this.takeExtra(extra!);
          extra = null;
        }
        this.start(g, now, size, null, new Batch(g, reqs));
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
    if (r.measured) this.wait.record(now - r.enqueuedS);
    return r;
  }

  /** The just-arrived request joins a batch without having queued: it waited 0. */
  private takeExtra(r: Request): Request {
    if (r.measured) this.wait.record(0);
    return r;
  }

  private start(g: QueueGroup, now: number, size: number, one: Request | null, batch: Batch | null): void {
    g.freeSlots--;
    g.inService += size;
    this.busySlots++;
    if (this.measuring) this.batchSizes[size]!++;
    const t = this.serviceTime.sample(size);
    if (one !== null) {
      one.group = g;
      this.sim.schedule(t, this.finishOne, one);
    } else {
      this.sim.schedule(t, this.finishBatch, batch!);
    }
  }

  private release(g: QueueGroup, size: number, now: number): void {
    g.freeSlots++;
    g.inService -= size;
    this.busySlots--;
    this.dispatch(g, now, null);
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
    req.waiting = false;
    req.expired = true; // stays in the ring as a tombstone until it reaches the head
    req.group = null;
    g.live--;
    this.waitingTotal--;
    this.sync(this.sim.now);
    if (req.measured) {
      this.dropped++;
      this.timedOut++;
    }
    this.onDrop(req, true);
  };
}
