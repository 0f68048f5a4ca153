/**
 * `npm run bench`: runs every benchmark in its own fresh Node process and prints
 * one table of figures, each with its target and PASS/FAIL. Exits 0 whatever the
 * figures (a benchmark, not a test); a missed target is marked `** FAIL **` and
 * listed at the end.
 *
 *   npm run bench              # all benchmarks
 *   npm run bench -- mm4       # only the named ones
 *
 * Adding a benchmark: a file `bench/<name>.ts` exporting a `Benchmark` and ending
 * with `if (isMain(import.meta.url)) await runStandalone(...)`, and its name below.
 */
import { compact, formatTable, machineLine, passes, runChildJson, type BenchReport } from './harness.ts';

/** Benchmarks in run order; each is `bench/<name>.ts`. */
const BENCHMARKS = ['engine-hold', 'mm4', 'simjs', 'memory', 'limits', 'batching', 'trace', 'parallel', 'plan-1m', 'llm-tokens', 'llm-routing', 'fanout'] as const;

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(BENCHMARKS as readonly string[]).includes(w));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; there are: ${BENCHMARKS.join(', ')}\n`);
  process.exit(2);
}
const selected = wanted.length > 0 ? BENCHMARKS.filter((b) => wanted.includes(b)) : BENCHMARKS;

process.stdout.write(machineLine() + '\n\n');
const t0 = performance.now();
const reports: BenchReport[] = [];
const failed: string[] = [];
for (const name of selected) {
  const t = performance.now();
  process.stderr.write(`running ${name} ... `);
  try {
    const report = runChildJson<BenchReport>(new URL(`./${name}.ts`, import.meta.url), ['--json']);
    process.stderr.write(`${((performance.now() - t) / 1000).toFixed(1)} s: ${report.description}\n`);
    reports.push(report);
  } catch (e) {
    // One broken benchmark must not hide the others' figures.
    process.stderr.write(`failed: ${(e as Error).message}\n`);
    failed.push(name);
  }
}
process.stderr.write('\n');

process.stdout.write(formatTable(reports) + '\n\n');
const targeted = reports.flatMap((r) => r.figures.filter((f) => f.target !== undefined).map((f) => ({ bench: r.bench, f })));
const missed = targeted.filter(({ f }) => passes(f) === false);
const total = ((performance.now() - t0) / 1000).toFixed(0);
if (missed.length === 0 && failed.length === 0) {
  process.stdout.write(`all ${targeted.length} targets met (${total} s)\n`);
} else {
  if (missed.length > 0) process.stdout.write(`!!! ${missed.length} of ${targeted.length} targets MISSED (${total} s):\n`);
  for (const { bench, f } of missed) process.stdout.write(`!!!   ${bench} / ${f.name}: ${compact(f.value)} ${f.unit}, target ${f.target!.op} ${compact(f.target!.value)}\n`);
  if (failed.length > 0) process.stdout.write(`!!! benchmark(s) that did not run (errors above): ${failed.join(', ')}\n`);
}
