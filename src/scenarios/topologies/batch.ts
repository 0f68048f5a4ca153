import type { TopologyDefaults } from './topology.ts';

/**
 * Batch: a nightly job scores every user; online, a request is a key-value lookup.
 * New users, whom no job has seen, get a popular-items heuristic.
 */
export const batch: TopologyDefaults = {
  description: 'a nightly job precomputes predictions for every user; online requests are key-value lookups',
  defaults: () => ({
    users: { count: 1_000_000, zipf: 1.0, newUserShare: 0.05 },
    hardware: { 'kv-store': { device: 'cpu', usdPerHour: 0.25, description: 'an in-memory key-value store node (illustrative price)' } },
    stages: [
      {
        name: 'lookup',
        replicas: 2,
        hardware: 'kv-store',
        service: { dist: 'lognormal', mean: '1ms', cv: 0.5 },
        precompute: {
          every: '24h',
          workers: 8,
          batch: 1024,
          perItem: '2ms',
          hardware: 'c7i.xlarge',
          quality: 0.8138,
          miss: { heuristic: { latency: { dist: 'deterministic', value: '1ms' }, quality: 0.7 } },
        },
      },
    ],
  }),
};
