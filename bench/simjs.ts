/**
 * servesim against SimJS (simjs@2.0.3, a devDependency used only here) on the same
 * M/M/4 (src/scenarios/mm4.yaml, ρ = 0.8) with 1M requests, measured side by side in one
 * run (issue 13):
 * - in one process: each tool alone in a fresh process (`bench/simjs-child.ts`): servesim's
 *   `runScenario` from the build (`dist/lib/index.mjs`, what `import 'servesim'` loads)
 *   against `bench/simjs-mm4.mjs`, each run once untimed, then three timed runs; the
 *   processes alternate, five of each; target ≥ 3×. Also shown, without a target: both in
 *   one shared process, alternating, with a forced full collection before each run (this
 *   benchmark's protocol until 2026-12-08; bench/README.md says why it changed: the forced
 *   collection takes SimJS's previous garbage out of its timed span, costs servesim a fixed
 *   time per run, and each tool runs on the heap the other left);
 * - whole processes, as a user starts them: `servesim run mm4 --set stop.requests=1000000`
 *   (the compiled build: SERVESIM_DEV=0) against `node bench/simjs-mm4.mjs 1000000`,
 *   alternating; target ≥ 2×.
 * A missing or stale build fails the benchmark instead of being timed. Every run is
 * checked against Erlang C (mean latency 1.75 s within 5 %), so a fast wrong model cannot
 * pass. servesim does more per request than the SimJS model (a quantile sketch per
 * figure, per-window series, the warm-up rule); the comparison is of the tools as used.
 */
import { fileURLToPath } from 'node:url';
import type * as Library from '../src/index.ts';
import type { RunResult, Scenario } from '../src/index.ts';
import { collectGarbage, isMain, median, processWallS, requireFreshBuild, runChildJson, runStandalone, spread, timeS, compact, type Benchmark, type Figure } from './harness.ts';
import { checkMm4, mm4Text } from './mm4.ts';
import { checkMm4Mean } from './mm4-mean.ts';
import type { SimjsChildReport } from './simjs-child.ts';
// @ts-expect-error: plain JavaScript without types, on purpose (run by bare node in the whole-process figure)
import { simjsMm4 } from './simjs-mm4.mjs';

const REQUESTS = 1_000_000;
const REPS = 5;
const CLI = fileURLToPath(new URL('../bin/servesim.mjs', import.meta.url));
const SIMJS = fileURLToPath(new URL('./simjs-mm4.mjs', import.meta.url));
const CHILD = new URL('./simjs-child.ts', import.meta.url);

type SimjsRun = (n: number, seed: number) => { done: number; meanS: number };
const simjs = simjsMm4 as SimjsRun;

function checkSimjs(r: { done: number; meanS: number }): void {
  if (r.done !== REQUESTS) throw new Error(`SimJS completed ${r.done} of ${REQUESTS} requests`);
  checkMm4Mean(r.meanS, 'SimJS');
}

/** The median rate of one fresh process of `tool` (its three timed runs). */
function childRate(tool: SimjsChildReport['tool']): number {
  return median(runChildJson<SimjsChildReport>(CHILD, [tool, String(REQUESTS)]).rates);
}

/** Both tools in this one process, alternating, a forced full collection before each run: rates of each. */
function sharedProcess(lib: typeof Library): { ours: number[]; theirs: number[] } {
  const scenario: Scenario = lib.scenarioFromText({ name: 'src/scenarios/mm4.yaml', text: mm4Text() }, [{ path: 'stop.requests', value: REQUESTS }]);
  lib.runScenario(scenario, { seed: 1 });
  checkSimjs(simjs(REQUESTS, 1));
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let k = 0; k < REPS; k++) {
    collectGarbage();
    let last: RunResult | undefined;
    ours.push(REQUESTS / timeS(() => (last = lib.runScenario(scenario, { seed: k + 2 }))));
    checkMm4(last!, scenario);
    collectGarbage();
    let r: { done: number; meanS: number } | undefined;
    theirs.push(REQUESTS / timeS(() => (r = simjs(REQUESTS, k + 2))));
    checkSimjs(r!);
  }
  return { ours, theirs };
}

export const simjsBench: Benchmark = {
  name: 'simjs',
  description: `servesim against SimJS 2.0.3 on the M/M/4 with ${REQUESTS / 1e6}M requests: in one process and as whole processes`,
  async run(): Promise<Figure[]> {
    requireFreshBuild();
    // In one process, each tool alone: fresh processes, alternating (which goes first alternates too).
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let k = 0; k < REPS; k++) {
      if (k % 2 === 0) {
        ours.push(childRate('servesim'));
        theirs.push(childRate('simjs'));
      } else {
        theirs.push(childRate('simjs'));
        ours.push(childRate('servesim'));
      }
    }
    const shared = sharedProcess((await import(new URL('../dist/lib/index.mjs', import.meta.url).href)) as typeof Library);
    // Whole processes.
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
    const each = 'each the median of a fresh process\'s three timed runs';
    return [
      { name: 'in one process: servesim (build)', value: median(ours), unit: 'req/s', note: `${rate(ours)}, ${each}` },
      { name: 'in one process: SimJS', value: median(theirs), unit: 'req/s', note: `${rate(theirs)}, ${each}` },
      { name: 'in one process: servesim / SimJS', value: median(ours) / median(theirs), unit: 'x', target: { op: '>=', value: 3 } },
      { name: 'shared process, forced GC: servesim (build)', value: median(shared.ours), unit: 'req/s', note: rate(shared.ours) },
      { name: 'shared process, forced GC: SimJS', value: median(shared.theirs), unit: 'req/s', note: rate(shared.theirs) },
      { name: 'shared process, forced GC: servesim / SimJS', value: median(shared.ours) / median(shared.theirs), unit: 'x' },
      { name: 'whole process: servesim run (build)', value: median(ourWall), unit: 's', note: `${spread(ourWall, (x) => x.toFixed(2))} s` },
      { name: 'whole process: node simjs-mm4.mjs', value: median(theirWall), unit: 's', note: `${spread(theirWall, (x) => x.toFixed(2))} s` },
      { name: 'whole process: servesim rate / SimJS rate', value: median(theirWall) / median(ourWall), unit: 'x', target: { op: '>=', value: 2 } },
    ];
  },
};

if (isMain(import.meta.url)) await runStandalone(simjsBench);
