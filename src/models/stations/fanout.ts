import type { Simulation } from '../../engine/index.ts';
import type { FanoutDescription } from '../../config/description.ts';
import { Gather, Request, SubRequest } from '../request.ts';
import type { DropReason } from '../metrics/stage-collector.ts';
import type { StageMetrics } from '../metrics/stage-metrics.ts';
import { PoolStation, type PoolConfig } from './pool.ts';
import { QueueGroup } from './queue-group.ts';
import { ReplicaSlots } from './replica-slots.ts';
import type { StationTheory } from './station.ts';

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

/**
 * Scatter-gather: each request splits into one sub-request per shard (each shard is a
 * queue of `replicas` replicas, served like a pool's) and leaves when `quorum` shards
 * have answered; it fails once the quorum cannot be reached. With `keys`, a request
 * touches that many keys, each on a shard (server) drawn uniformly and independently
 * per request from the stage's own stream (`stage:<name>:keys`): one sub-request per
 * distinct server touched, all awaited, so a request sends S·(1 − (1 − 1/S)^K)
 * sub-requests on average (the occupancy of S bins by K balls).
 *
 * With `hedgeAfterS` finite, a sub-request not answered by then gets a backup copy on
 * the same shard and the first answer counts (Dean & Barroso's hedged request); with
 * `hedgeBudget`, a hedge is sent only while hedges stay within that share of the
 * sub-requests sent so far (a budget on the extra load, as Dean & Barroso suggest
 * hedging only the slowest few percent). A hedge never runs on the replica serving its
 * original: where replicas are told apart (faults on: each shard tracks which replica
 * runs what) the backup takes another replica's slot, or waits for one.
 *
 * Tied requests send two copies to two replicas' own queues; with `hedgeAfterS` finite
 * the second copy leaves that long after the first (Dean & Barroso's tie with a delay),
 * and only if the first has not started (`onStart`) or finished (`onFinish`).
 *
 * Faults: the fault injector numbers the stage's shards × replicas replicas
 * replica-major (replica r of shard s is r·shards + s), so an outage of a share of them
 * takes the same replicas of every shard first, as a zone holding one replica of each
 * shard would. A failed replica's sub-requests in service are lost (the shard's answer
 * may still come from a hedge; else the parent fails as lost to the failure) or queued
 * again at the head of its shard, as a pool's are. Tied, each replica's own queue is its
 * group: a failed replica's copies in service are lost (the twin may still answer) or
 * queued again at the head of that replica's queue, and copies queued there wait for its
 * repair unless their twin settles them first (no health check tells the client).
 */
export class FanoutStation extends PoolStation {
  readonly fanout: FanoutDescription;
  /** Sub-requests and hedges sent so far (warm-up included): the hedge budget's counts. */
  private subsSent = 0;
  private hedgesSent = 0;
  /** Tied requests: each shard's replicas, each with its own queue (`[shard][replica]`); null when not tied. */
  private readonly replicaGroups: QueueGroup[][] | null = null;
  /** Tied requests: which two replicas of a shard get a sub-request's copies. */
  private readonly tieDraw: (() => number) | null = null;
  /**
   * With `keys`: each key's server, and the servers a request touched (a mark each, and
   * their list). PERF: one pair of typed arrays reused by every request, no Set per request.
   */
  private readonly keyDraw: (() => number) | null = null;
  private readonly touched: Uint8Array | null = null;
  private readonly touchedList: Int32Array | null = null;

  constructor(sim: Simulation, cfg: PoolConfig, metrics: StageMetrics, fanout: FanoutDescription) {
    super(sim, cfg, metrics, fanout.shards);
    this.fanout = fanout;
    if (fanout.tied !== null) {
      if (cfg.replicas < 2) throw new Error(`stage "${cfg.name}": tied requests need 2 replicas per shard`);
      // A tied pair needs two queues to wait in, so each replica of a shard has its own
      // (the shard's shared queue stays empty); its own stream, so no other draw shifts.
      this.replicaGroups = Array.from({ length: fanout.shards }, () => Array.from({ length: cfg.replicas }, () => new QueueGroup(this, cfg.concurrency, cfg.line?.())));
      this.tieDraw = sim.random.stream(`stage:${cfg.name}:tied`);
      this.startHook = this.tiedStarted;
      this.cancellableService = fanout.tied.cancel === 'onFinish';
    }
    if (fanout.keys !== null) {
      this.keyDraw = sim.random.stream(`stage:${cfg.name}:keys`);
      this.touched = new Uint8Array(fanout.shards);
      this.touchedList = new Int32Array(fanout.shards);
    }
  }

