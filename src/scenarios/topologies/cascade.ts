import type { TopologyDefaults } from './topology.ts';

/**
 * Cascade: two-tower retrieval turns a request into 1,000 candidates, a light ranker
 * keeps the best 100, a Transformer ranks those on a GPU.
 */
export const cascade: TopologyDefaults = {
  description: 'retrieval to 1,000 candidates, a light ranker keeps 100, a heavy ranker orders them',
  defaults: () => ({
    stages: [
      { name: 'retrieval', model: 'two-tower', hardware: 'g5.xlarge', replicas: 2, candidates: 1000, service: { dist: 'lognormal', mean: '8ms', cv: 0.5 } },
      { name: 'light-ranker', model: 'gbdt', hardware: 'c7i.xlarge', replicas: 4, keep: 100, service: { dist: 'linear', base: '1ms', per: { candidates: '0.01ms' } } },
      {
        name: 'heavy-ranker',
        model: 'transformer-ranker',
        hardware: 'g5.xlarge',
        replicas: 2,
        batching: { maxBatch: 8, maxWait: '2ms' },
        service: { dist: 'table', points: [[1, '20ms'], [8, '60ms']] },
      },
    ],
  }),
};
