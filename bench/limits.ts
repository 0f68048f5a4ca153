/**
 * Memory under the resource limits of issue 11, each case in a fresh Node process
 * (`bench/limits-child.ts`):
 *
 * - an overloaded unbounded queue the up-front check cannot foresee (a spike) must stop
 *   at the default bound on requests held (5M, about 2 GB) with the stage named: its
 *   peak RSS must stay within 2 GiB, and the CLI must exit 2 with the message;
 * - the CLI must refuse a 50M-request overloaded queue (foreseen) at once;
 * - a pool with a 100,000 s deadline, a 1,000-shard fan-out with a 1,000 s hedge, and
 *   every built-in scenario must keep peak RSS flat as the run grows (timers are
 *   cancelled with their request): 10× (built-ins: 5×) the run within 1.2× the RSS.
 *
 * Peak RSS varies by a few MiB from process to process; each figure is one process.
 * Built-ins run with V8's young generation pinned at full size (`PINNED_YOUNG_GEN`), so
 * a short run and a long one compare what the simulator holds, not V8's heap sizing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FANOUT_SHARDS, OVERLOAD_YAML, type LimitsReport } from './limits-child.ts';
import { isMain, runChildJson, runStandalone, type Benchmark, type Figure } from './harness.ts';

const CHILD = new URL('./limits-child.ts', import.meta.url);
const CLI = fileURLToPath(new URL('../bin/servesim.mjs', import.meta.url));
const MiB = 2 ** 20;

/** Built-in scenarios, each run at its own stop and at 5× it. */
const BUILTINS = [
  'accuracy-vs-latency',
  'batch-vs-realtime',
  'capacity-1k-vs-1m-qps',
  'cascade-1m-to-100',
  'cold-start',
  'cpu-vs-gpu',
  'mm4',
  'realtime-ranker',
  'retry-storm',
  'spike-10x',
  'tail-at-scale',
  'throughput-vs-latency',
] as const;
const BUILTIN_SCALE = 5;

/**
 * V8 flags fixing the young generation at its largest default size: a short run ends
 * before V8 has grown it and a long one after, which alone moves peak RSS by up to
 * ~20% (bench/README.md, "Peak RSS"); pinned, the ratio shows what the simulator holds.
 */
const PINNED_YOUNG_GEN = ['--min-semi-space-size=16', '--max-semi-space-size=16'];

function child(...args: string[]): LimitsReport {
  return childWith([], ...args);
}

function childWith(nodeFlags: readonly string[], ...args: string[]): LimitsReport {
  const r = runChildJson<LimitsReport>(CHILD, args, nodeFlags);
  if (r.outcome !== 'ok' && args[0] !== 'overload') throw new Error(`${args.join(' ')} was refused: ${r.message}`);
  return r;
}

const mib = (r: LimitsReport) => r.maxRssBytes / MiB;

/** Runs the CLI on `yaml` in a temp folder: exit code, stderr, wall seconds. */
function cli(yaml: string): { status: number | null; stderr: string; s: number } {
  const dir = mkdtempSync(join(tmpdir(), 'servesim-limits-'));
  try {
    writeFileSync(join(dir, 's.yaml'), yaml);
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, 'run', 's.yaml'], { cwd: dir, encoding: 'utf8' });
    return { status: r.status, stderr: r.stderr, s: (performance.now() - t0) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function flat(name: string, small: LimitsReport, large: LimitsReport, what: string, floorMiB: number): Figure {
  return {
    name,
    value: mib(large) / mib(small),
    unit: 'x',
    target: { op: '<=', value: 1.2 },
    note: `${what}: peak RSS ${mib(small).toFixed(1)} MiB, then ${mib(large).toFixed(1)} MiB (above the ${floorMiB.toFixed(0)} MiB floor: ${(mib(small) - floorMiB).toFixed(1)}, ${(mib(large) - floorMiB).toFixed(1)}); runs ${small.runS.toFixed(1)} s, ${large.runS.toFixed(1)} s`,
  };
}

export const limits: Benchmark = {
  name: 'limits',
  description: 'peak RSS of an overloaded queue stopped at the bound, and of long timers and every built-in at two run lengths',
  run(): Figure[] {
    const figures: Figure[] = [];
    const floor = mib(child('floor'));
    figures.push({ name: 'peak RSS, nothing run (floor)', value: floor, unit: 'MiB' });

    const over = child('overload');
    const overCli = cli(OVERLOAD_YAML);
    const said = overCli.stderr.includes('stage "ranker" is overloaded') && overCli.stderr.includes('limits.maxInFlight: 5,000,000');
    figures.push({
      name: 'overloaded queue stopped at the bound: peak RSS',
      value: mib(over),
      unit: 'MiB',
      target: { op: '<=', value: 2048 },
      note: `${over.outcome} after ${over.runS.toFixed(1)} s: ${(over.message ?? '').slice(0, 160)}...; CLI: exit ${overCli.status} in ${overCli.s.toFixed(1)} s${said ? ', message names the stage and the bound' : ', MESSAGE MISSING'}`,
    });
    figures.push({
      name: 'overloaded queue: CLI exits 2 naming the stage (1 = yes)',
      value: overCli.status === 2 && said ? 1 : 0,
      unit: '',
      target: { op: '>=', value: 1 },
    });
    const foreseen = cli(OVERLOAD_YAML.replace(/arrivals:.*\nstop:.*\n/, 'arrivals: { process: poisson, qps: 1000 }\nstop: { requests: 50000000 }\n'));
    figures.push({
      name: 'overloaded queue, 50M requests: CLI refuses in',
      value: foreseen.s,
      unit: 's',
      target: { op: '<=', value: 5 },
      note: `exit ${foreseen.status}: ${foreseen.stderr.trim().slice(0, 200)}...`,
    });

    figures.push(flat('pool, 100,000 s deadline: RSS 10M / 1M requests', child('deadline', '1000000'), child('deadline', '10000000'), 'M/M/4 at 80%, 1M then 10M requests', floor));
    figures.push(
      flat(
        `fan-out to ${FANOUT_SHARDS} shards, 1,000 s hedge: RSS 10M / 1M sub-requests`,
        child('fanout', '1000000'),
        child('fanout', '10000000'),
        `1,000 then 10,000 requests of ${FANOUT_SHARDS} sub-requests each`,
        floor,
      ),
    );
    // Built-ins as written are short (0.3 s for some): young generation pinned, see above.
    const pinnedFloor = mib(childWith(PINNED_YOUNG_GEN, 'floor'));
    for (const b of BUILTINS) {
      figures.push(
        flat(
          `${b}: RSS ${BUILTIN_SCALE}× / 1× its stop`,
          childWith(PINNED_YOUNG_GEN, 'builtin', b, '1'),
          childWith(PINNED_YOUNG_GEN, 'builtin', b, String(BUILTIN_SCALE)),
          `young gen pinned; stop as written, then ${BUILTIN_SCALE}×`,
          pinnedFloor,
        ),
      );
    }
    return figures;
  },
};

if (isMain(import.meta.url)) await runStandalone(limits);
