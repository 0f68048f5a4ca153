import type { BuiltStage } from './build-stage.ts';

/** Cost of a run in US dollars. */
export interface CostResult {
  /** Bill for the measured span at the configured capacity. */
  total: number;
  /** Bill per hour at the configured capacity: Σ replicas × hourly price. */
  perHour: number;
  /** total / completed requests × 1,000,000 (NaN with no completion). */
  perMillionRequests: number;
  /** Busy share of what is paid for: stage utilizations weighted by their hourly bill. */
  paidUtilization: number;
  /** Stages with no hardware named, which cost nothing here. */
  unpricedStages: string[];
}

/**
 * Cost of static capacity: every replica is billed for the whole measured span
 * whether busy or idle (on-demand instances billed by the hour, pro rata).
 */
export function costOf(stages: readonly BuiltStage[], utilization: (name: string) => number, measuredS: number, completed: number): CostResult {
  let perHour = 0;
  let weightedUtil = 0;
  const unpriced: string[] = [];
  for (const b of stages) {
    if (b.hardware === undefined) {
      unpriced.push(b.stage.name);
      continue;
    }
    const stageHour = b.stage.replicas * b.hardware.usdPerHour;
    perHour += stageHour;
    weightedUtil += stageHour * utilization(b.stage.name);
  }
  const total = (perHour * measuredS) / 3600;
  return {
    total,
    perHour,
    perMillionRequests: completed > 0 ? (total / completed) * 1e6 : NaN,
    paidUtilization: perHour > 0 ? weightedUtil / perHour : NaN,
    unpricedStages: unpriced,
  };
}