  /**
   * Each shard's replicas tracked (faults on): a failure finds its work, a hedge avoids
   * its original's replica. Tied, each replica's own group tracks its one replica.
   */
  override trackReplicas(): void {
    if (this.replicaGroups !== null) for (const reps of this.replicaGroups) for (const g of reps) g.slots ??= new ReplicaSlots(1, this.concurrency);
    else for (const g of this.groups) g.slots ??= new ReplicaSlots(this.replicas, this.concurrency);
  }

  /** Replica-major numbering: replica r of shard s is r·shards + s (a zone takes one replica of each shard). */
  protected override faultSite(i: number): { g: QueueGroup; local: number } {
    const shard = i % this.shards;
    const r = Math.floor(i / this.shards);
    if (this.replicaGroups !== null) return { g: this.replicaGroups[shard]![r]!, local: 0 };
    return { g: this.groups[shard]!, local: r };
  }

  /** The shards (servers) a request's keys touch, in shard order, into `touchedList`; returns their count. */
  private drawServers(): number {
    const keys = this.fanout.keys!;
    const n = this.fanout.shards;
    const draw = this.keyDraw!;
    const mark = this.touched!;
    const list = this.touchedList!;
    let count = 0;
    for (let k = 0; k < keys; k++) {
      const j = Math.floor(draw() * n);
      if (mark[j] === 0) {
        mark[j] = 1;
        list[count++] = j;
      }
    }
    // Shard order, whatever order the keys came in; the marks are cleared for the next request.
    const used = list.subarray(0, count);
    used.sort();
    for (let c = 0; c < count; c++) mark[used[c]!] = 0;
    return count;
  }

  /**
   * Parent requests per second the shards can take: with `keys`, a shard sees only the
   * share 1 − (1 − 1/S)^K of requests that touch it, so its capacity goes that much further.
   */
  override capacityRps(replicas = this.replicas): number {
    const k = this.fanout.keys;
    const base = super.capacityRps(replicas);
    return k === null ? base : base / (1 - (1 - 1 / this.fanout.shards) ** k);
  }

  override get theory(): StationTheory {
    return { ...super.theory, hedged: this.fanout.hedgeAfterS !== Infinity };
  }

  override accept(parent: Request): void {
    const f = this.fanout;
    parent.enqueuedS = this.sim.now;
    const gather = new Gather(parent);
    const list = f.keys === null ? null : this.touchedList!;
    const count = list === null ? f.shards : this.drawServers();
    gather.subs = count;
    gather.needed = list === null ? f.quorum : count;
    for (let c = 0; c < count && !gather.finished; c++) {
      const i = list === null ? c : list[c]!;
      const sub = this.subOf(gather, i);
      this.subsSent++;
      this.metrics.subRequestSent(parent);
      if (f.hedgeAfterS !== Infinity) {
        // Cancelled once the sub-request settles or the parent leaves: memory then
        // follows requests in flight, not rate × hedgeAfter.
        const t = this.sim.timer(f.hedgeAfterS, this.hedge, sub);
        sub.sub!.hedgeTimer = t;
        (gather.hedgeTimers ??= []).push(t);
      }
      if (this.replicaGroups === null) this.acceptInto(this.groups[i]!, sub);
      else this.tie(i, sub);
    }
  }

  /**
   * Sends a sub-request and its tied copy to two different replicas of shard `i`, drawn
   * uniformly. The second copy is sent only if the first did not start at once under
   * `onStart` (it would be cancelled the moment it arrived).
   */
  private tie(i: number, sub: Request): void {
    const reps = this.replicaGroups![i]!;
    const draw = this.tieDraw!;
    const n = reps.length;
    const a = Math.floor(draw() * n);
    if (this.fanout.hedgeAfterS !== Infinity) {
      // A delayed tie: the second copy leaves at the hedge timer, if still wanted (`hedge`).
      this.acceptInto(reps[a]!, sub);
      return;
    }
    const b = (a + 1 + Math.floor(draw() * (n - 1))) % n;
    const copy = this.subOf(sub.sub!.gather, i);
    sub.sub!.twin = copy;
    copy.sub!.twin = sub;
    this.acceptInto(reps[a]!, sub);
    if (!copy.sub!.settled) this.acceptInto(reps[b]!, copy);
  }

