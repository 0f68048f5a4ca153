import type { TopologyDefaults } from './topology.ts';

/**
 * Hybrid: candidates precomputed nightly per user and looked up online, then ranked
 * in real time, with a cache of ranked results in front of the ranker.
 */
export const hybrid: TopologyDefaults = {
  description: 'candidates precomputed nightly, ranked in real time, with a cache in front of the ranker',
  defaults: () => ({
    users: { count: 1_000_000, zipf: 1.0, newUserShare: 0.05 },
    hardware: { 'kv-store': { device: 'cpu', usdPerHour: 0.25, description: 'an in-memory key-value store node (illustrative price)' } },
    stages: [
      {
        name: 'candidates',
        replicas: 2,
        hardware: 'kv-store',
        candidates: 200,
        service: { dist: 'lognormal', mean: '1ms', cv: 0.5 },
        precompute: {
          every: '24h',
          workers: 8,
          batch: 1024,
          perItem: '5ms',
          hardware: 'c7i.xlarge',
          miss: { heuristic: { latency: { dist: 'deterministic', value: '2ms' }, quality: 0.7 } },
        },
      },
      {
        name: 'ranker',
        model: 'deep-ranker',
        hardware: 'g5.xlarge',
        replicas: 2,
        cache: { capacity: 100_000, ttl: '10m', hit: { dist: 'deterministic', value: '1ms' } },
        batching: { maxBatch: 16, maxWait: '2ms' },
        service: { dist: 'linear', base: '4ms', per: { candidates: '0.02ms' } },
      },
    ],
  }),
};
