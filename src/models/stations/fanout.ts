import type { Simulation } from '../../engine/index.ts';
import type { FanoutDescription } from '../../config/description.ts';
import { Gather, Request, SubRequest } from '../request.ts';
import type { DropReason } from '../metrics/stage-collector.ts';
import type { StageMetrics } from '../metrics/stage-metrics.ts';
import { PoolStation, type PoolConfig } from './pool.ts';
import { QueueGroup } from './queue-group.ts';
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
 * have answered; it fails once the quorum cannot be reached. With `hedgeAfterS`
 * finite, a sub-request not answered by then gets a backup copy on the same shard and
 * the first answer counts (Dean & Barroso's hedged request); with `hedgeBudget`, a
 * hedge is sent only while hedges stay within that share of the sub-requests sent so
 * far (a budget on the extra load, as Dean & Barroso suggest hedging only the slowest
 * few percent).
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
  }

  override get theory(): StationTheory {
    return { ...super.theory, hedged: this.fanout.hedgeAfterS !== Infinity };
  }

  override accept(parent: Request): void {
    const f = this.fanout;
    parent.enqueuedS = this.sim.now;
    const gather = new Gather(parent);
    for (let i = 0; i < f.shards && !gather.finished; i++) {
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
    if (s === null || s.twin === null) return;
    s.started = true;
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
    // The budget: hedges stay at most `hedgeBudget` of the sub-requests sent so far; a
    // hedge that would pass it is not sent (the sub-request waits on its first copy).
    if (this.hedgesSent + 1 > this.fanout.hedgeBudget * this.subsSent) return;
    this.hedgesSent++;
    const backup = this.subOf(s.gather, s.shard);
    backup.sub!.twin = req;
    s.twin = backup;
    this.metrics.hedgeSent(req);
    this.acceptInto(this.groups[s.shard]!, backup);
  };

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
    if (!g.finished && g.done >= this.fanout.quorum) {
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
    if (!g.finished && this.fanout.shards - g.failed < this.fanout.quorum) {
      finishGather(g);
      // The parent fails as its last sub-request did: timed out, or turned away.
      this.reject(g.parent, reason === 'deadline' ? 'deadline' : 'full');
    }
  }
}
