import { TimeWeighted, type Sampler, type Simulation } from '../../engine/index.ts';
import type { DropReason } from '../metrics/stage-collector.ts';
import type { StageMetrics } from '../metrics/stage-metrics.ts';
import type { RoutingPolicyName, StationKind } from '../../config/description.ts';
import type { WaitingLine } from '../disciplines/waiting-line.ts';
import type { Request } from '../request.ts';
import { routerRegistry, type Router } from '../routing/index.ts';
import type { ServiceTime } from '../service-time.ts';
import { DynamicBatcher } from './batcher.ts';
import type { ScalableCapacity } from './capacity.ts';
import type { FailableCapacity, InFlightOnFailure } from './failable.ts';
import { ReplicaSlots, RunningWork } from './replica-slots.ts';
import { QueueGroup } from './queue-group.ts';
import { UNCONNECTED, type ChangeListener, type DoneTarget, type DropTarget, type Station, type StationCounters, type StationLinks, type StationTheory, resetCounters } from './station.ts';

/** What a pool is built from (durations in seconds). */
export interface PoolConfig {
  name: string;
  /** Replicas serving at the start (per shard for a fan-out). */
  replicas: number;
  /** Batches one replica runs at once. */
  concurrency: number;
  /** Waiting room of each queue (the shared one, or each replica's or shard's); Infinity = unbounded. */
  queueCapacity: number;
  /**
   * Eviction policy of a full queue: turn away the request arriving (`newest`, a
   * bounded queue) or the oldest waiting (`oldest`, a log with bounded retention).
   */
  overflow: 'newest' | 'oldest';
  /** Acknowledgement latency a producer sees when it hands a request over (a buffer); undefined for none. */
  ack: Sampler | undefined;
  serviceTime: ServiceTime;
  maxBatch: number;
  maxWaitS: number;
  routing: RoutingPolicyName;
  /** Deadline from arrival at this station, and from arrival at the system; Infinity for none. */
  deadlineS: number;
  systemDeadlineS: number;
  /** Quality figure of the model served here; NaN for none. */
  quality: number;
  /** Candidates a request carries when it reaches this station (for means and capacity; default 1). */
  candidatesIn?: number;
  /** Builds each queue group's waiting line (a discipline, `src/models/disciplines/`); undefined for FIFO. */
  line?: () => WaitingLine;
}

