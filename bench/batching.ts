/**
 * The batching case of issue 3: one GPU replica whose call on a batch of b takes
 * 5 ms + 0.5 ms × b, dynamic batching up to 32 with a 2 ms wait, Poisson arrivals at
 * 1,000 QPS, 1M requests. Reports simulated requests per second and compares them,
 * in the same process, with the unbatched M/M/4 pool of `bench/mm4.ts`: batching
 * must keep at least two thirds of that rate.
 */
import type { Scenario } from '../src/config/schema.ts';
import { runScenario, type RunResult } from '../src/models/index.ts';
import { collectGarbage, compact, isMain, median, runStandalone, spread, timeS, type Benchmark, type Figure } from './harness.ts';
import { mm4Scenario } from './mm4.ts';

const REQUESTS = 1_000_000;
const REPS = 5;

const gpu: Scenario = {
  name: 'gpu-batching',
  arrivals: { process: 'poisson', qps: 1000 },
  stop: { requests: REQUESTS },
  warmup: { requests: 10_000 },
  stages: [{ name: 'gpu', replicas: 1, batching: { maxBatch: 32, maxWait: 0.002 }, service: { dist: 'linear', base: 0.005, perItem: 0.0005 } }],
};

function rate(s: Scenario, check: (r: RunResult) => void): number[] {
  runScenario(s, { seed: 1 }); // warm-up: JIT and heap sizing
  const rates: number[] = [];
  for (let k = 0; k < REPS; k++) {
    collectGarbage();
    let r: RunResult | undefined;
    const t = timeS(() => {
      r = runScenario(s, { seed: k + 1 });
    });
    check(r!);
    rates.push(REQUESTS / t);
  }
  return rates;
}

export const batching: Benchmark = {
  name: 'batching',
  description: `one GPU replica, 5 ms + 0.5 ms x batch, maxBatch 32, 1,000 QPS, ${REQUESTS / 1e6}M requests; against the unbatched M/M/4`,
  run(): Figure[] {
    let meanBatch = NaN;
    const batched = rate(gpu, (r) => {
      if (r.requests.dropped !== 0 || r.requests.completed !== REQUESTS - 10_000) throw new Error(`batching run lost requests: ${JSON.stringify(r.requests)}`);
      meanBatch = r.stages.gpu!.batchSize.mean;
    });
    const plain = rate(mm4Scenario(REQUESTS), () => {});
    const ratio = median(batched) / median(plain);
    return [
      { name: 'simulated requests, batching', value: median(batched), unit: 'req/s', note: `${spread(batched, compact)}; mean batch ${meanBatch.toFixed(2)}` },
      { name: 'simulated requests, unbatched M/M/4', value: median(plain), unit: 'req/s', note: spread(plain, compact) },
      { name: 'batching / unbatched', value: ratio, unit: 'x', target: { op: '>=', value: 2 / 3 } },
    ];
  },
};

if (isMain(import.meta.url)) await runStandalone(batching);
