/**
 * Measured requests a main-path stage's fallback rule diverted. It has no key of its
 * own in the stage's result: the run's degraded share (`run-degraded.ts`) sums it.
 */
import type { Request } from '../request.ts';
import type { StageCollectorKind } from './stage-collector.ts';

/** Diverted measured requests. */
export class FallbackCollector {
  degraded = 0;
  diverted(_req: Request): void {
    this.degraded++;
  }
  result(): Record<string, never> {
    return {};
  }
}

/** The registry entry: main-path stages with a fallback rule. */
export const fallbackCollector: StageCollectorKind<FallbackCollector> = {
  keys: [],
  placement: 'node',
  figures: [],
  appliesTo: (d) => d.fallback !== null && !d.standby,
  create: () => new FallbackCollector(),
};