  /**
   * A tied copy starts service. Under `onStart` its twin, still queued (or not yet sent),
   * is cancelled now (Dean & Barroso's tied requests); under `onFinish` both may run, and
   * a second copy starting is extra load (reported as a hedge: one more sub-request served).
   */
  private readonly tiedStarted = (r: Request): void => {
    const s = r.sub;
    if (s === null) return;
    s.started = true;
    if (s.twin === null) {
      // A delayed tie's first copy started before its second left: under onStart the second is moot.
      if (this.fanout.tied!.cancel === 'onStart') cancelHedge(s);
      return;
    }
    const twin = s.twin;
    const ts = twin.sub!;
    if (this.fanout.tied!.cancel === 'onStart') {
      if (ts.settled) return;
      ts.settled = true;
      if (twin.waiting) this.withdraw(twin);
      return;
    }
    if (ts.started) this.metrics.hedgeSent(r);
  };

  private subOf(gather: Gather, shard: number): Request {
    const parent = gather.parent;
    const sub = new Request(parent.id, parent.arrivalS, parent.measured);
    sub.sub = new SubRequest(gather, shard);
    sub.key = parent.key;
    sub.attrs = parent.attrs;
    sub.candidates = parent.candidates;
    return sub;
  }

  /** Sends a backup copy of a sub-request that has not answered yet. */
  private readonly hedge = (req: Request): void => {
    const s = req.sub!;
    s.hedgeTimer = null;
    if (s.settled || s.gather.finished || s.twin !== null) return;
    if (this.replicaGroups !== null && s.started && this.fanout.tied!.cancel === 'onStart') return;
    // The budget: hedges stay at most `hedgeBudget` of the sub-requests sent so far; a
    // hedge that would pass it is not sent (the sub-request waits on its first copy).
    if (this.hedgesSent + 1 > this.fanout.hedgeBudget * this.subsSent) return;
    this.hedgesSent++;
    if (this.replicaGroups !== null) {
      this.sendTiedCopy(req);
      return;
    }
    const backup = this.subOf(s.gather, s.shard);
    backup.sub!.twin = req;
    s.twin = backup;
    this.metrics.hedgeSent(req);
    this.acceptInto(this.groups[s.shard]!, backup);
  };

  /** A delayed tie's second copy, to another replica of the shard than the first's, drawn uniformly. */
  private sendTiedCopy(req: Request): void {
    const s = req.sub!;
    const reps = this.replicaGroups![s.shard]!;
    const n = reps.length;
    // The first copy waits or runs in its replica's own queue group (unsettled: not yet
    // lost, nor finished); the second goes to another, drawn uniformly.
    const a = reps.indexOf(req.group!);
    const b = (a + 1 + Math.floor(this.tieDraw!() * (n - 1))) % n;
    const copy = this.subOf(s.gather, s.shard);
    copy.sub!.twin = req;
    s.twin = copy;
    this.acceptInto(reps[b]!, copy);
  }

  /** A sub-request answered: the parent leaves once `quorum` shards have. */
  protected override forward(req: Request): void {
    const s = req.sub;
    if (s === null) {
      super.forward(req);
      return;
    }
    if (s.settled) return; // its twin answered first, or the parent has left: wasted work
    s.settled = true;
    cancelHedge(s);
    if (s.twin !== null) {
      const twin = s.twin;
      twin.sub!.settled = true;
      cancelHedge(twin.sub!);
      // Tied, `onFinish`: the loser is cancelled now, in its queue or in service (a copy
      // inside a larger batch runs on with it, its answer ignored).
      if (this.replicaGroups !== null) {
        if (twin.waiting) this.withdraw(twin);
        else if (twin.sub!.serviceTimer !== null) this.stopService(twin);
      }
    }
    const g = s.gather;
    g.done++;
    if (!g.finished && g.done >= g.needed) {
      finishGather(g);
      this.forward(g.parent);
    }
  }

  /** A sub-request was turned away: the parent fails once the quorum cannot be reached. */
  protected override reject(req: Request, reason: DropReason): void {
    const s = req.sub;
    if (s === null) {
      super.reject(req, reason);
      return;
    }
    if (s.settled) return;
    s.settled = true;
    if (s.twin !== null && !s.twin.sub!.settled) return; // the other copy may still answer
    cancelHedge(s);
    const g = s.gather;
    g.failed++;
    if (!g.finished && g.subs - g.failed < g.needed) {
      finishGather(g);
      // The parent fails as its last sub-request did: timed out, lost with a failed replica, or turned away.
      this.reject(g.parent, reason === 'deadline' || reason === 'failure' ? reason : 'full');
    }
  }
}
