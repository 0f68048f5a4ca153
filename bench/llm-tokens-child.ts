/**
 * Child process of the LLM token benchmark's memory figures: runs the chat fleet of
 * `bench/llm-fleet.ts` once with N requests (argv[2]) at the given rate (argv[3]) in a
 * fresh process and prints one JSON line: peak RSS, sampled peak V8 heap, run time.
 *
 *   node --expose-gc --import tsx bench/llm-tokens-child.ts 1000000 571.8
 */
import { getHeapStatistics } from 'node:v8';
import { collectGarbage } from './harness.ts';
import { runFleet } from './llm-fleet.ts';
import { CHAT } from './llm-tokens.ts';

/** What the child reports; sizes in bytes. */
export interface LlmMemoryReport {
  requests: number;
  maxRssBytes: number;
  peakHeapUsedBytes: number;
  /** V8 heap in use at the end after a full collection (what the run still holds). */
  heapAfterGcBytes: number;
  runS: number;
  outputTokens: number;
}

const requests = Number(process.argv[2] ?? NaN);
const qps = Number(process.argv[3] ?? NaN);
if (!Number.isInteger(requests) || requests < 1 || !(qps > 0)) throw new Error(`usage: llm-tokens-child.ts <requests> <qps>, got ${process.argv.slice(2).join(' ')}`);

let peakHeap = 0;
const sample = (): void => {
  const used = getHeapStatistics().used_heap_size;
  if (used > peakHeap) peakHeap = used;
};
const t0 = performance.now();
const r = runFleet({ ...CHAT, requests, qps }, sample);
const runS = (performance.now() - t0) / 1000;
sample();
if (r.finished !== requests) throw new Error(`fleet lost requests: ${r.finished} of ${requests} finished`);
collectGarbage();
const report: LlmMemoryReport = {
  requests,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  peakHeapUsedBytes: peakHeap,
  heapAfterGcBytes: getHeapStatistics().used_heap_size,
  runS,
  outputTokens: r.outputTokens,
};
process.stdout.write(JSON.stringify(report) + '\n');
