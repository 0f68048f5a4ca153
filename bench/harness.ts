/**
 * The small shared core of the benchmark suite: what a benchmark is, what it
 * reports, and how one is run on its own or as a child of `bench/run.ts`.
 *
 * A benchmark is a file in `bench/` exporting a `Benchmark` and ending with
 * `if (isMain(import.meta.url)) await runStandalone(benchmark)`. `bench/run.ts`
 * runs each one in a fresh Node process (`--json`), so JIT feedback and heap
 * state left by one benchmark never colour another's figures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIsFresh } from '../bin/build-stamp.mjs';

/** A threshold a figure should meet. */
export interface Target {
  /** `>=`: the figure must be at least `value`; `<=`: at most. */
  op: '>=' | '<=';
  value: number;
}

/** One reported figure, with its target when the issue sets one. */
export interface Figure {
  /** What was measured, in words (`engine / bare heap`). */
  name: string;
  value: number;
  /** Unit shown beside the value (`events/s`, `MB`, `x`). */
  unit: string;
  /** Absent for figures reported for information only. */
  target?: Target;
  /** A short remark printed under the table (spread, sanity checks). */
  note?: string;
}

/** A benchmark: a name and a function measuring its figures. */
export interface Benchmark {
  name: string;
  /** One line: what it measures. */
  description: string;
  run(): Promise<Figure[]> | Figure[];
}

/** What a benchmark run as a child prints (one JSON line). */
export interface BenchReport {
  bench: string;
  description: string;
  figures: Figure[];
}

/** True when the module at `moduleUrl` is the script Node was started with. */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(script).href === moduleUrl;
}

/** Runs a benchmark directly: a table, or with `--json` its figures as one JSON line. */
export async function runStandalone(b: Benchmark): Promise<void> {
  const figures = await b.run();
  if (process.argv.includes('--json')) {
    const report: BenchReport = { bench: b.name, description: b.description, figures };
    process.stdout.write(JSON.stringify(report) + '\n');
    return;
  }
  process.stdout.write(machineLine() + '\n\n' + formatTable([{ bench: b.name, figures }]) + '\n');
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Spread of repetitions as `min–max` around the median, for notes. */
export function spread(xs: readonly number[], fmt: (x: number) => string): string {
  return `median of ${xs.length}: ${fmt(median(xs))} (range ${fmt(Math.min(...xs))} to ${fmt(Math.max(...xs))})`;
}

/** Collects garbage when Node runs with `--expose-gc`, so a repetition starts clean. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Wall-clock seconds taken by `fn`. */
export function timeS(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

/** `7.05M`, `512k`, `104`, `21.2`, `0.671`: a compact number. */
export function compact(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(0)}k`;
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(3);
}

/** Whether a figure meets its target (`undefined` when it has none). */
export function passes(f: Figure): boolean | undefined {
  if (f.target === undefined) return undefined;
  return f.target.op === '>=' ? f.value >= f.target.value : f.value <= f.target.value;
}

/** The machine and runtime, in one line, and a warning when the machine is busy. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memGiB = (totalmem() / 2 ** 30).toFixed(1);
  const n = availableParallelism();
  const load = loadavg()[0]!;
  const line = `machine: ${cpu}, ${n} CPUs, ${memGiB} GiB; node ${process.version}; ${new Date().toISOString()}; load average ${load.toFixed(2)}`;
  // Other work on the CPUs slows the measured loop and V8's helper threads alike.
  return load > 0.5 * n ? `${line}\nWARNING: the machine is busy (load ${load.toFixed(2)} on ${n} CPUs): figures will be low and noisy` : line;
}

/** A plain-text table of figures, grouped by benchmark, then the notes. */
export function formatTable(groups: ReadonlyArray<{ bench: string; figures: readonly Figure[] }>): string {
  const rows: string[][] = [['benchmark', 'figure', 'value', 'target', 'result']];
  const notes: string[] = [];
  for (const g of groups) {
    for (const f of g.figures) {
      const ok = passes(f);
      rows.push([
        g.bench,
        f.name,
        `${compact(f.value)} ${f.unit}`,
        f.target === undefined ? '-' : `${f.target.op} ${compact(f.target.value)} ${f.unit}`,
        ok === undefined ? 'info' : ok ? 'PASS' : '** FAIL **',
      ]);
      if (f.note !== undefined) notes.push(`  ${g.bench} / ${f.name}: ${f.note}`);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  if (notes.length > 0) out.push('', 'notes:', ...notes);
  return out.join('\n');
}

/** Node flags of every child: the same as `npm run bench`. */
export const CHILD_NODE_FLAGS = ['--expose-gc', '--import', 'tsx'] as const;

/**
 * Runs `node <flags> <extra flags> <script> <args>` in a fresh process (stderr
 * passed through) and parses the last line of its stdout as JSON.
 */
export function runChildJson<T>(scriptUrl: URL, args: readonly string[] = [], extraNodeFlags: readonly string[] = []): T {
  const script = fileURLToPath(scriptUrl);
  const res = spawnSync(process.execPath, [...CHILD_NODE_FLAGS, ...extraNodeFlags, script, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 2 ** 20,
  });
  if (res.status !== 0) throw new Error(`${script} ${args.join(' ')} exited with ${res.status ?? res.signal}`);
  const lines = res.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/**
 * Wall seconds of one whole `node <args>` process (start-up included), as a user starts
 * it; throws with its stderr when it fails, so a broken run is never timed.
 */
export function processWallS(args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const t0 = performance.now();
  const res = spawnSync(process.execPath, args, { encoding: 'utf8', env, maxBuffer: 64 * 2 ** 20 });
  const s = (performance.now() - t0) / 1000;
  if (res.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${res.status ?? res.signal}: ${res.stderr}`);
  return s;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Throws unless `dist/` holds a build of the current `src/` (the rule `bin/servesim.mjs`
 * applies, from `bin/build-stamp.mjs`): a benchmark of the build never times a missing
 * or stale one.
 */
export function requireFreshBuild(): void {
  if (!existsSync(`${ROOT}dist/.built`)) throw new Error('no build to time: run `npm run build` first');
  if (!buildIsFresh(ROOT)) throw new Error('the build is older than src/: run `npm run build` first');
}
