/**
 * The bill of the capacity paid for over the measured span (`../cost.ts`): every
 * stage's billed replica-hours at its hardware's price, plus the precompute jobs' bills
 * (their stages' `precomputeJob.costUsd`), per hour and per million completed requests.
 * It hears no event: it reads the stations' counters, the stages' results and the counts.
 */
import { costOf } from '../cost.ts';
import type { RunResult } from '../result.ts';
import { runFigure, type RunCollectorKind, type RunContext } from './run-collector.ts';
import { requestsCollector } from './run-requests.ts';

/** The cost figures. */
export const COST = {
  total: runFigure('cost.total', 'bill over the measured span', 'usd', false, 'cost'),
  perHour: runFigure('cost.perHour', 'cost per hour', 'usd', false, '$/hour'),
  perMillionRequests: runFigure('cost.perMillionRequests', '$ per million requests', 'usd', false, '$/M requests'),
  paidUtilization: runFigure('cost.paidUtilization', 'busy share of what is paid for', 'pct', true, 'paid util'),
} as const;

/** Reads the bill at the end. */
export class CostCollector {
  result(run: RunContext): Pick<RunResult, 'cost'> {
    const jobs: Array<{ stage: string; usd: number }> = [];
    for (const n of run.nodes) {
      const usd = run.stages[n.name]?.precomputeJob?.costUsd;
      if (usd !== undefined) jobs.push({ stage: n.name, usd });
    }
    const billedHours = (name: string): number => run.built.find((b) => b.stage.name === name)!.stage.counters.billedReplicas.integral(run.endS) / 3600;
    const completed = run.of(requestsCollector)!.completedCount;
    return { cost: costOf(run.built, (n) => run.stages[n]?.utilization ?? 0, billedHours, run.spanS, completed, jobs) };
  }
}

/** The registry entry. */
export const costCollector: RunCollectorKind<CostCollector> = {
  keys: ['cost'],
  figures: Object.values(COST),
  create: () => new CostCollector(),
};
