import type { Sampler, Simulation, Timer } from '../engine/index.ts';
import type { ScalingBehaviorDescription } from '../config/description.ts';
import type { ScalableCapacity } from './stations/capacity.ts';
import { autoscaleMetrics, type AutoscaleMetricName, type MetricReader } from './autoscale-metrics.ts';
import { policyLabel, scaleDownLimit, scaleUpLimit, type ScaleEvent } from './scaling-policies.ts';

/** Settings of a horizontal autoscaler (seconds). */
export interface AutoscalerConfig {
  /** A metric of `autoscaleMetrics` (`autoscale-metrics.ts`). */
  metric: AutoscaleMetricName;
  /** Desired metric value: a share (utilization, KV utilization) or an amount per ready replica. */
  target: number;
  min: number;
  max: number;
  syncS: number;
  scaleUpWindowS: number;
  scaleDownWindowS: number;
  tolerance: number;
  /** Time from a replica's request to it serving (node start plus model load). */
  coldStart: Sampler;
  /** Kubernetes' scaling-rate policies; null for none (the count jumps to the recommendation). */
  behavior: ScalingBehaviorDescription | null;
}

/** One sync of the autoscaler, for reports and hand checks. */
export interface ScalingDecision {
  timeS: number;
  /** Metric averaged over the last sync period (per ready replica, or a share). */
  metric: number;
  ready: number;
  provisioning: number;
  /** ceil(ready × metric / target), or the current count within tolerance. */
  recommendation: number;
  /** Replica count asked for after stabilization, the scaling policies and min/max. */
  desired: number;
  /**
   * What held `desired` short of the recommendation: "scaleUp Pods 4 per 15s" (a
   * policy, by direction), "scaleUp Disabled", "scaleUpStabilization",
   * "scaleDownStabilization", "max", "min"; null when nothing did.
   */
  limitedBy: string | null;
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
 * drains ready ones.
 * With `behavior`, Kubernetes' scaling policies then bound the change
 * (`scaling-policies.ts`: the count at the start of each policy's period, plus or
 * minus pods or percent, chosen by selectPolicy), applied after stabilization and
 * before min/max, as `normalizeDesiredReplicasWithBehaviors` does; without it the count
 * goes straight to the (stabilized) recommendation.
 */
export class Autoscaler {
  readonly decisions: ScalingDecision[] = [];
  private readonly recs: Array<{ t: number; r: number }> = [];
  private readonly starting: Timer[] = [];
  /** Changes made within the longest policy period (with `behavior` only). */
  private readonly ups: ScaleEvent[] = [];
  private readonly downs: ScaleEvent[] = [];
  /** The metric's average since the previous sync. */
  private readonly measure: MetricReader;

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
    this.measure = autoscaleMetrics[cfg.metric].reader(stage, sim.now);
    sim.schedule(cfg.syncS, this.sync);
  }

  private readonly sync = (): void => {
    if (!this.active()) return;
    const now = this.sim.now;
    const cfg = this.cfg;
    const metric = this.measure(now);
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
    let limitedBy: string | null = null;
    if (recommendation > current && desired < recommendation) limitedBy = 'scaleUpStabilization';
    else if (recommendation < current && desired > recommendation) limitedBy = 'scaleDownStabilization';
    const b = cfg.behavior;
    if (b !== null) {
      if (desired > current) {
        const lim = scaleUpLimit(b.scaleUp, current, this.ups, this.downs, now);
        const bound = Math.max(current, lim.replicas);
        if (desired > bound && bound < cfg.max) {
          desired = bound;
          limitedBy = lim.policy === null ? 'scaleUp Disabled' : `scaleUp ${policyLabel(lim.policy)}`;
        }
      } else if (desired < current) {
        const lim = scaleDownLimit(b.scaleDown, current, this.ups, this.downs, now);
        const bound = Math.min(current, lim.replicas);
        if (desired < bound && bound > cfg.min) {
          desired = bound;
          limitedBy = lim.policy === null ? 'scaleDown Disabled' : `scaleDown ${policyLabel(lim.policy)}`;
        }
      }
    }
    if (desired > cfg.max) {
      desired = cfg.max;
      limitedBy = 'max';
    } else if (desired < cfg.min) {
      desired = cfg.min;
      limitedBy = 'min';
    }
    if (b !== null) this.recordChange(b, now, desired - current);
    this.decisions.push({ timeS: now, metric, ready, provisioning, recommendation, desired, limitedBy });
    for (let n = current; n < desired; n++) this.requestReplica();
    for (let n = current; n > desired; n--) this.releaseReplica();
    if (this.active()) this.sim.schedule(cfg.syncS, this.sync);
  };

  /** Keeps the changes the policies may look back on (Kubernetes' scale events), nothing older than the longest period. */
  private recordChange(b: ScalingBehaviorDescription, now: number, change: number): void {
    if (change > 0) this.ups.push({ timeS: now, change });
    if (change < 0) this.downs.push({ timeS: now, change: -change });
    const longest = Math.max(...b.scaleUp.policies.map((p) => p.periodS), ...b.scaleDown.policies.map((p) => p.periodS));
    // At most one event per sync: period ÷ syncPeriod of them (one with the defaults, 18,000 at the
    // extremes of 1,800 s and 100 ms), scanned once per sync, not per request.
    for (const list of [this.ups, this.downs]) while (list.length > 0 && list[0]!.timeS <= now - longest) list.shift();
  }

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
