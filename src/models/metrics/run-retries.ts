/** Client retries: attempts, retries, budget refusals, wasted answers, attempts per request; null without `retry`. */
import type { RetryDescription } from '../../config/description.ts';
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

/** Measured requests' attempts, retries, refusals and wasted answers, and requests by attempts used. */
export class RetriesCollector {
  attempts = 0;
  retries = 0;
  budgetDenied = 0;
  wasted = 0;
  /** Ended requests by number of attempts used (index = attempts). */
  readonly attemptCounts: Float64Array;
  constructor(cfg: RetryDescription) {
    this.attemptCounts = new Float64Array(cfg.maxAttempts + 1);
  }
  attemptSent(): void {
    this.attempts++;
  }
  retry(allowed: boolean): void {
    if (allowed) this.retries++;
    else this.budgetDenied++;
  }
  answerWasted(): void {
    this.wasted++;
  }
  callEnded(attempts: number): void {
    this.attemptCounts[attempts]!++;
  }
  result(run: RunContext): Pick<RunResult, 'retries'> {
    const arrived = run.of(requestsCollector)!.arrivedCount;
    const { mean, p99, max } = countsSummary(this.attemptCounts);
    return {
      retries: {
        attempts: this.attempts,
        retries: this.retries,
        budgetDenied: this.budgetDenied,
        wastedAnswers: this.wasted,
        attemptsPerRequest: { mean, p99, max },
        attemptRatePerRequest: arrived > 0 ? this.attempts / arrived : NaN,
      },
    };
  }
}

/** Clients that do not retry: `retries` is null. */
class NoRetries {
  result(): Pick<RunResult, 'retries'> {
    return { retries: null };
  }
}

/** The registry entry. */
export const retriesCollector: RunCollectorKind<RetriesCollector | NoRetries> = {
  keys: ['retries'],
  figures: Object.values(RETRIES),
  create: (s) => (s.retry === null ? new NoRetries() : new RetriesCollector(s.retry)),
};
