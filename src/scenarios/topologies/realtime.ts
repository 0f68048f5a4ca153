import type { TopologyDefaults } from './topology.ts';

/** Real time: every request runs the model on demand (the deep ranker on 4 CPU replicas). */
export const realtime: TopologyDefaults = {
  description: 'every request runs the model on demand',
  defaults: () => ({
    stages: [{ name: 'model', model: 'deep-ranker', hardware: 'c7i.xlarge', replicas: 4 }],
  }),
};
