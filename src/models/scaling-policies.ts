import type { ScalingPolicyDescription, ScalingRulesDescription } from '../config/description.ts';

/** A change of the replica count the autoscaler made: when, and by how many (> 0). */
export interface ScaleEvent {
  timeS: number;
  change: number;
}

/** The bound a direction's policies put on the replica count, and the policy that set it (null when scaling that way is Disabled). */
export interface RateLimit {
  replicas: number;
  policy: ScalingPolicyDescription | null;
}

/** Sum of the changes made in the last `periodS` (Kubernetes' `getReplicasChangePerPeriod`: strictly after now − period). */
function changedWithin(events: readonly ScaleEvent[], nowS: number, periodS: number): number {
  let sum = 0;
  for (const e of events) if (e.timeS > nowS - periodS) sum += e.change;
  return sum;
}

/**
 * The most replicas scaling up may reach now (Kubernetes'
 * `calculateScaleUpLimitWithScalingRules`): for each policy, the count at the start of
 * its period (current − added + removed within it) plus `value` pods, or times
 * (1 + value/100) rounded up; Max takes the largest proposal, Min the smallest,
 * Disabled keeps the current count. Ties go to the first policy listed.
 */
export function scaleUpLimit(rules: ScalingRulesDescription, current: number, ups: readonly ScaleEvent[], downs: readonly ScaleEvent[], nowS: number): RateLimit {
  if (rules.selectPolicy === 'Disabled') return { replicas: current, policy: null };
  let best: RateLimit | undefined;
  for (const p of rules.policies) {
    const start = current - changedWithin(ups, nowS, p.periodS) + changedWithin(downs, nowS, p.periodS);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    if (best === undefined || (rules.selectPolicy === 'Max' ? proposed > best.replicas : proposed < best.replicas)) best = { replicas: proposed, policy: p };
  }
  return best!;
}

/**
 * The fewest replicas scaling down may reach now (Kubernetes'
 * `calculateScaleDownLimitWithBehaviors`): the count at the start of each policy's
 * period minus `value` pods, or times (1 − value/100) rounded down; Max (the largest
 * change) takes the smallest proposal, Min the largest, Disabled keeps the current count.
 */
export function scaleDownLimit(rules: ScalingRulesDescription, current: number, ups: readonly ScaleEvent[], downs: readonly ScaleEvent[], nowS: number): RateLimit {
  if (rules.selectPolicy === 'Disabled') return { replicas: current, policy: null };
  let best: RateLimit | undefined;
  for (const p of rules.policies) {
    const start = current - changedWithin(ups, nowS, p.periodS) + changedWithin(downs, nowS, p.periodS);
    const proposed = p.type === 'Pods' ? start - p.value : Math.floor(start * (1 - p.value / 100));
    if (best === undefined || (rules.selectPolicy === 'Max' ? proposed < best.replicas : proposed > best.replicas)) best = { replicas: proposed, policy: p };
  }
  return best!;
}

/** How a decision log names a policy: "Pods 4 per 15s", "Percent 100 per 15s". */
export function policyLabel(p: ScalingPolicyDescription): string {
  return `${p.type} ${p.value} per ${p.periodS}s`;
}
