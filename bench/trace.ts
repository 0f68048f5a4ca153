/**
 * Trace replay (issue 4): a synthetic 10M-request trace (seconds and two numeric
 * columns, Poisson times at 1,000/s, written once to the OS temp folder, never
 * committed) streamed from disk through 4 replicas. Reports replayed requests per
 * second against the same pool fed by Poisson generation in the same process
 * (target: at least half), and peak memory of replaying 1M and 10M rows in fresh
 * processes (target: flat, ≤ 1.2×).
 */
import { existsSync, openSync, writeSync, closeSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomStreams } from '../src/engine/index.ts';
import type { Scenario } from '../src/config/schema.ts';
import { runScenario, type RunResult } from '../src/models/index.ts';
import { openTraceFile } from '../src/cli/trace-file.ts';
import { collectGarbage, compact, isMain, median, runChildJson, runStandalone, spread, timeS, type Benchmark, type Figure } from './harness.ts';

const BIG = 10_000_000;
const SMALL = 1_000_000;
const REPS = 3;

/** Writes (once) a trace of `rows` Poisson arrivals at 1,000/s with two attribute columns. */
export function syntheticTrace(rows: number): string {
  const path = join(tmpdir(), `servesim-bench-trace-${rows}.csv`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  const rng = RandomStreams.independent(42, 'bench-trace');
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  writeSync(fd, 'time,ctx,gen\n');
  let t = 0;
  let chunk: string[] = [];
  for (let i = 0; i < rows; i++) {
    t += -Math.log1p(-rng()) / 1000;
    chunk.push(`${t.toFixed(6)},${Math.floor(rng() * 1000)},${Math.floor(rng() * 50)}\n`);
    if (chunk.length === 100_000) {
      writeSync(fd, chunk.join(''));
      chunk = [];
    }
  }
  writeSync(fd, chunk.join(''));
  closeSync(fd);
  renameSync(tmp, path);
  return path;
}

/**
 * The same pool behind both arrival sources (4 replicas, 2.5 ms each), so the ratio
 * compares the sources: a row read and parsed from disk (its two attribute columns
 * included, kept on each request) against an exponential gap drawn. Attribute-driven
 * service times cost the same either way and are measured by the trace-replay tests.
 */
const traceScenario = (file: string): Scenario => ({
  name: 'trace-bench',
  arrivals: { process: 'trace', file, rate: 1 },
  stages: [{ name: 'pool', replicas: 4, service: { dist: 'deterministic', value: 0.0025 } }],
});

/** Same pool, Poisson arrivals generated at the trace's rate. */
const poissonScenario = (rows: number): Scenario => ({
  name: 'poisson-bench',
  arrivals: { process: 'poisson', qps: 1000 },
  stop: { requests: rows },
  stages: [{ name: 'pool', replicas: 4, service: { dist: 'deterministic', value: 0.0025 } }],
});

const openTrace = (path: string, o: { timestampColumn: string | undefined }) => openTraceFile(path, path, o.timestampColumn);

function replayOnce(rows: number): { seconds: number; result: RunResult } {
  const file = syntheticTrace(rows);
  let result: RunResult | undefined;
  const seconds = timeS(() => {
    result = runScenario(traceScenario(file), { openTrace });
  });
  if (result!.requests.completed !== rows) throw new Error(`replay completed ${result!.requests.completed} of ${rows}`);
  return { seconds, result: result! };
}

// Child mode: replay `rows` and print peak memory as JSON.
if (process.argv.includes('--child')) {
  const rows = Number(process.argv[process.argv.indexOf('--child') + 1]);
  const { seconds } = replayOnce(rows);
  process.stdout.write(JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024, seconds }) + '\n');
  process.exit(0);
}

export const trace: Benchmark = {
  name: 'trace',
  description: `a ${BIG / 1e6}M-row synthetic trace streamed from disk, against Poisson generation; memory for ${SMALL / 1e6}M and ${BIG / 1e6}M rows`,
  run(): Figure[] {
    syntheticTrace(BIG);
    syntheticTrace(SMALL);
    replayOnce(SMALL); // warm-up
    const replay: number[] = [];
    const poisson: number[] = [];
    for (let k = 0; k < REPS; k++) {
      collectGarbage();
      replay.push(BIG / replayOnce(BIG).seconds);
      collectGarbage();
      poisson.push(BIG / timeS(() => runScenario(poissonScenario(BIG), { seed: k + 1 })));
    }
    const url = new URL(import.meta.url);
    const mem = (rows: number) => runChildJson<{ maxRssMiB: number }>(url, ['--child', String(rows)]).maxRssMiB;
    const small = median([mem(SMALL), mem(SMALL), mem(SMALL)]);
    const big = median([mem(BIG), mem(BIG), mem(BIG)]);
    return [
      { name: 'trace replay, 10M rows from disk', value: median(replay), unit: 'req/s', note: spread(replay, compact) },
      { name: 'Poisson generation, same pool', value: median(poisson), unit: 'req/s', note: spread(poisson, compact) },
      { name: 'replay / Poisson', value: median(replay) / median(poisson), unit: 'x', target: { op: '>=', value: 0.5 } },
      { name: 'peak RSS, 1M-row replay', value: small, unit: 'MiB' },
      { name: 'peak RSS, 10M-row replay', value: big, unit: 'MiB' },
      { name: 'peak RSS 10M / 1M rows', value: big / small, unit: 'x', target: { op: '<=', value: 1.2 } },
    ];
  },
};

if (isMain(import.meta.url)) await runStandalone(trace);
