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
 * Reads from its own stream (`stage:<name>:faults`, drawn by the caller), so faults
 * never shift another component's draws. Stops drawing once `active()` is false.
 */
export class FaultInjector {
  /** Failures that took an up replica down, and outages started (since warm-up ended). */
  failures = 0;
  outagesStarted = 0;
  /** Replicas down now (time-weighted, reset at warm-up). */
  readonly down: TimeWeighted;
  /** 1 while any replica is down (time-weighted, reset at warm-up): time in incident. */
  readonly incident: TimeWeighted;
  private readonly failed: Uint8Array;
  private readonly outageDepth: Int32Array;
  private readonly failTimers: Array<Timer | null>;
  private downNow = 0;
  /** Repairs under way, and failed replicas waiting for a repairman (FIFO). */
  private repairing = 0;
  private readonly repairQueue: number[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly stage: FailableCapacity,
    private readonly cfg: FaultsConfig,
    private readonly active: () => boolean,
  ) {
    const n = stage.replicas;
    this.failed = new Uint8Array(n);
    this.outageDepth = new Int32Array(n);
    this.failTimers = Array.from({ length: n }, () => null);
    this.down = new TimeWeighted(sim.now);
    this.incident = new TimeWeighted(sim.now);
    stage.enableFaults(cfg.inFlight);
    if (cfg.between !== null) for (let i = 0; i < n; i++) this.armFailure(i);
    for (const o of cfg.outages) sim.scheduleAt(Math.max(o.atS, sim.now), this.onOutageStart, o);
  }

  /** Restarts the time averages at `nowS` (end of warm-up). */
  resetStats(nowS: number): void {
    this.failures = 0;
    this.outagesStarted = 0;
    this.down.reset(nowS);
    this.incident.reset(nowS);
  }

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
    const k = outageReplicas(o.share, this.stage.replicas);
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
    this.record();
    this.stage.replicaFailed(i);
  }

  /** Replica `i` lost a reason to be down: up again if it has none left. */
  private maybeUp(i: number): void {
    if (!this.isUp(i)) return;
    this.downNow--;
    this.record();
    this.stage.replicaRepaired(i);
    if (this.cfg.between !== null) this.armFailure(i);
  }

  private record(): void {
    const now = this.sim.now;
    this.down.set(now, this.downNow);
    const inc = this.downNow > 0 ? 1 : 0;
    if (this.incident.current !== inc) this.incident.set(now, inc);
  }
}
