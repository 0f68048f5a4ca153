import { FifoCache, LfuCache, LruCache, RandomCache, type CacheExpiry, type KeyCache, type Rng } from '../engine/index.ts';

/** What a cache policy is built from: its capacity, expiry, and (asked for only by policies that draw) a random stream. */
export interface CachePolicyOptions extends CacheExpiry {
  capacity: number;
  /** The node's own named stream for eviction draws; called at most once, by policies that draw. */
  stream: () => Rng;
}

/**
 * The cache policies a stage's `cache.policy` names. Adding one is a file in
 * `src/engine/` extending `SlotCache` (its eviction rule only) and a line here (the schema reads the names).
 */
export const cachePolicyRegistry = {
  lru: (o: CachePolicyOptions): KeyCache => new LruCache(o.capacity, o.ttlS, o.ttlResetOnHit),
  fifo: (o: CachePolicyOptions): KeyCache => new FifoCache(o.capacity, o.ttlS, o.ttlResetOnHit),
  random: (o: CachePolicyOptions): KeyCache => new RandomCache(o.capacity, o.stream(), o.ttlS, o.ttlResetOnHit),
  lfu: (o: CachePolicyOptions): KeyCache => new LfuCache(o.capacity, o.ttlS, o.ttlResetOnHit),
} as const satisfies Record<string, (o: CachePolicyOptions) => KeyCache>;

/** A cache policy's name in a scenario. */
export type CachePolicyName = keyof typeof cachePolicyRegistry;

/** The names, in registry order (the default, `lru`, first). */
export const CACHE_POLICIES = Object.keys(cachePolicyRegistry) as CachePolicyName[];
