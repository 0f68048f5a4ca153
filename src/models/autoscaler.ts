import type { Sampler, Simulation, Timer } from '../engine/index.ts';
import type { ScalableCapacity } from './stations/capacity.ts';

/** Settings of a horizontal autoscaler (seconds). */
export interface AutoscalerConfig {
  metric: 'utilization' | 'inflight' | 'queue';
  /** Desired metric value: a busy share (utilization) or requests per ready replica. */
  target: number;
  min: number;
  max: number;
  syncS: number;
  scaleUpWindowS: number;
  scaleDownWindowS: number;
  tolerance: number;
  /** Time from a replica's request to it serving (node start plus model load). */
  coldStart: Sampler;
}

/** One sync of the autoscaler, for reports and hand checks. */
export interface ScalingDecision {
  timeS: number;
  /** Metric averaged over the last sync period (per ready replica, or busy share). */
  metric: number;
  ready: number;
  provisioning: number;
  /** ceil(ready × metric / target), or the current count within tolerance. */
  recommendation: number;
  /** Replica count asked for after stabilization and min/max. */
  desired: number;
}

/**
 * Kubernetes HPA semantics (autoscaling/v2) on one stage. Every sync period:
 *   recommendation = ceil(ready × metric / target), unless |metric/target − 1| ≤ tolerance
 *   (then the current count). Not-yet-ready replicas contribute no capacity, which is
 *   HPA's rule of counting unready pods at 0 % when scaling up.
 *   Stabilization: scale up only to the lowest recommendation of the last
 *   scaleUpWindow, down only to the highest of the last scaleDownWindow.
 *   Clamp to [min, max].
 * Scaling up requests replicas at once (billed from then) that serve after a cold
 * start; scaling down first cancels replicas still starting (newest first), then
 * drains ready ones. HPA's rate-limit policies are not modelled.
 */
export class Autoscaler {
  readonly decisions: ScalingDecision[] = [];
  private readonly recs: Array<{ t: number; r: number }> = [];
  private readonly starting: Timer[] = [];
  private lastT = 0;
  private lastBusy = 0;
  private lastSlots = 0;
  private lastQueue = 0;
  private lastInService = 0;
  private lastReady = 0;

  /** The most replicas this autoscaler may run. */
  get maxReplicas(): number {
    return this.cfg.max;
  }

  constructor(
    private readonly sim: Simulation,
    /** The capacity this autoscaler changes. */
    private readonly stage: ScalableCapacity,
    private readonly cfg: AutoscalerConfig,
    private readonly active: () => boolean,
  ) {
    this.lastT = sim.now;
    this.snapshot(sim.now);
    sim.schedule(cfg.syncS, this.sync);
  }

  private snapshot(now: number): void {
    const st = this.stage.counters;
    this.lastBusy = st.busy.lifetimeIntegral(now);
    this.lastSlots = st.slots.lifetimeIntegral(now);
    this.lastQueue = st.queueLength.lifetimeIntegral(now);
    this.lastInService = st.inServiceCount.lifetimeIntegral(now);
    this.lastReady = st.readyReplicas.lifetimeIntegral(now);
    this.lastT = now;
  }

  /** The metric's average over the period since the last sync. */
  private measure(now: number): number {
    const st = this.stage.counters;
    const dt = now - this.lastT;
    const readyTime = st.readyReplicas.lifetimeIntegral(now) - this.lastReady;
    if (this.cfg.metric === 'utilization') {
      const slotTime = st.slots.lifetimeIntegral(now) - this.lastSlots;
      return slotTime > 0 ? (st.busy.lifetimeIntegral(now) - this.lastBusy) / slotTime : 0;
    }
    const queueTime = st.queueLength.lifetimeIntegral(now) - this.lastQueue;
    const total = this.cfg.metric === 'queue' ? queueTime : queueTime + st.inServiceCount.lifetimeIntegral(now) - this.lastInService;
    // Per ready replica: the time-average count divided by the time-average replicas.
    return dt > 0 && readyTime > 0 ? total / readyTime : 0;
  }

  private readonly sync = (): void => {
    if (!this.active()) return;
    const now = this.sim.now;
    const cfg = this.cfg;
    const metric = this.measure(now);
    this.snapshot(now);
    const ready = this.stage.readyCount;
    const provisioning = this.stage.provisioningCount;
    const current = ready + provisioning;
    const ratio = metric / cfg.target;
    const recommendation = Math.abs(ratio - 1) <= cfg.tolerance ? current : Math.ceil(ready * ratio - 1e-9);
    this.recs.push({ t: now, r: recommendation });
    const keep = Math.max(cfg.scaleUpWindowS, cfg.scaleDownWindowS);
    while (this.recs.length > 0 && this.recs[0]!.t < now - keep) this.recs.shift();
    let up = Infinity;
    let down = -Infinity;
    for (const { t, r } of this.recs) {
      if (t >= now - cfg.scaleUpWindowS) up = Math.min(up, r);
      if (t >= now - cfg.scaleDownWindowS) down = Math.max(down, r);
    }
    let desired = current < up ? up : current > down ? down : current;
    desired = Math.min(cfg.max, Math.max(cfg.min, desired));
    this.decisions.push({ timeS: now, metric, ready, provisioning, recommendation, desired });
    for (let n = current; n < desired; n++) this.requestReplica();
    for (let n = current; n > desired; n--) this.releaseReplica();
    if (this.active()) this.sim.schedule(cfg.syncS, this.sync);
  };

  private requestReplica(): void {
    this.stage.replicaRequested();
    const timer = this.sim.timer(this.cfg.coldStart(), () => {
      this.starting.splice(this.starting.indexOf(timer), 1);
      this.stage.replicaReady();
    });
    this.starting.push(timer);
  }

  private releaseReplica(): void {
    const timer = this.starting.pop();
    if (timer !== undefined) {
      timer.cancel();
      this.stage.replicaCancelled();
    } else {
      this.stage.removeReplica();
    }
  }
}
