/**
 * servesim against SimJS (simjs@2.0.3, a devDependency used only here) on the same
 * M/M/4 (src/scenarios/mm4.yaml, ρ = 0.8) with 1M requests, measured side by side in one
 * run (issue 13):
 * - in one process: servesim's `runScenario` against `bench/simjs-mm4.mjs`, alternating,
 *   each after an untimed warm-up; target ≥ 3×;
 * - whole processes, as a user starts them: `servesim run mm4 --set stop.requests=1000000`
 *   (the compiled build: SERVESIM_DEV=0, so a missing or stale build fails loudly instead
 *   of timing tsx) against `node bench/simjs-mm4.mjs 1000000`, alternating; target ≥ 2×.
 * Both runs are checked against Erlang C (mean latency 1.75 s within 5 %), so a fast wrong
 * model cannot pass. servesim does more per request than the SimJS model (a quantile sketch
 * per figure, per-window series, the warm-up rule); the comparison is of the tools as used.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runScenario, type RunResult } from '../src/models/index.ts';
import { collectGarbage, isMain, median, processWallS, runStandalone, spread, timeS, compact, type Benchmark, type Figure } from './harness.ts';
import { checkMm4, mm4Scenario } from './mm4.ts';
// @ts-expect-error: plain JavaScript without types, on purpose (run by bare node in the whole-process figure)
import { simjsMm4 } from './simjs-mm4.mjs';

const REQUESTS = 1_000_000;
const REPS = 5;
const CLI = fileURLToPath(new URL('../bin/servesim.mjs', import.meta.url));
const SIMJS = fileURLToPath(new URL('./simjs-mm4.mjs', import.meta.url));
const BUILT = fileURLToPath(new URL('../dist/.built', import.meta.url));

type SimjsRun = (n: number, seed: number) => { done: number; meanS: number };
const simjs = simjsMm4 as SimjsRun;

function checkSimjs(r: { done: number; meanS: number }): void {
  if (r.done !== REQUESTS) throw new Error(`SimJS completed ${r.done} of ${REQUESTS} requests`);
  // SimJS measures from an empty system (no warm-up), which lowers the mean by about 1 %; 5 % is the band used for servesim too.
  if (Math.abs(r.meanS - 1.75) > 0.05 * 1.75) throw new Error(`SimJS M/M/4 mean latency ${r.meanS} s, theory 1.75 s`);
}

export const simjsBench: Benchmark = {
  name: 'simjs',
  description: `servesim against SimJS 2.0.3 on the M/M/4 with ${REQUESTS / 1e6}M requests: in one process and as whole processes`,
  run(): Figure[] {
    const scenario = mm4Scenario(REQUESTS);
    // In one process.
    runScenario(scenario, { seed: 1 });
    checkSimjs(simjs(REQUESTS, 1));
    const ours: number[] = [];
    const theirs: number[] = [];
    let last: RunResult | undefined;
    for (let k = 0; k < REPS; k++) {
      collectGarbage();
      ours.push(REQUESTS / timeS(() => (last = runScenario(scenario, { seed: k + 2 }))));
      checkMm4(last!, scenario);
      collectGarbage();
      let r: { done: number; meanS: number } | undefined;
      theirs.push(REQUESTS / timeS(() => (r = simjs(REQUESTS, k + 2))));
      checkSimjs(r!);
    }
    // Whole processes.
    if (!existsSync(BUILT)) throw new Error('no build to time: run `npm run build` first');
    const env = { ...process.env, SERVESIM_DEV: '0' };
    const servesimArgs = [CLI, 'run', 'mm4', '--set', `stop.requests=${REQUESTS}`];
    const simjsArgs = [SIMJS, String(REQUESTS)];
    processWallS(servesimArgs, env);
    processWallS(simjsArgs);
    const ourWall: number[] = [];
    const theirWall: number[] = [];
    for (let k = 0; k < REPS; k++) {
      ourWall.push(processWallS(servesimArgs, env));
      theirWall.push(processWallS(simjsArgs));
    }
    const rate = (xs: number[]) => `${spread(xs, compact)} req/s`;
    return [
      { name: 'in one process: servesim', value: median(ours), unit: 'req/s', note: rate(ours) },
      { name: 'in one process: SimJS', value: median(theirs), unit: 'req/s', note: rate(theirs) },
      { name: 'in one process: servesim / SimJS', value: median(ours) / median(theirs), unit: 'x', target: { op: '>=', value: 3 } },
      { name: 'whole process: servesim run (build)', value: median(ourWall), unit: 's', note: `${spread(ourWall, (x) => x.toFixed(2))} s` },
      { name: 'whole process: node simjs-mm4.mjs', value: median(theirWall), unit: 's', note: `${spread(theirWall, (x) => x.toFixed(2))} s` },
      { name: 'whole process: servesim rate / SimJS rate', value: median(theirWall) / median(ourWall), unit: 'x', target: { op: '>=', value: 2 } },
    ];
  },
};

if (isMain(import.meta.url)) await runStandalone(simjsBench);
