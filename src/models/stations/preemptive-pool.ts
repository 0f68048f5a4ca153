import { TimeWeighted, type Simulation, type Timer } from '../../engine/index.ts';
import type { StageDescription, StationKind } from '../../config/description.ts';
import { RequestHeap } from '../disciplines/request-heap.ts';
import type { ClassTable } from '../disciplines/waiting-line.ts';
import type { StageMetrics } from '../metrics/stage-metrics.ts';
import type { Request } from '../request.ts';
import type { ServiceTime } from '../service-time.ts';
import { UNCONNECTED, type ChangeListener, type DoneTarget, type DropTarget, type Station, type StationCounters, type StationLinks, type StationTheory, resetCounters } from './station.ts';

/** A request on a slot: when its current stretch of service ends, and the handle that can stop it. */
interface Running {
  req: Request;
  /** Its whole service time (seconds), drawn once when it first started. */
  totalS: number;
  finishAtS: number;
  timer: Timer;
}

/** What a preempted request keeps: its whole service time and what of it remains. */
interface Suspended {
  totalS: number;
  remainingS: number;
}

/**
 * A pool under preemptive-resume priority (`discipline: { policy: priority-preemptive }`):
 * c slots behind one shared queue ordered by class priority (smaller first). A request
 * arriving to full slots takes the slot of the lowest-priority request in service if
 * its own priority is strictly higher; the preempted request goes back to the queue,
 * ahead of its own class, and later resumes where it stopped (no work is lost or
 * redone). Kleinrock vol. 2, §3.7, gives the M/G/1 per-class sojourn
 * (`preemptiveResumeSojournsS`).
 *
 * Kept apart from `PoolStation` (whose FIFO path stays as fast as it is): no batching,
 * no routing, no autoscaling and no deadlines here (validation refuses them with this
 * discipline). A request's wait is reported once, when it finishes: all its time at the
 * stage not spent in service.
 */
export class PreemptivePoolStation implements Station, StationCounters {
  readonly kind: StationKind = 'preemptive-pool';
  readonly name: string;
  readonly replicas: number;
  readonly concurrency: number;
  readonly servers: number;
  readonly quality: number;
  readonly queueCapacity: number;
  readonly busy: TimeWeighted;
  readonly queueLength: TimeWeighted;
  readonly inServiceCount: TimeWeighted;
  readonly slots: TimeWeighted;
  readonly readyReplicas: TimeWeighted;
  readonly billedReplicas: TimeWeighted;
  /** Preemptions since the start (a test reads it). */
  preemptions = 0;

  private readonly line: RequestHeap;
  private readonly running: Array<Running | null>;
  private readonly suspended = new Map<Request, Suspended>();
  private readonly priorities: readonly number[];
  private busySlots = 0;
  private done: DoneTarget = UNCONNECTED.done;
  private dropTarget: DropTarget = UNCONNECTED.drop;
  private changes: ChangeListener = UNCONNECTED.changes;
  private connected = false;

