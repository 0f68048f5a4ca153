/** The hit ratio of a main-path stage's cache over measured lookups. */
import type { Request } from '../request.ts';
import type { StageResult } from '../result.ts';
import { stageFigure, type StageCollectorKind } from './stage-collector.ts';

/** The cache figure. */
export const CACHE = {
  hitRatio: stageFigure('hitRatio', 'cache hit ratio', 'pct', true, 'cache hits'),
} as const;

/** Measured lookups and hits. */
export class CacheCollector {
  lookups = 0;
  hits = 0;
  cacheLookup(_req: Request, hit: boolean): void {
    this.lookups++;
    if (hit) this.hits++;
  }
  result(): Pick<StageResult, 'hitRatio'> {
    return { hitRatio: this.lookups > 0 ? this.hits / this.lookups : null };
  }
}

/** The registry entry: main-path stages with a cache. */
export const cacheCollector: StageCollectorKind<CacheCollector> = {
  keys: ['hitRatio'],
  placement: 'node',
  figures: Object.values(CACHE),
  appliesTo: (d) => d.cache !== null && !d.standby,
  create: () => new CacheCollector(),
};
