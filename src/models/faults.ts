import { TimeWeighted, type Sampler, type Simulation, type Timer } from '../engine/index.ts';
import type { FailableCapacity, InFlightOnFailure } from './stations/failable.ts';

/** Settings of a stage's faults (seconds). */
export interface FaultsConfig {
  /** Time from a replica coming up to its next failure, and time to repair it; null for no random failures. */
  between: Sampler | null;
  repair: Sampler | null;
  /** Replicas repaired at once (Infinity: a repairman per replica). */
  crew: number;
  /** Scheduled outages: `share` of the replicas down together from `atS` for `durationS`. */
  outages: ReadonlyArray<{ atS: number; durationS: number; share: number }>;
  inFlight: InFlightOnFailure;
  /**
   * Gray failures: time healthy before turning slow, time slow, the slowdown factor, and
   * whose clock it is (each replica's, or each shard's for all its replicas); null for none.
   */
  gray: { between: Sampler; duration: Sampler; slowdown: number; scope: 'replica' | 'shard' } | null;
  /** The load balancer's health check; null: a down replica leaves rotation at once. */
  healthCheck: { intervalS: number; failureThreshold: number; successThreshold: number; ejectSlow: boolean } | null;
  /** The run's latency objective (s), to split attainment during and outside incidents; Infinity for none. */
  sloS: number;
}

/** Replicas an outage of `share` takes down out of `replicas`: at least that share (a zone of 0.25 of 5 is 2). */
export function outageReplicas(share: number, replicas: number): number {
  return Math.min(replicas, Math.max(1, Math.ceil(share * replicas - 1e-9)));
}

/**
 * Takes a stage's replicas down and brings them back (`FailableCapacity`), the way the
 * autoscaler changes capacity through `ScalableCapacity`.
 *
 * Random failures: each replica fails `between` after it came up and is repaired
 * `repair` later. With an unlimited crew replicas are independent, and with exponential
 * times each is up a share MTBF / (MTBF + MTTR) of the time; with a crew of c, repairs
 * wait their turn (first failed, first repaired): the finite-source machine-repairman
 * model M/M/c//R (Kleinrock vol. 1, §3.9). A replica's failure clock runs only while it
 * is up.
 *
 * Outages: the first ⌈share × replicas⌉ replicas (a fixed zone) go down at `atS` for
 * `durationS`; a replica down for two reasons comes back when both are over.
 *
 * Gray failures: each replica, on its own clock independent of its failures, is healthy
 * for `between`, then slow for `duration` (an alternating renewal process: slow a share
 * E[duration] / (E[between] + E[duration]) of the time); a batch started on a slow
 * replica takes `slowdown` times its service time (the factor is read when it starts).
 * With scope `shard` the clock is the shard's: all of a shard's replicas (a pool's, for a
 * pool) turn slow and healthy together, so a hedge to another replica of the shard meets
 * the same slowness (a shared host, disk or hot partition).
 *
 * Health check: at every multiple of `intervalS` from the run's start every replica is
 * probed; a probe fails on a down replica (and on a slow one with `ejectSlow`). A
 * replica in rotation is ejected after `failureThreshold` failed probes in a row and put
 * back after `successThreshold` passed probes in a row. Until ejected a crashed replica
 * is a black hole: it takes work and answers nothing; the work is lost or retried when
 * it is ejected (or restarts first). Without a health check a down replica leaves
 * rotation the moment it fails and returns the moment it is up.
 *
 * Incidents: a replica is impaired while it is down, slow, or out of rotation; the stage
 * is in an incident while any replica is impaired. Time to recover: from the end of an
 * incident to the first moment the stage holds no more waiting requests than when the
 * incident began (0 when it already does); an incident that starts before that moment
 * leaves the previous one unrecovered (not counted), its window running on into the new
 * one. A measured request is counted "during incidents" when its time in the system
 * (arrival to completion or drop) overlaps an incident window of this stage (from the
 * incident's start to its recovery: the backlog it left is part of it), else "outside".
 *
 * Reads from its own stream (`stage:<name>:faults`, drawn by the caller; gray failures
 * from `stage:<name>:gray`), so faults never shift another component's draws. Stops
 * drawing once `active()` is false.
 */
