import type { BuiltStage } from './build-stage.ts';

/** Cost of a run in US dollars. */
export interface CostResult {
  /** Bill for the measured span: every replica paid from its request until it is gone. */
  total: number;
  /** Average bill per hour over the measured span (the configured capacity's hourly price when nothing scales). */
  perHour: number;
  /** total / completed requests × 1,000,000 (NaN with no completion). */
  perMillionRequests: number;
  /** Busy share of what is paid for: stage utilizations weighted by their bills. */
  paidUtilization: number;
  /** Stages with no hardware named, which cost nothing here. */
  unpricedStages: string[];
}

/**
 * Cost of the capacity paid for over the measured span (on-demand instances billed
 * pro rata): Σ over stages of hourly price × replica-hours billed. A static stage
 * bills replicas × span; an autoscaled one bills each replica from the moment it is
 * requested (cold start included) until it has drained.
 */
export function costOf(
  stages: readonly BuiltStage[],
  utilization: (name: string) => number,
  billedReplicaHours: (name: string) => number,
  measuredS: number,
  completed: number,
  /** Other bills over the span, e.g. batch precompute jobs (their workers are not replicas). */
  extras: ReadonlyArray<{ stage: string; usd: number }> = [],
): CostResult {
  let total = 0;
  let weightedUtil = 0;
  const unpriced: string[] = [];
  for (const b of stages) {
    const hw = b.desc.hardware;
    if (hw === null) {
      unpriced.push(b.stage.name);
      continue;
    }
    const stageTotal = hw.entry.usdPerHour * billedReplicaHours(b.stage.name);
    total += stageTotal;
    weightedUtil += stageTotal * utilization(b.stage.name);
  }
  for (const e of extras) total += e.usd;
  return {
    total,
    perHour: measuredS > 0 ? total / (measuredS / 3600) : 0,
    perMillionRequests: completed > 0 ? (total / completed) * 1e6 : NaN,
    paidUtilization: total > 0 ? weightedUtil / total : NaN,
    unpricedStages: unpriced,
  };
}
