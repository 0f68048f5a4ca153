/** A fan-out stage's hedging: backup sub-requests sent per sub-request. */
import type { Request } from '../request.ts';
import type { StageResult } from '../result.ts';
import { stageFigure, type StageCollectorKind } from './stage-collector.ts';

/** The fan-out figure. */
export const FANOUT = {
  hedgeExtraLoad: stageFigure('hedgeExtraLoad', 'extra sub-requests sent by hedging', 'pct', false, 'hedge load'),
} as const;

/** Sub-requests sent for measured requests, and backup copies sent by hedging. */
export class FanoutCollector {
  subRequests = 0;
  hedges = 0;
  subRequestSent(_parent: Request): void {
    this.subRequests++;
  }
  hedgeSent(_req: Request): void {
    this.hedges++;
  }
  result(): Pick<StageResult, 'hedgeExtraLoad'> {
    return { hedgeExtraLoad: this.subRequests > 0 ? this.hedges / this.subRequests : 0 };
  }
}

/** The registry entry: fan-out stages. */
export const fanoutCollector: StageCollectorKind<FanoutCollector> = {
  keys: ['hedgeExtraLoad'],
  placement: 'end',
  figures: Object.values(FANOUT),
  appliesTo: (d) => d.fanout !== null,
  create: () => new FanoutCollector(),
};
