/**
 * A stage's cache as the node uses it: one policy object for every request, or, with
 * `partitions: { by: class }`, one per class, each of its share of the capacity under
 * the same policy and TTL, filled and looked up only by its class's requests (issue 17).
 */
import type { KeyCache, Rng } from '../engine/index.ts';
import type { CacheDescription } from '../config/description.ts';
import { cachePolicyRegistry } from './cache-policies.ts';

/** The node's caches: `policy` shared, or `byClass` (index = class index; undefined for a class with no partition). */
export type NodeCaches = { policy: KeyCache } | { byClass: Array<KeyCache | undefined> };

/**
 * Builds a stage's caches. `stream(suffix)` names the eviction stream: "" for a shared
 * cache (the name it always had), ":<class>" for a partition, so partitions draw apart.
 */
export function cachesOf(c: CacheDescription, classCount: number, stream: (suffix: string) => Rng): NodeCaches {
  const make = (capacity: number, suffix: string): KeyCache =>
    cachePolicyRegistry[c.policy]({ capacity, ttlS: c.ttlS, ttlResetOnHit: c.ttlResetOnHit, stream: () => stream(suffix) });
  if (c.partitions === null) return { policy: make(c.capacity, '') };
  const byClass = new Array<KeyCache | undefined>(classCount).fill(undefined);
  for (const p of c.partitions) byClass[p.classIndex] = make(p.capacity, `:${p.className}`);
  return { byClass };
}