  constructor(
    private readonly sim: Simulation,
    desc: StageDescription,
    private readonly serviceTime: ServiceTime,
    readonly metrics: StageMetrics,
    classes: ClassTable,
  ) {
    this.name = desc.name;
    this.replicas = desc.replicas;
    this.concurrency = desc.concurrency;
    this.servers = desc.replicas * desc.concurrency;
    this.quality = desc.quality;
    this.queueCapacity = desc.queueCapacity;
    this.priorities = classes.priorities;
    const pr = classes.priorities;
    // A preempted request goes ahead of the waiting requests of its own class (key − ½), behind every higher class.
    this.line = new RequestHeap((r) => pr[r.classIndex]! - (this.suspended.has(r) ? 0.5 : 0));
    this.running = new Array<Running | null>(this.servers).fill(null);
    const t0 = sim.now;
    this.busy = new TimeWeighted(t0);
    this.queueLength = new TimeWeighted(t0);
    this.inServiceCount = new TimeWeighted(t0);
    this.slots = new TimeWeighted(t0, this.servers);
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

  get theory(): StationTheory {
    const meanS = this.serviceTime.meanS(1, 1);
    return {
      replicas: this.replicas,
      concurrency: this.concurrency,
      servers: this.servers,
      shards: 1,
      fanout: false,
      hedged: false,
      maxBatch: 1,
      routing: 'shared',
      queueCapacity: this.queueCapacity,
      deadlineS: Infinity,
      systemDeadlineS: Infinity,
      meanS,
      fullBatchMeanS: meanS,
      scv: this.serviceTime.scv,
    };
  }

  capacityRps(replicas = this.replicas): number {
    return (replicas * this.concurrency) / this.serviceTime.meanS(1, 1);
  }

  get waiting(): number {
    return this.line.length;
  }

  get inService(): number {
    return this.busySlots;
  }

  get readyCount(): number {
    return this.replicas;
  }

  resetStats(nowS: number): void {
    resetCounters(this, nowS);
    this.metrics.measuring = true;
  }

  accept(req: Request): void {
    const now = this.sim.now;
    req.enqueuedS = now;
    if (this.busySlots < this.servers) {
      this.start(this.freeSlot(), req, now);
    } else {
      const victim = this.victimFor(req);
      if (victim >= 0) {
        this.preempt(victim, now);
        this.start(victim, req, now);
      } else if (this.line.length >= this.queueCapacity) {
        this.metrics.dropped(req, 'full');
        this.dropTarget.stationDropped(req, false);
        return;
      } else {
        req.waiting = true;
        this.line.push(req);
      }
    }
    this.sync(now);
  }

  /** The slot whose request has the lowest priority, if that is strictly below `req`'s; −1 otherwise. */
  private victimFor(req: Request): number {
    const pr = this.priorities;
    let worst = pr[req.classIndex]!;
    let pick = -1;
    for (let i = 0; i < this.running.length; i++) {
      const p = pr[this.running[i]!.req.classIndex]!;
      if (p > worst) {
        worst = p;
        pick = i;
      }
    }
    return pick;
  }

  private freeSlot(): number {
    return this.running.indexOf(null);
  }

  /** Stops slot `i`'s request where it is and queues it again, ahead of its class. */
  private preempt(i: number, now: number): void {
    const run = this.running[i]!;
    run.timer.cancel();
    this.running[i] = null;
    this.busySlots--;
    this.preemptions++;
    this.suspended.set(run.req, { totalS: run.totalS, remainingS: run.finishAtS - now });
    run.req.waiting = true;
    this.line.push(run.req);
  }

  private start(i: number, req: Request, now: number): void {
    req.waiting = false;
    const back = this.suspended.get(req);
    let totalS: number;
    let forS: number;
    if (back === undefined) {
      totalS = this.serviceTime.sample(1, req, null);
      forS = totalS;
    } else {
      this.suspended.delete(req);
      totalS = back.totalS;
      forS = back.remainingS;
    }
    this.running[i] = { req, totalS, finishAtS: now + forS, timer: this.sim.timer(forS, this.finish, i) };
    this.busySlots++;
    this.metrics.batchStarted(1);
  }

  private readonly finish = (i: number): void => {
    const now = this.sim.now;
    const run = this.running[i]!;
    this.running[i] = null;
    this.busySlots--;
    const req = run.req;
    this.metrics.waited(req, Math.max(0, now - req.enqueuedS - run.totalS));
    if (this.line.length > 0) this.start(i, this.line.shift()!, now);
    this.sync(now);
    if (this.quality === this.quality) req.quality = this.quality; // not NaN
    this.metrics.finished(req);
    this.done.stationDone(req);
  };

  private sync(now: number): void {
    this.changes.advance(now);
    if (this.busy.current !== this.busySlots) this.busy.set(now, this.busySlots);
    if (this.queueLength.current !== this.line.length) this.queueLength.set(now, this.line.length);
    if (this.inServiceCount.current !== this.busySlots) this.inServiceCount.set(now, this.busySlots);
  }
}
