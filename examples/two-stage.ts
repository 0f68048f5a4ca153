// A scenario written in TypeScript: `defineScenario` gives editor completion and
// type checks; servesim still validates the whole object when it loads the file.
//   npx servesim run examples/two-stage.ts
import { defineScenario } from 'servesim';

export default defineScenario({
  name: 'two-stage',
  description: 'Feature fetch then model, each its own pool (a Jackson tandem).',
  seed: 1,
  arrivals: { process: 'poisson', qps: 50 },
  stop: { requests: 200_000 },
  warmup: { requests: 20_000 },
  stages: [
    { name: 'features', replicas: 2, service: { dist: 'lognormal', mean: '15ms', cv: 1.5 } },
    { name: 'model', replicas: 4, queue: { capacity: 100 }, service: { dist: 'gamma', mean: '60ms', cv: 0.5 } },
  ],
});
