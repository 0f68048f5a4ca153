/**
 * Child process of the memory benchmark: runs the M/M/4 once with
 * `stop.requests = N` (argv[2]) in a fresh process and prints one JSON line of
 * its memory figures. `N = 0` loads and parses everything but runs nothing: the
 * fixed cost of Node, tsx and the modules.
 *
 *   node --expose-gc --import tsx bench/memory-child.ts 10000000
 */
import { getHeapStatistics } from 'node:v8';
import { runScenario } from '../src/models/index.ts';
import { collectGarbage } from './harness.ts';
import { checkMm4, mm4Scenario } from './mm4.ts';

/** What the child reports; sizes in bytes. */
export interface MemoryReport {
  requests: number;
  /** Peak resident set size of the process (`resourceUsage().maxRSS`, kB in Node, converted). */
  maxRssBytes: number;
  /** Largest V8 heap in use seen at progress callbacks (every 65,536 arrivals) and at the end. */
  peakHeapUsedBytes: number;
  /** V8 heap in use at the end, before and after a full collection. */
  heapUsedEndBytes: number;
  heapUsedAfterGcBytes: number;
  /** Wall time of the run, seconds. */
  runS: number;
}

const requests = Number(process.argv[2] ?? NaN);
if (!Number.isInteger(requests) || requests < 0) throw new Error(`usage: memory-child.ts <requests>, got ${process.argv[2]}`);

let peakHeap = 0;
const sampleHeap = (): void => {
  const used = getHeapStatistics().used_heap_size;
  if (used > peakHeap) peakHeap = used;
};

let runS = 0;
if (requests > 0) {
  const scenario = mm4Scenario(requests);
  const t0 = performance.now();
  const result = runScenario(scenario, { seed: 1, onProgress: sampleHeap });
  runS = (performance.now() - t0) / 1000;
  checkMm4(result, scenario);
}
sampleHeap();
const heapUsedEndBytes = getHeapStatistics().used_heap_size;
collectGarbage();
const report: MemoryReport = {
  requests,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  peakHeapUsedBytes: peakHeap,
  heapUsedEndBytes,
  heapUsedAfterGcBytes: getHeapStatistics().used_heap_size,
  runS,
};
process.stdout.write(JSON.stringify(report) + '\n');