export class FaultInjector {
  /** Failures that took an up replica down, and outages started (since warm-up ended). */
  failures = 0;
  outagesStarted = 0;
  /** Slow spells that started (of a replica, or with scope shard of a shard's replicas together), and ejections by the health check (since warm-up ended). */
  slowSpells = 0;
  ejections = 0;
  /** Sum of the delays from a replica's impairment the probe sees (down, or slow with `ejectSlow`) to its ejection, for ejections since warm-up. */
  ejectDelaySumS = 0;
  /** Replicas down now (time-weighted, reset at warm-up). */
  readonly down: TimeWeighted;
  /** 1 while any replica is impaired (time-weighted, reset at warm-up): time in incident. */
  readonly incident: TimeWeighted;
  /** Replicas slow now, and out of rotation now (time-weighted, reset at warm-up). */
  readonly slow: TimeWeighted;
  readonly ejected: TimeWeighted;
  /** Measured requests whose time in the system overlapped an incident, and of them those within the objective; the same outside. */
  requestsDuring = 0;
  withinDuring = 0;
  requestsOutside = 0;
  withinOutside = 0;
  /** Recoveries completed since warm-up: count, total and longest (s). */
  recoveries = 0;
  recoverySumS = 0;
  recoveryMaxS = 0;
  /** Replicas the stage has (replicas × shards). */
  readonly replicas: number;
  private readonly failed: Uint8Array;
  private readonly outageDepth: Int32Array;
  private readonly failTimers: Array<Timer | null>;
  private downNow = 0;
  /** Repairs under way, and failed replicas waiting for a repairman (FIFO). */
  private repairing = 0;
  private readonly repairQueue: number[] = [];
  /** Gray state: 1 while slow. */
  private readonly isSlow: Uint8Array;
  /**
   * A gray clock's unit u is replicas u, u + grayStep, … below `replicas`: with scope
   * replica the step is `replicas` (unit u is replica u alone); with scope shard it is the
   * shard count (replica-major numbering: unit u is shard u's replicas).
   */
  private readonly grayStep: number;
  private slowNow = 0;
  /** Health check: 1 while out of rotation; consecutive failed and passed probes; when the probe-visible impairment began. */
  private readonly out: Uint8Array;
  private outNow = 0;
  private readonly failStreak: Int32Array;
  private readonly passStreak: Int32Array;
  private readonly badSinceS: Float64Array;
  /** Replicas impaired (down, slow or out of rotation) now. */
  private readonly impaired: Uint8Array;
  private impairedNow = 0;
  /** The end of the last incident window, at its recovery (-Infinity before any), and the queue when the incident under way began. */
  private lastWindowEndS = -Infinity;
  private queueAtIncidentStart = 0;
  /** The end of the incident whose recovery is awaited (NaN when none). */
  private recoveringFromS = Number.NaN;
  private measuringSinceS = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly stage: FailableCapacity,
    private readonly cfg: FaultsConfig,
    private readonly active: () => boolean,
  ) {
    const n = stage.faultReplicas;
    this.replicas = n;
    this.failed = new Uint8Array(n);
    this.outageDepth = new Int32Array(n);
    this.failTimers = Array.from({ length: n }, () => null);
    this.isSlow = new Uint8Array(n);
    this.grayStep = cfg.gray?.scope === 'shard' ? stage.shards : n;
    this.out = new Uint8Array(n);
    this.failStreak = new Int32Array(n);
    this.passStreak = new Int32Array(n);
    this.badSinceS = new Float64Array(n).fill(Number.NaN);
    this.impaired = new Uint8Array(n);
    this.down = new TimeWeighted(sim.now);
    this.incident = new TimeWeighted(sim.now);
    this.slow = new TimeWeighted(sim.now);
    this.ejected = new TimeWeighted(sim.now);
    this.measuringSinceS = sim.now;
    stage.enableFaults(cfg.inFlight);
    if (cfg.between !== null) for (let i = 0; i < n; i++) this.armFailure(i);
    for (const o of cfg.outages) sim.scheduleAt(Math.max(o.atS, sim.now), this.onOutageStart, o);
    // One clock per unit, armed in unit order (scope replica: replica order, as before scopes).
    if (cfg.gray !== null) for (let u = 0; u < this.grayStep; u++) this.armSlow(u);
    if (cfg.healthCheck !== null) sim.schedule(cfg.healthCheck.intervalS, this.onProbe, null);
  }

  /** Restarts the time averages and counts at `nowS` (end of warm-up). */
  resetStats(nowS: number): void {
    this.failures = 0;
    this.outagesStarted = 0;
    this.slowSpells = 0;
    this.ejections = 0;
    this.ejectDelaySumS = 0;
    this.recoveries = 0;
    this.recoverySumS = 0;
    this.recoveryMaxS = 0;
    this.measuringSinceS = nowS;
    this.down.reset(nowS);
    this.incident.reset(nowS);
    this.slow.reset(nowS);
    this.ejected.reset(nowS);
  }

  /**
   * A measured request ended (completed within the objective or not, or dropped):
   * counted during incidents when [arrivalS, nowS] overlaps one. Incidents are
   * disjoint and in time order, so the one under way and the last one's end decide.
   */
  requestEnded(arrivalS: number, latencyS: number, completed: boolean): void {
    const during = this.impairedNow > 0 || this.recoveringFromS === this.recoveringFromS || this.lastWindowEndS > arrivalS;
    const within = completed && latencyS < this.cfg.sloS;
    if (during) {
      this.requestsDuring++;
      if (within) this.withinDuring++;
    } else {
      this.requestsOutside++;
      if (within) this.withinOutside++;
    }
  }

  // ---------------------------------------------------------------------------
  // Random failures and outages.

  private armFailure(i: number): void {
    if (!this.active()) return;
    this.failTimers[i] = this.sim.timer(this.cfg.between!(), this.onFailure, i);
  }

  private readonly onFailure = (i: number): void => {
    this.failTimers[i] = null;
    if (!this.active()) return;
    this.failures++;
    this.failed[i] = 1;
    this.goneDown(i);
    if (this.repairing < this.cfg.crew) this.startRepair(i);
    else this.repairQueue.push(i);
  };

  private startRepair(i: number): void {
    this.repairing++;
    this.sim.schedule(this.cfg.repair!(), this.onRepair, i);
  }

  private readonly onRepair = (i: number): void => {
    this.repairing--;
    this.failed[i] = 0;
    // PERF: the queue is at most the pool's size; shift() on it is fine.
    const next = this.repairQueue.shift();
    if (next !== undefined) this.startRepair(next);
    this.maybeUp(i);
  };

  private readonly onOutageStart = (o: FaultsConfig['outages'][number]): void => {
    if (!this.active()) return;
    this.outagesStarted++;
    const k = outageReplicas(o.share, this.replicas);
    for (let i = 0; i < k; i++) {
      const wasUp = this.isUp(i);
      this.outageDepth[i]!++;
      if (wasUp) this.goneDown(i);
    }
    this.sim.schedule(o.durationS, this.onOutageEnd, k);
  };

  private readonly onOutageEnd = (k: number): void => {
    for (let i = 0; i < k; i++) {
      this.outageDepth[i]!--;
      this.maybeUp(i);
    }
  };

  private isUp(i: number): boolean {
    return this.failed[i] === 0 && this.outageDepth[i] === 0;
  }

  /** Replica `i` just went from up to down. */
  private goneDown(i: number): void {
    const t = this.failTimers[i];
    if (t != null) {
      t.cancel();
      this.failTimers[i] = null;
    }
    this.downNow++;
    this.down.set(this.sim.now, this.downNow);
    // The incident begins before the work the replica held is lost: those requests end during it.
    this.refresh(i);
    if (this.cfg.healthCheck === null) this.stage.replicaFailed(i);
    else {
      this.noteBad(i);
      this.stage.replicaStopped(i);
    }
  }

  /** Replica `i` lost a reason to be down: up again if it has none left. */
  private maybeUp(i: number): void {
    if (!this.isUp(i)) return;
    this.downNow--;
    this.down.set(this.sim.now, this.downNow);
    if (this.cfg.healthCheck === null) this.stage.replicaRepaired(i);
    else {
      this.noteGood(i);
      this.stage.replicaRestarted(i);
    }
    this.refresh(i);
    if (this.cfg.between !== null) this.armFailure(i);
  }

  // ---------------------------------------------------------------------------
  // Gray failures.

  /** Arms the gray clock of unit `u` (a replica, or a shard's replicas: see `grayStep`). */
  private armSlow(u: number): void {
    if (!this.active()) return;
    this.sim.schedule(this.cfg.gray!.between(), this.onSlow, u);
  }

  /** Unit `u` turns slow: one spell, every replica of the unit slow from now. */
  private readonly onSlow = (u: number): void => {
    if (!this.active()) return;
    const g = this.cfg.gray!;
    this.slowSpells++;
    for (let i = u; i < this.replicas; i += this.grayStep) {
      this.isSlow[i] = 1;
      this.slowNow++;
      this.slow.set(this.sim.now, this.slowNow);
      this.stage.replicaSlowdown(i, g.slowdown);
      if (this.cfg.healthCheck?.ejectSlow === true) this.noteBad(i);
      this.refresh(i);
    }
    this.sim.schedule(g.duration(), this.onHealthy, u);
  };

  private readonly onHealthy = (u: number): void => {
    for (let i = u; i < this.replicas; i += this.grayStep) {
      this.isSlow[i] = 0;
      this.slowNow--;
      this.slow.set(this.sim.now, this.slowNow);
      this.stage.replicaSlowdown(i, 1);
      if (this.cfg.healthCheck?.ejectSlow === true) this.noteGood(i);
      this.refresh(i);
    }
    this.armSlow(u);
  };

  // ---------------------------------------------------------------------------
  // Health check.

  /** Whether replica `i` fails a probe now. */
  private probeFails(i: number): boolean {
    return !this.isUp(i) || (this.cfg.healthCheck!.ejectSlow && this.isSlow[i] === 1);
  }

  /** The probe-visible impairment of `i` may have begun now (kept from its first start). */
  private noteBad(i: number): void {
    if (this.badSinceS[i] !== this.badSinceS[i]) this.badSinceS[i] = this.sim.now;
  }

  /** The probe-visible impairment of `i` may be over now. */
  private noteGood(i: number): void {
    if (!this.probeFails(i)) this.badSinceS[i] = Number.NaN;
  }

  private readonly onProbe = (): void => {
    if (!this.active()) return;
    const h = this.cfg.healthCheck!;
    const now = this.sim.now;
    for (let i = 0; i < this.replicas; i++) {
      if (this.probeFails(i)) {
        this.passStreak[i] = 0;
        this.failStreak[i]!++;
        if (this.out[i] === 0 && this.failStreak[i]! >= h.failureThreshold) {
          this.out[i] = 1;
          this.outNow++;
          this.ejected.set(now, this.outNow);
          this.ejections++;
          this.ejectDelaySumS += now - this.badSinceS[i]!;
          this.stage.replicaEjected(i);
          this.refresh(i);
        }
      } else {
        this.failStreak[i] = 0;
        this.passStreak[i]!++;
        if (this.out[i] === 1 && this.passStreak[i]! >= h.successThreshold) {
          this.out[i] = 0;
          this.outNow--;
          this.ejected.set(now, this.outNow);
          this.stage.replicaReturned(i);
          this.refresh(i);
        }
      }
    }
    this.sim.schedule(h.intervalS, this.onProbe, null);
  };

  // ---------------------------------------------------------------------------
  // Incidents and recovery.

  /** Recomputes whether replica `i` is impaired, and the stage's incident state. */
  private refresh(i: number): void {
    const bad = !this.isUp(i) || this.isSlow[i] === 1 || this.out[i] === 1 ? 1 : 0;
    if (this.impaired[i] === bad) return;
    this.impaired[i] = bad;
    const now = this.sim.now;
    if (bad === 1) {
      if (this.impairedNow++ === 0) {
        this.incident.set(now, 1);
        this.queueAtIncidentStart = this.stage.waiting;
        if (this.recoveringFromS === this.recoveringFromS) {
          // A new incident before the last one recovered: that one is not counted (its window runs on into this one).
          this.recoveringFromS = Number.NaN;
          this.stage.watchQueue(0, null);
        }
      }
      return;
    }
    if (--this.impairedNow === 0) {
      this.incident.set(now, 0);
      this.recoveringFromS = now;
      this.stage.watchQueue(this.queueAtIncidentStart, this.recovered);
    }
  }

  private readonly recovered = (nowS: number): void => {
    const from = this.recoveringFromS;
    this.recoveringFromS = Number.NaN;
    this.lastWindowEndS = nowS;
    // Counted when the incident ended in the measured span.
    if (from >= this.measuringSinceS) {
      const d = nowS - from;
      this.recoveries++;
      this.recoverySumS += d;
      if (d > this.recoveryMaxS) this.recoveryMaxS = d;
    }
  };

  /** Whether an incident is under way now. */
  get inIncident(): boolean {
    return this.impairedNow > 0;
  }

  /** The latency objective attainment is split against (s; Infinity for none). */
  get sloTargetS(): number {
    return this.cfg.sloS;
  }

  /** Measured requests that started service on a slow replica (the station counts them). */
  get servedSlow(): number {
    return this.stage.servedSlow;
  }
}
