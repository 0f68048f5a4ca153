/** Client retries: attempts, retries, budget refusals, wasted answers, attempts per request; null without `retry`. */
import { countsSummary } from './counts-summary.ts';
import type { RunResult } from '../result.ts';
import { runFigure, type RunCollectorKind, type RunContext } from './run-collector.ts';
import { requestsCollector } from './run-requests.ts';

/** The retry figures. */
export const RETRIES = {
  attempts: runFigure('retries.attempts', 'attempts sent', 'count', null, 'attempts'),
  retries: runFigure('retries.retries', 'retries sent', 'count', false, 'retries'),
  budgetDenied: runFigure('retries.budgetDenied', 'retries the budget refused', 'count', null, 'denied'),
  wastedAnswers: runFigure('retries.wastedAnswers', 'answers thrown away', 'count', false, 'wasted'),
  attemptRatePerRequest: runFigure('retries.attemptRatePerRequest', 'attempts per request', 'num', false, 'attempts/req'),
} as const;

/** Reads the retrying client's measured counts at the end. */
export class RetriesCollector {
  result(run: RunContext): Pick<RunResult, 'retries'> {
    const c = run.client;
    if (c === undefined) return { retries: null };
    const arrived = run.of(requestsCollector)!.arrivedCount;
    const { mean, p99, max } = countsSummary(c.attemptCounts);
    return {
      retries: {
        attempts: c.attempts,
        retries: c.retries,
        budgetDenied: c.budgetDenied,
        wastedAnswers: c.wasted,
        attemptsPerRequest: { mean, p99, max },
        attemptRatePerRequest: arrived > 0 ? c.attempts / arrived : NaN,
      },
    };
  }
}

/** The registry entry. */
export const retriesCollector: RunCollectorKind<RetriesCollector> = {
  keys: ['retries'],
  figures: Object.values(RETRIES),
  create: () => new RetriesCollector(),
};
