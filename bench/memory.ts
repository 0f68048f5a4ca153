/**
 * Peak memory of the M/M/4 (`src/scenarios/mm4.yaml`) for 1M and 10M requests,
 * each run in a fresh Node process (`bench/memory-child.ts`), so no run inherits
 * another's heap. The target: peak RSS for 10M no more than 20 % above
 * that for 1M, i.e. memory does not grow with run length. A child that loads
 * everything and runs nothing shows the fixed floor of Node, tsx and the modules.
 *
 * Peak RSS varies from process to process by several MiB, so each size is
 * measured `REPS` times and the median is reported, with the values in the
 * notes. A second pair of runs with V8's young generation pinned at its full size
 * separates V8's own heap sizing from memory the simulator holds (see README).
 */
import type { MemoryReport } from './memory-child.ts';
import { isMain, median, runChildJson, runStandalone, type Benchmark, type Figure } from './harness.ts';

/** Fresh processes per size. */
export const REPS = 3;

const CHILD = new URL('./memory-child.ts', import.meta.url);
const MiB = 2 ** 20;

interface Sized {
  maxRss: number;
  peakHeap: number;
  afterGc: number;
  runS: number;
  note: string;
}

/**
 * V8 flag fixing the young generation at its largest default size (two 16 MiB
 * semi-spaces). V8 starts it smaller and grows it as scavenges accumulate
 * survivors, so a short run ends before it is full grown and a long one after;
 * pinning it shows what the simulator itself adds with run length.
 */
const PINNED_YOUNG_GEN = ['--min-semi-space-size=16', '--max-semi-space-size=16'];

/** Median figures (MiB) of `REPS` fresh processes running `requests`. */
function measure(requests: number, nodeFlags: readonly string[] = []): Sized {
  const reports: MemoryReport[] = [];
  for (let k = 0; k < REPS; k++) reports.push(runChildJson<MemoryReport>(CHILD, [String(requests)], nodeFlags));
  const rss = reports.map((r) => r.maxRssBytes / MiB);
  return {
    maxRss: median(rss),
    peakHeap: median(reports.map((r) => r.peakHeapUsedBytes / MiB)),
    afterGc: median(reports.map((r) => r.heapUsedAfterGcBytes / MiB)),
    runS: median(reports.map((r) => r.runS)),
    note: `median of ${REPS} processes; peak RSS ${rss.map((x) => x.toFixed(1)).join(', ')} MiB`,
  };
}

export const memory: Benchmark = {
  name: 'memory',
  description: `peak RSS and V8 heap of the M/M/4 for 1M and 10M requests, ${REPS} fresh processes each`,
  run(): Figure[] {
    const floor = measure(0);
    const small = measure(1_000_000);
    const large = measure(10_000_000);
    const pinnedSmall = measure(1_000_000, PINNED_YOUNG_GEN);
    const pinnedLarge = measure(10_000_000, PINNED_YOUNG_GEN);
    const aboveSmall = small.maxRss - floor.maxRss;
    const aboveLarge = large.maxRss - floor.maxRss;
    return [
      { name: 'peak RSS, nothing run (floor)', value: floor.maxRss, unit: 'MiB', note: floor.note },
      { name: 'peak RSS, 1M requests', value: small.maxRss, unit: 'MiB', note: `${small.note}; run ${small.runS.toFixed(2)} s` },
      { name: 'peak RSS, 10M requests', value: large.maxRss, unit: 'MiB', note: `${large.note}; run ${large.runS.toFixed(2)} s` },
      {
        name: 'peak RSS 10M / 1M',
        value: large.maxRss / small.maxRss,
        unit: 'x',
        target: { op: '<=', value: 1.2 },
        note: `above the floor: ${aboveSmall.toFixed(1)} MiB for 1M, ${aboveLarge.toFixed(1)} MiB for 10M (x${(aboveLarge / aboveSmall).toFixed(2)})`,
      },
      { name: 'peak V8 heap used, 1M (sampled)', value: small.peakHeap, unit: 'MiB' },
      { name: 'peak V8 heap used, 10M (sampled)', value: large.peakHeap, unit: 'MiB' },
      { name: 'V8 heap after full GC, 1M', value: small.afterGc, unit: 'MiB' },
      { name: 'V8 heap after full GC, 10M', value: large.afterGc, unit: 'MiB' },
      {
        name: 'peak RSS 10M / 1M, young gen pinned',
        value: pinnedLarge.maxRss / pinnedSmall.maxRss,
        unit: 'x',
        note: `${PINNED_YOUNG_GEN.join(' ')}: ${pinnedSmall.maxRss.toFixed(1)} MiB for 1M, ${pinnedLarge.maxRss.toFixed(1)} MiB for 10M (${REPS} processes each)`,
      },
    ];
  },
};

if (isMain(import.meta.url)) await runStandalone(memory);
