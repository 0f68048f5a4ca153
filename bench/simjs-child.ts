/**
 * Child process of the SimJS benchmark's in-process figure: one tool, alone in a fresh
 * process, runs the M/M/4 with N requests (argv[3]) once untimed (JIT warm-up), then
 * RUNS more times, timed one by one, and prints one JSON line of their rates. No forced
 * garbage collection between runs: each run finds the heap the previous one left, as in
 * a program that calls the library repeatedly.
 *
 *   node --expose-gc --import tsx bench/simjs-child.ts servesim|simjs 1000000
 *
 * `servesim` runs the build (`dist/lib/index.mjs`: what `import 'servesim'` loads);
 * `simjs` runs `bench/simjs-mm4.mjs`. Every run is checked against Erlang C (mean
 * latency 1.75 s within 5 %), so a fast wrong model cannot pass.
 */
import { readFileSync } from 'node:fs';
import type * as Library from '../src/index.ts';
import { checkMm4Mean } from './mm4-mean.ts';
// @ts-expect-error: plain JavaScript without types, on purpose (run by bare node in the whole-process figure)
import { simjsMm4 } from './simjs-mm4.mjs';

/** What the child reports. */
export interface SimjsChildReport {
  tool: 'servesim' | 'simjs';
  /** Requests a second of each timed run, in order. */
  rates: number[];
}

const RUNS = 3;
const requests = Number(process.argv[3] ?? NaN);
const tool = ((arg) => {
  if ((arg !== 'servesim' && arg !== 'simjs') || !Number.isInteger(requests) || requests <= 0) {
    throw new Error(`usage: simjs-child.ts servesim|simjs <requests>, got ${process.argv.slice(2).join(' ')}`);
  }
  return arg;
})(process.argv[2]);

/** Throws unless every request was measured and the mean latency (seconds) is Erlang C's. */
function checkMean(meanS: number, done: number, expected: number): void {
  if (done !== expected) throw new Error(`${tool}: ${done} of ${expected} requests measured`);
  checkMm4Mean(meanS, tool);
}

let once: (seed: number) => void;
if (tool === 'servesim') {
  const lib = (await import(new URL('../dist/lib/index.mjs', import.meta.url).href)) as typeof Library;
  const text = readFileSync(new URL('../src/scenarios/mm4.yaml', import.meta.url), 'utf8');
  const scenario = lib.scenarioFromText({ name: 'src/scenarios/mm4.yaml', text }, [{ path: 'stop.requests', value: requests }]);
  const measured = requests - (scenario.warmup?.requests ?? 0);
  once = (seed) => {
    const r = lib.runScenario(scenario, { seed });
    checkMean(r.latencyMs.mean / 1000, r.requests.completed, measured);
  };
} else {
  const run = simjsMm4 as (n: number, seed: number) => { done: number; meanS: number };
  once = (seed) => {
    const r = run(requests, seed);
    checkMean(r.meanS, r.done, requests);
  };
}

once(1);
const rates: number[] = [];
for (let k = 0; k < RUNS; k++) {
  const t0 = performance.now();
  once(k + 2);
  rates.push(requests / ((performance.now() - t0) / 1000));
}
console.log(JSON.stringify({ tool, rates } satisfies SimjsChildReport));