/** Cancels a request's pending deadline timer (it left the queue in time). */
function clearDeadline(r: Request): void {
  if (r.deadlineTimer !== null) {
    r.deadlineTimer.cancel();
    r.deadlineTimer = null;
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
 * The M/G/c/K pool: replicas each running up to `concurrency` batches at once, fed from
 * one shared FIFO queue or from a FIFO queue per replica chosen by a routing policy
 * (`routerRegistry`). It holds its policies as objects: the batching rule
 * (`DynamicBatcher`), the router, and the eviction policy of a full queue (`overflow`:
 * a buffer is a pool that loses its oldest message and acknowledges the producer).
 *
 * Its capacity can change while it runs (`ScalableCapacity`, what the autoscaler
 * talks to); a removed replica takes no new work and finishes what it has (it drains).
 *
 * Deadlines: a request still waiting when its deadline passes leaves the queue and is
 * dropped as timed out; a request in service always finishes.
 *
 * Service times come from the stage's own random stream, routing draws from another,
 * so neither shifts any other component's draws.
 */
export class PoolStation implements Station, ScalableCapacity, FailableCapacity, StationCounters {
  readonly kind: StationKind;
  readonly name: string;
  /** Replicas at the start (per shard). */
  readonly replicas: number;
  readonly concurrency: number;
  /** Execution slots at the start: replicas × concurrency (× shards). */
  readonly servers: number;
  readonly queueCapacity: number;
  readonly overflow: 'newest' | 'oldest';
  readonly serviceTime: ServiceTime;
  readonly batcher: DynamicBatcher;
  readonly routing: RoutingPolicyName;
  readonly deadlineS: number;
  readonly systemDeadlineS: number;
  readonly quality: number;
  /** Shards every request visits (1 unless fan-out): bills and slots count every shard. */
  readonly shards: number;
  /** Candidates a request carries when it reaches this station. */
  readonly candidatesIn: number;

  readonly busy: TimeWeighted;
  readonly queueLength: TimeWeighted;
  readonly inServiceCount: TimeWeighted;
  readonly slots: TimeWeighted;
  readonly readyReplicas: TimeWeighted;
  readonly billedReplicas: TimeWeighted;

  /** Groups taking new requests (one when the queue is shared; one per shard for a fan-out). */
  protected readonly groups: QueueGroup[];
  /** Removed per-replica groups still finishing their work. */
  private readonly drainingGroups = new Set<QueueGroup>();
  private readonly router: Router | undefined;
  private readonly ackDraw: Sampler | undefined;
  private readonly line: (() => WaitingLine) | undefined;
  private busySlots = 0;
  private waitingTotal = 0;
  private inServiceTotal = 0;
  private ready = 0;
  private provisioningNow = 0;
  private done: DoneTarget = UNCONNECTED.done;
  private dropTarget: DropTarget = UNCONNECTED.drop;
  private changes: ChangeListener = UNCONNECTED.changes;
  private connected = false;
  private inFlightOnFailure: InFlightOnFailure = 'lost';
  /** Measured requests (sub-requests in a fan-out) that started service on a slow replica (gray failures). */
  servedSlow = 0;
  /** The fault injector's watch on the queue (time to recover), or null. */
  private queueWatch: { atMost: number; then: (nowS: number) => void } | null = null;
  /** Replicas down (failed or in an outage): still billed, serving nothing. */
  private failedNow = 0;
  /**
   * A fan-out's replicas down (any shard): its `ready` counts replicas per shard and
   * stays whole, so these are taken off its serving slots instead.
   */
  private downInShards = 0;
  /**
   * PERF: billed replicas and serving slots change only when capacity does (a replica
   * requested, ready, cancelled, removed, retired, down or back: each bumps this) or, while
   * removed replicas still finish their work under a shared queue, as busy slots fall.
   * `sync` recomputes them only then: two per request saved on the M/M/4.
   */
  private capacityEpoch = 0;
  private syncedEpoch = -1;
  private syncedReadySlots = 0;
  private syncedDraining = 0;
  /** Told of every request as it starts service (tied requests cancel their twin); null for none. */
  protected startHook: ((r: Request) => void) | null = null;
  /** A request served alone keeps its service timer on its `sub`, so a tied twin can stop it. */
  protected cancellableService = false;

  /**
   * @param shards 0 for a pool; a fan-out's shard count (one queue of replicas ×
   * concurrency slots per shard, no router).
   */
  constructor(
    protected readonly sim: Simulation,
    cfg: PoolConfig,
    /** The stage's collectors: the station reports what happens, they measure it. */
    readonly metrics: StageMetrics,
    shards = 0,
  ) {
    this.kind = shards > 0 ? 'fanout' : cfg.overflow === 'oldest' ? 'buffer' : 'pool';
    this.name = cfg.name;
    this.replicas = cfg.replicas;
    this.concurrency = cfg.concurrency;
    this.shards = shards > 0 ? shards : 1;
    this.servers = this.shards * cfg.replicas * cfg.concurrency;
    this.queueCapacity = cfg.queueCapacity;
    this.overflow = cfg.overflow;
    this.ackDraw = cfg.ack;
    this.line = cfg.line;
    this.serviceTime = cfg.serviceTime;
    this.batcher = new DynamicBatcher(cfg.maxBatch, cfg.maxWaitS);
    this.routing = cfg.routing;
    this.deadlineS = cfg.deadlineS;
    this.systemDeadlineS = cfg.systemDeadlineS;
    this.quality = cfg.quality;
    this.candidatesIn = cfg.candidatesIn ?? 1;
    this.ready = cfg.replicas;
    const t0 = sim.now;
    this.busy = new TimeWeighted(t0);
    this.queueLength = new TimeWeighted(t0);
    this.inServiceCount = new TimeWeighted(t0);
    this.slots = new TimeWeighted(t0, this.servers);
    this.readyReplicas = new TimeWeighted(t0, cfg.replicas);
    this.billedReplicas = new TimeWeighted(t0, cfg.replicas * this.shards);
    if (shards > 0) {
      this.groups = Array.from({ length: shards }, () => new QueueGroup(this, cfg.replicas * cfg.concurrency, cfg.line?.()));
      this.router = undefined;
    } else if (cfg.routing === 'shared') {
      this.groups = [new QueueGroup(this, this.servers, cfg.line?.())];
      this.router = undefined;
    } else {
      this.groups = Array.from({ length: cfg.replicas }, () => new QueueGroup(this, cfg.concurrency, cfg.line?.()));
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

  get theory(): StationTheory {
    const b = this.batcher.maxBatch;
    return {
      replicas: this.replicas,
      concurrency: this.concurrency,
      servers: this.replicas * this.concurrency,
      shards: this.shards,
      fanout: this.kind === 'fanout',
      hedged: false,
      maxBatch: b,
      routing: this.routing,
      queueCapacity: this.queueCapacity,
      deadlineS: this.deadlineS,
      systemDeadlineS: this.systemDeadlineS,
      meanS: this.serviceTime.meanS(1, this.candidatesIn),
      fullBatchMeanS: this.serviceTime.meanS(b, this.candidatesIn),
      scv: this.serviceTime.scv,
    };
  }

  capacityRps(replicas = this.replicas): number {
    const b = this.batcher.maxBatch;
    return (replicas * this.concurrency * b) / this.serviceTime.meanS(b, this.candidatesIn);
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
    resetCounters(this, nowS);
    this.metrics.measuring = true;
  }

  /** A request arrives at this station. */
  accept(req: Request): void {
    this.acceptInto(this.router === undefined ? this.groups[0]! : this.groups[this.router()]!, req);
  }

  /** Queues `req` on group `g` (or starts it at once), per the batching rule. */
  protected acceptInto(g: QueueGroup, req: Request): void {
    const now = this.sim.now;
    req.enqueuedS = now;
    if (this.ackDraw !== undefined) {
      this.metrics.acked(req, this.ackDraw());
    }
    if (this.batcher.startsOnArrival(g, now) && (g.slots === null || (g.live === 0 && this.placeable(g, req)))) {
      this.dispatch(g, now, req);
      this.sync(now);
      return;
    }
    if (g.live >= this.queueCapacity) {
      if (this.overflow === 'newest' || g.live === 0) {
        this.reject(req, 'full');
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

  /** Reports and hands on a request this station turns away. */
  protected reject(req: Request, reason: DropReason): void {
    this.metrics.dropped(req, reason);
    this.dropTarget.stationDropped(req, reason === 'deadline');
  }

  /** A request leaves, served. */
  protected forward(req: Request): void {
    if (this.quality === this.quality) req.quality = this.quality; // not NaN
    this.metrics.finished(req);
    this.done.stationDone(req);
  }

  /** Syncs the time averages with the counters (once per event, and only on change). */
  protected sync(now: number): void {
    this.changes.advance(now);
    if (this.busy.current !== this.busySlots) this.busy.set(now, this.busySlots);
    if (this.queueLength.current !== this.waitingTotal) this.queueLength.set(now, this.waitingTotal);
    if (this.inServiceCount.current !== this.inServiceTotal) this.inServiceCount.set(now, this.inServiceTotal);
    if (this.capacityEpoch !== this.syncedEpoch || this.syncedDraining !== 0 || this.busySlots > this.syncedReadySlots) this.syncCapacity(now);
    const w = this.queueWatch;
    if (w !== null && this.waitingTotal <= w.atMost) {
      this.queueWatch = null;
      w.then(now);
    }
  }

  /** Syncs billed replicas and serving slots (see `capacityEpoch`). */
  private syncCapacity(now: number): void {
    const draining = this.drainingNow();
    const billed = (this.ready + this.provisioningNow + draining + this.failedNow) * this.shards;
    if (this.billedReplicas.current !== billed) this.billedReplicas.set(now, billed);
    const serving = ((this.ready + draining) * this.shards - this.downInShards) * this.concurrency;
    if (this.slots.current !== serving) this.slots.set(now, serving);
    this.syncedEpoch = this.capacityEpoch;
    this.syncedDraining = draining;
    this.syncedReadySlots = this.ready * this.concurrency;
  }

  /** Removed replicas still finishing their work (billed, and counted as serving capacity). */
  private drainingNow(): number {
    if (this.router !== undefined) return this.drainingGroups.size;
    // Fan-out stations and stations with faults do not scale (validation refuses it):
    // nothing drains; an ejected replica finishing its work is billed as out of rotation.
    if (this.kind === 'fanout' || this.groups[0]!.slots !== null) return 0;
    const readySlots = this.ready * this.concurrency;
    return this.busySlots > readySlots ? Math.ceil((this.busySlots - readySlots) / this.concurrency) : 0;
  }

  /**
   * Starts as many batches on `g`'s free slots as the batching rule allows. `extra`
   * is a request that just arrived and has not been queued (it is the newest, so it
   * goes last in its batch).
   */
  private dispatch(g: QueueGroup, now: number, extra: Request | null): void {
    const batcher = this.batcher;
    while (g.freeSlots > 0) {
      const avail = g.live + (extra === null ? 0 : 1);
      if (avail === 0) return;
      const due = batcher.startAtS(g, avail, now);
      if (now < due) {
        if (due < g.timerAtS) {
          g.timerAtS = due;
          this.sim.scheduleAt(due, this.onBatchTimer, g);
        }
        return;
      }
      const size = batcher.sizeOf(avail);
      // A hedge whose original runs on the only replica with a free slot waits (FIFO: so does the queue behind it).
      if (g.slots !== null && !this.placeable(g, g.live > 0 ? g.head() : extra!)) return;
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
    const r = g.takeOldest();
    this.waitingTotal--;
    r.waiting = false;
    clearDeadline(r);
    this.metrics.waited(r, now - r.enqueuedS);
    if (this.startHook !== null) this.startHook(r);
    return r;
  }

  /** The just-arrived request joins a batch without having queued: it waited 0. */
  private takeExtra(r: Request): Request {
    this.metrics.waited(r, 0);
    if (this.startHook !== null) this.startHook(r);
    return r;
  }

  /**
   * Takes a waiting request out of its queue without serving it (a tied twin cancelled):
   * it stays in the queue as a tombstone, as an expired one does, and is reported nowhere.
   */
  protected withdraw(req: Request): void {
    const g = req.group!;
    req.waiting = false;
    req.expired = true;
    req.group = null;
    clearDeadline(req);
    while (g.queue.length > 0 && g.queue.peek()!.expired) g.queue.shift();
    g.live--;
    this.waitingTotal--;
    this.sync(this.sim.now);
  }

  /** Stops a request served alone (its service timer kept, `cancellableService`): its slot is free now. */
  protected stopService(req: Request): void {
    const g = req.group!;
    const s = req.sub!;
    req.group = null;
    s.serviceTimer!.cancel();
    s.serviceTimer = null;
    const w = g.slots?.find(req);
    if (w !== undefined) {
      // Tracked (faults on): the replica's slot is free again too, unless the replica is
      // out of rotation (ejected, draining): then its slot leaves with the work.
      const slots = g.slots!;
      slots.remove(w);
      if (slots.up[w.replica] === 0) g.freeSlots--;
    }
    this.release(g, 1, this.sim.now);
  }

  /** A full buffer drops its oldest waiting request to make room (bounded retention). */
  private evictOldest(g: QueueGroup): void {
    const r = g.takeOldest();
    this.waitingTotal--;
    r.waiting = false;
    clearDeadline(r);
    r.expired = true;
    r.group = null;
    this.reject(r, 'oldest');
  }

  private start(g: QueueGroup, size: number, one: Request | null, batch: Batch | null): void {
    g.freeSlots--;
    g.inService += size;
    this.inServiceTotal += size;
    this.busySlots++;
    this.metrics.batchStarted(size);
    if (g.slots !== null) {
      this.startTracked(g, g.slots, size, one, batch);
      return;
    }
    if (one !== null) {
      one.group = g;
      if (this.cancellableService) one.sub!.serviceTimer = this.sim.timer(this.serviceTime.sample(1, one, null), this.finishOne, one);
      else this.sim.schedule(this.serviceTime.sample(1, one, null), this.finishOne, one);
    } else {
      this.sim.schedule(this.serviceTime.sample(size, null, batch!.requests), this.finishBatch, batch!);
    }
  }

  protected release(g: QueueGroup, size: number, now: number): void {
    g.freeSlots++;
    g.inService -= size;
    this.inServiceTotal -= size;
    this.busySlots--;
    this.dispatch(g, now, null);
    if (g.draining) this.retireIfEmpty(g);
    this.sync(now);
  }

  private readonly finishOne = (req: Request): void => {
    const g = req.group!;
    req.group = null;
    if (req.sub !== null) req.sub.serviceTimer = null;
    this.release(g, 1, this.sim.now);
    this.forward(req);
  };

  private readonly finishBatch = (batch: Batch): void => {
    this.release(batch.group, batch.requests.length, this.sim.now);
    for (const req of batch.requests) this.forward(req);
  };

  private readonly onBatchTimer = (g: QueueGroup): void => {
    g.timerAtS = Infinity;
    const now = this.sim.now;
    this.dispatch(g, now, null);
    this.sync(now);
  };

  private readonly expire = (req: Request): void => {
    const g = req.group;
    // Stale timers (the request was served, or now waits elsewhere) do nothing.
    if (!req.waiting || g === null || g.station !== this || this.sim.now < req.deadlineS) return;
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
    this.reject(req, 'deadline');
  };

  // ---------------------------------------------------------------------------
  // Capacity changes (ScalableCapacity: the autoscaler's calls).

  /** A replica was requested: it is billed from now, and serves once `replicaReady` is called. */
  replicaRequested(): void {
    this.provisioningNow++;
    this.capacityEpoch++;
    this.sync(this.sim.now);
  }

  /** A requested replica was cancelled before it became ready: billing stops now. */
  replicaCancelled(): void {
    this.provisioningNow--;
    this.capacityEpoch++;
    this.sync(this.sim.now);
  }

  /** A requested replica is ready: it starts taking work now. */
  replicaReady(): void {
    const now = this.sim.now;
    this.provisioningNow--;
    this.ready++;
    this.capacityEpoch++;
    if (this.router === undefined) {
      const g = this.groups[0]!;
      g.freeSlots += this.concurrency;
      this.dispatch(g, now, null);
    } else {
      this.groups.push(new QueueGroup(this, this.concurrency, this.line?.()));
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
    this.capacityEpoch++;
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
    if (g.live === 0 && g.inService === 0 && this.drainingGroups.delete(g)) this.capacityEpoch++;
  }

  private capacityChanged(now: number): void {
    this.changes.advance(now);
    // A fan-out's ready replicas are per shard: the mean over its shards while some are down.
    this.readyReplicas.set(now, this.ready - this.downInShards / this.shards);
    this.sync(now);
  }

  // ---------------------------------------------------------------------------
  // Faults (FailableCapacity: the fault injector's calls, src/models/faults.ts).

  /** Starts keeping which replica runs each batch, so a failure finds its work (before any request). */
  enableFaults(inFlight: InFlightOnFailure): void {
    this.trackReplicas();
    this.inFlightOnFailure = inFlight;
  }

  /**
   * Starts keeping which replica runs each batch (idempotent; before any request): what
   * any per-replica state needs, faults or a replica's own slowness, and what keeps a
   * fan-out's hedge off its original's replica.
   */
  trackReplicas(): void {
    if (this.router !== undefined) throw new Error(`stage "${this.name}": tracking replicas needs a shared queue`);
    this.groups[0]!.slots ??= new ReplicaSlots(this.replicas, this.concurrency);
  }

  /** Replicas the fault injector addresses: replicas × shards (numbered by `faultSite`). */
  get faultReplicas(): number {
    return this.replicas * this.shards;
  }

  /** Where replica `i` (as the fault injector numbers them) serves: its group, and its index there. */
  protected faultSite(i: number): { g: QueueGroup; local: number } {
    return { g: this.groups[0]!, local: i };
  }

  /**
   * Whether `r` may start on one of `g`'s free slots now: not when its twin (the
   * original of a hedge, or the hedge of an original) runs on the only replica with a
   * free slot, since both would then share that replica's fate.
   */
  private placeable(g: QueueGroup, r: Request): boolean {
    const rep = this.twinReplicaIn(g, r);
    return rep < 0 || g.slots!.hasFreeExcept(rep);
  }

  /**
   * The replica of `g` serving `r`'s twin (a hedge's original, or the reverse); −1 when it
   * runs nowhere in `g`. PERF: found by a scan of `g`'s running work, only for the few
   * requests with a twin in service here, rather than kept on every sub-request (a
   * field on each, or a map entry per service, cost the plain fan-out or the faulted one).
   */
  private twinReplicaIn(g: QueueGroup, r: Request): number {
    const twin = r.sub?.twin;
    if (twin == null || twin.group !== g || twin.waiting) return -1;
    return g.slots!.find(twin)?.replica ?? -1;
  }

  private startTracked(g: QueueGroup, slots: ReplicaSlots, size: number, one: Request | null, batch: Batch | null): void {
    const s = one?.sub ?? null;
    const reqs = batch === null ? null : batch.requests;
    const w = new RunningWork(slots.pick(one === null ? -1 : this.twinReplicaIn(g, one)), one, reqs);
    w.group = g;
    slots.add(w);
    if (one !== null) one.group = g;
    const r = w.replica;
    // A crashed replica still in rotation takes the work and never answers (a black
    // hole) until the health check ejects it; no service time is drawn for it.
    if (slots.dead[r] === 1) return;
    const k = slots.slowdown[r]!;
    if (k !== 1) {
      if (one !== null) {
        if (one.measured) this.servedSlow++;
      } else for (const q of reqs!) if (q.measured) this.servedSlow++;
    }
    w.timer = this.sim.timer(k * this.serviceTime.sample(size, one, reqs), this.finishTracked, w);
    if (s !== null && this.cancellableService) s.serviceTimer = w.timer;
  }

  private readonly finishTracked = (w: RunningWork): void => {
    const g = w.group!;
    const slots = g.slots!;
    slots.remove(w);
    // An ejected replica drains: the slot its work frees leaves with it (release adds it back).
    if (slots.up[w.replica] === 0) g.freeSlots--;
    if (w.one !== null) {
      this.finishOne(w.one);
    } else this.finishBatch(new Batch(g, w.many!));
  };

  /** A replica leaves rotation: a pool's ready count drops; a fan-out's (per shard) stays whole and its serving slots drop. */
  private replicaOut(): void {
    this.capacityEpoch++;
    if (this.kind === 'fanout') this.downInShards++;
    else {
      this.ready--;
      this.failedNow++;
    }
  }

  /** A replica is back in rotation. */
  private replicaIn(): void {
    this.capacityEpoch++;
    if (this.kind === 'fanout') this.downInShards--;
    else {
      this.ready++;
      this.failedNow--;
    }
  }

  /**
   * Replica `i` goes down now and leaves rotation at once (no health check: an ideal
   * dispatcher): its idle slots vanish and the batches it ran stop. Their requests are
   * dropped as lost to the failure, or (retry) go back to the head of the queue in their
   * order, ahead of every waiting request since they had waited longest; a retried
   * request may exceed the queue's capacity (it was admitted already) and keeps its
   * deadline.
   */
  replicaFailed(i: number): void {
    const { g, local } = this.faultSite(i);
    g.slots!.stop(local);
    this.replicaEjected(i);
  }

  /** Replica `i` is up again, idle, and back in rotation at once. */
  replicaRepaired(i: number): void {
    const now = this.sim.now;
    const { g, local } = this.faultSite(i);
    g.slots!.repair(local);
    this.replicaIn();
    g.freeSlots += this.concurrency;
    this.dispatch(g, now, null);
    this.capacityChanged(now);
  }

  /** Replica `i` crashed but stays in rotation until the health check ejects it: it answers nothing. */
  replicaStopped(i: number): void {
    const { g, local } = this.faultSite(i);
    const slots = g.slots!;
    if (slots.up[local] === 1) {
      slots.stop(local);
      // Its held work has no timer now: a tied twin finishing first has nothing to stop.
      if (this.cancellableService) for (const w of slots.running[local]!) if (w.one?.sub != null) w.one.sub.serviceTimer = null;
      return;
    }
    // Already out of rotation (ejected while slow): the work it was draining is lost now.
    slots.dead[local] = 1;
    const now = this.sim.now;
    const lost = this.unrun(g, slots.fail(local));
    this.sync(now);
    this.settleLost(g, lost, now);
  }

  /**
   * Replica `i` restarted: the work it held (a crash before ejection) is lost or retried
   * now, as a failed replica's is; it answers again, in rotation or not as it was.
   */
  replicaRestarted(i: number): void {
    const now = this.sim.now;
    const { g, local } = this.faultSite(i);
    const work = g.slots!.revive(local);
    if (work.length === 0) return;
    // Only a replica still in rotation can hold work here (ejection takes a dead one's).
    g.freeSlots += work.length;
    this.settleLost(g, this.unrun(g, work), now);
    this.dispatch(g, now, null);
    this.sync(now);
  }

  /**
   * The health check takes replica `i` out of rotation. A crashed one loses (or retries)
   * the work it held, as a failed replica does; an answering one (slow, or restarted
   * before it was put back) finishes its work there and takes no more.
   */
  replicaEjected(i: number): void {
    const now = this.sim.now;
    const { g, local } = this.faultSite(i);
    const slots = g.slots!;
    if (slots.dead[local] === 1) {
      const work = slots.fail(local);
      g.freeSlots -= this.concurrency - work.length;
      const lost = this.unrun(g, work);
      this.replicaOut();
      this.capacityChanged(now);
      this.settleLost(g, lost, now);
      return;
    }
    const running = slots.eject(local);
    g.freeSlots -= this.concurrency - running;
    this.replicaOut();
    this.capacityChanged(now);
  }

  /** The health check puts answering replica `i` back in rotation. */
  replicaReturned(i: number): void {
    const now = this.sim.now;
    const { g, local } = this.faultSite(i);
    const slots = g.slots!;
    slots.readmit(local);
    this.replicaIn();
    g.freeSlots += this.concurrency - slots.running[local]!.size;
    this.dispatch(g, now, null);
    this.capacityChanged(now);
  }

  /** Replica `i` serves every batch it starts from now `factor` times slower (1: healthy again). */
  replicaSlowdown(i: number, factor: number): void {
    const { g, local } = this.faultSite(i);
    g.slots!.slowdown[local] = factor;
  }

  /** Calls `then` at the first change after which at most `atMost` requests wait (now, if already so); null stops watching. */
  watchQueue(atMost: number, then: ((nowS: number) => void) | null): void {
    if (then !== null && this.waitingTotal <= atMost) {
      this.queueWatch = null;
      then(this.sim.now);
      return;
    }
    this.queueWatch = then === null ? null : { atMost, then };
  }

  /** Takes stopped work off the counters; returns its requests. */
  private unrun(g: QueueGroup, work: RunningWork[]): Request[] {
    const lost: Request[] = [];
    for (const w of work) {
      const size = w.size;
      g.inService -= size;
      this.inServiceTotal -= size;
      this.busySlots--;
      if (w.one !== null) {
        w.one.group = null;
        const s = w.one.sub;
        if (s !== null) s.serviceTimer = null; // cancelled with its replica's work
        lost.push(w.one);
      } else for (const q of w.many!) lost.push(q);
    }
    return lost;
  }

  /** Drops the requests of stopped work as lost to the failure, or (retry) queues them again at the head of `g`. */
  private settleLost(g: QueueGroup, lost: Request[], now: number): void {
    if (this.inFlightOnFailure === 'lost') {
      for (const q of lost) this.reject(q, 'failure');
      // A hedge held back because its original ran here may start now.
      if (this.kind === 'fanout') {
        this.dispatch(g, now, null);
        this.sync(now);
      }
      return;
    }
    lost.sort((a, b) => a.enqueuedS - b.enqueuedS || a.id - b.id);
    for (let k = lost.length - 1; k >= 0; k--) this.requeueAtHead(g, lost[k]!, now);
    this.dispatch(g, now, null);
    this.sync(now);
  }

  /**
   * Puts a request whose replica failed back at the head of `g`. Its deadline is the one
   * it had on arriving here (recomputed: a request that started at once never had one
   * set); its next wait is measured from now, so a retried request reports two waits.
   */
  private requeueAtHead(g: QueueGroup, req: Request, now: number): void {
    let deadline = this.deadlineS === Infinity ? Infinity : req.enqueuedS + this.deadlineS;
    if (this.systemDeadlineS !== Infinity) deadline = Math.min(deadline, req.arrivalS + this.systemDeadlineS);
    req.deadlineS = deadline;
    req.enqueuedS = now;
    req.group = g;
    req.waiting = true;
    g.queue.unshift(req);
    g.live++;
    this.waitingTotal++;
    if (deadline !== Infinity) req.deadlineTimer = this.sim.timerAt(Math.max(deadline, now), this.expire, req);
  }
}
