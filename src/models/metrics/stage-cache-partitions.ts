/**
 * A partitioned cache's hit ratio per partition (`cache.partitions`, by class): measured
 * lookups and hits of each class's requests, which look up only their own partition.
 */
import type { StageDescription } from '../../config/description.ts';
import type { Request } from '../request.ts';
import type { CachePartitionResult, StageResult } from '../result.ts';
import { stageFigure, type StageCollectorKind } from './stage-collector.ts';

/**
 * The partition figures. Their paths are within one partition's record
 * (`stages.<name>.cachePartitions.<class>`), which has a class's name in its path, so
 * they are not in the stage's figure list; renderers format with them.
 */
export const CACHE_PARTITION = {
  hitRatio: stageFigure('hitRatio', 'partition hit ratio', 'pct', true, 'hits'),
  capacity: stageFigure('capacity', 'partition capacity (entries)', 'count', null, 'entries'),
} as const;

/** Measured lookups and hits per class index. */
export class CachePartitionsCollector {
  private readonly lookups: Float64Array;
  private readonly hits: Float64Array;
  constructor(private readonly d: StageDescription) {
    const n = Math.max(0, ...d.cache!.partitions!.map((p) => p.classIndex + 1));
    this.lookups = new Float64Array(n);
    this.hits = new Float64Array(n);
  }
  cacheLookup(req: Request, hit: boolean): void {
    this.lookups[req.classIndex]!++;
    if (hit) this.hits[req.classIndex]!++;
  }
  result(): Pick<StageResult, 'cachePartitions'> {
    const out: Record<string, CachePartitionResult> = {};
    for (const p of this.d.cache!.partitions!) {
      const n = this.lookups[p.classIndex]!;
      out[p.className] = { capacity: p.capacity, lookups: n, hitRatio: n > 0 ? this.hits[p.classIndex]! / n : null };
    }
    return { cachePartitions: out };
  }
}

/** The registry entry: main-path stages whose cache is partitioned. */
export const cachePartitionsCollector: StageCollectorKind<CachePartitionsCollector> = {
  keys: ['cachePartitions'],
  placement: 'node',
  figures: [],
  appliesTo: (d) => d.cache !== null && d.cache.partitions !== null && !d.standby,
  create: (d) => new CachePartitionsCollector(d),
};
