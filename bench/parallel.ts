/**
 * Parallel replications (issue 6): 8 replications of the M/M/4 at 1M requests each,
 * once in this thread and once on the pool with 2 workers (this thread and one worker thread: this machine's cores),
 * the same code the CLI runs for `--replications`. Speed-up = time on 1 / time on 2;
 * target ≥ 1.6. Both produce identical results, which the benchmark checks. Then the
 * whole CLI process from the build (`servesim run mm4 --replications 8`, `--workers 1`
 * against `--workers 2`), worker start-up inside the timing: target ≥ 1.7 (issue 13).
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { aggregate } from '../src/experiments/aggregate.ts';
import { inProcessRunner, replicationSeed } from '../src/experiments/runner.ts';
import { workerPoolRunner } from '../src/cli/worker-pool.ts';
import { isMain, median, processWallS, requireFreshBuild, runStandalone, type Benchmark, type Figure } from './harness.ts';
import { mm4Scenario } from './mm4.ts';

const REPLICATIONS = 8;
const REQUESTS = 1_000_000;
const REPS = 3;
const CLI = fileURLToPath(new URL('../bin/servesim.mjs', import.meta.url));

/** Wall seconds of the whole `servesim run mm4 --replications 8 --workers <w>` process, from the build: worker start-up counted. */
function cliWall(workers: number): number {
  return processWallS([CLI, 'run', 'mm4', '--set', `stop.requests=${REQUESTS}`, '--replications', String(REPLICATIONS), '--workers', String(workers), '--json'], { ...process.env, SERVESIM_DEV: '0' });
}

export const parallel: Benchmark = {
  name: 'parallel',
  description: `${REPLICATIONS} replications of the M/M/4 at ${REQUESTS / 1e6}M requests: 1 thread against 2 (this one and a worker)`,
  async run(): Promise<Figure[]> {
    const scenario = mm4Scenario(REQUESTS);
    const tasks = Array.from({ length: REPLICATIONS }, (_, i) => ({ scenario, seed: replicationSeed(7, i) }));
    const one = inProcessRunner();
    const pool = workerPoolRunner({ scenario: 'mm4', baseDir: '.', named: [] }, one, 2);
    await one(tasks.slice(0, 1)); // warm-up of this thread's JIT
    await pool(tasks.slice(0, 2)); // start the workers and warm them up, untimed
    const t1: number[] = [];
    const t2: number[] = [];
    let same = true;
    for (let k = 0; k < REPS; k++) {
      let s = performance.now();
      const a = await one(tasks);
      t1.push((performance.now() - s) / 1000);
      s = performance.now();
      const b = await pool(tasks);
      t2.push((performance.now() - s) / 1000);
      same &&= JSON.stringify(aggregate(a).figures) === JSON.stringify(aggregate(b).figures);
    }
    await pool.close();
    if (!same) throw new Error('replications on worker threads differ from the same replications in one thread');
    const speedup = median(t1) / median(t2);
    // The whole CLI process, as a user runs it: worker threads start (and load the build) inside the timing.
    requireFreshBuild();
    const c1: number[] = [];
    const c2: number[] = [];
    for (let k = 0; k < REPS; k++) {
      c1.push(cliWall(1));
      c2.push(cliWall(2));
    }
    return [
      { name: 'servesim run --replications 8 --workers 1 (whole process)', value: median(c1), unit: 's' },
      { name: 'servesim run --replications 8 --workers 2 (whole process)', value: median(c2), unit: 's' },
      { name: 'speed-up on 2 cores, worker start-up counted', value: median(c1) / median(c2), unit: 'x', target: { op: '>=', value: 1.7 } },
      { name: '8 replications, 1 thread', value: median(t1), unit: 's' },
      { name: '8 replications, 2 threads (this one and a worker)', value: median(t2), unit: 's', note: `cores available: ${availableParallelism()}; results identical to one thread` },
      { name: 'speed-up on 2 cores', value: speedup, unit: 'x', target: { op: '>=', value: 1.6 } },
    ];
  },
};

if (isMain(import.meta.url)) await runStandalone(parallel);
