import { LruCache } from './lru-cache.ts';

/**
 * First in, first out: evicts the key stored longest ago, whatever its hits. The LRU's
 * linked list where a hit (or a second store of a held key) leaves the order alone.
 * Under the independent reference model its hit ratio is that of random eviction
 * (Gelenbe 1973; approximated by Fricker, Robert & Roberts 2012, h = λT/(1+λT)).
 */
export class FifoCache extends LruCache {
  protected override touch(_slot: number): void {
    // Insertion order only: nothing moves on use.
  }
}
