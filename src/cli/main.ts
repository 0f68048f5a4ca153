import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { InputError } from '../config/errors.ts';
import { shownText } from '../config/shown.ts';
import { parseOverride, type Override } from '../config/overrides.ts';
import { runScenario } from '../models/index.ts';
import { formatRun } from './format.ts';
import { progressReporter } from './progress.ts';
import { isAbsolute, resolve } from 'node:path';
import { writeSeriesCsv } from './csv-output.ts';
import { explainScenario } from './explain.ts';
import { builtinDescription, builtinNames, DEFAULT_SCENARIO, loadForExplain, loadRawFile, loadScenarioFile } from './scenario-source.ts';
import { openTraceFile } from './trace-file.ts';
import { compareCmd, narrativeText, planCmd, runReplicated, sweepCmd, theoryForRun, theoryText, validateExperiment, type ExperimentOptions } from './experiments.ts';
import { mergedRunner, parseShard, readPartials, ShardComplete, stringifyPartial, type PartialResult } from './shard.ts';
import type { Runner } from '../experiments/runner.ts';
import { writeFileSync } from 'node:fs';

/** Where the CLI writes; tests pass their own. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

function parseSeed(v: string): number | string {
  return /^-?\d+$/.test(v) ? Number(v) : v;
}

function parseCount(v: string): number {
  const n = Number(v);
  // Commander names the option in its message: "option '--replications <n>' argument 'x' is invalid."
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got "${v}"`);
  return n;
}

function collect(v: string, prev: Override[]): Override[] {
  return [...prev, parseOverride(v)];
}

/** Output of a command: text for stdout. Errors are thrown, never printed here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander passes untyped arguments
type Action = (...args: any[]) => Promise<string>;

/** Removes `--shard x` and `--out x` (and their `=` forms) from an argument list. */
function withoutShardFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--shard' || a === '--out') i++;
    else if (!a.startsWith('--shard=') && !a.startsWith('--out=')) out.push(a);
  }
  return out;
}

function buildProgram(io: Io, setOutput: (s: string) => void, merged?: Runner): Command {
  const program = new Command('servesim')
    .description('Discrete-event simulator for ML serving trade-offs.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run servesim --help for usage)');

  const wrap =
    (fn: Action) =>
    async (...args: unknown[]): Promise<void> => {
      setOutput(await fn(...(args as never[])));
    };

  program
    .command('run')
    .description(`run a scenario file or a built-in scenario (default: ${DEFAULT_SCENARIO})`)
    .argument('[scenario]', 'path to a .yaml/.json/.ts scenario, or a built-in name', DEFAULT_SCENARIO)
    .addOption(new Option('--seed <n>', 'root seed (overrides the scenario\'s)').argParser(parseSeed))
    .option('--json', 'print the result as one JSON object (the machine contract)')
    .option('--set <path=value>', 'override a scenario value, e.g. --set stages.model.replicas=8 (repeatable)', collect, [] as Override[])
    .option('--csv <dir>', 'also write the per-window time series as CSV files into <dir>')
    .addOption(new Option('--replications <n>', 'independent replications: figures as mean ± 95% CI (default: the scenario\'s, else 1)').argParser(parseCount))
    .addOption(new Option('--workers <n>', 'worker threads for replications (default: the machine\'s cores)').argParser(parseCount))
    .option('--report <file>', 'write a report: .html (self-contained, with charts) or .md')
    .addOption(new Option('--shard <i/n>', 'run only part i of n of the replications and write it for servesim merge').argParser(parseShard))
    .option('--out <file>', 'where --shard writes its part (default: stdout)')
    .option('--variant <name>', 'run one configuration of a file that declares variants, as a plain run (with its time series)')
    .action(
      wrap((async (ref: string, opts: { seed?: number | string; json?: boolean; set: Override[]; csv?: string; variant?: string } & ExperimentOptions) => {
        if (merged) opts.merged = merged;
        // A scenario that declares a sweep or variants is an experiment: run does it,
        // unless --variant asks for one configuration of it as a plain run.
        const file = await loadRawFile(ref);
        // What the narrative's caveat names: the user's own changes, not the variant's expansion.
        const shownSet: Override[] = [...(opts.variant !== undefined ? [{ path: 'variant', value: opts.variant }] : []), ...opts.set];
        if (opts.variant !== undefined) {
          const variants = (file.raw.variants ?? {}) as Record<string, Record<string, unknown>>;
          const base = typeof file.raw.baseName === 'string' ? file.raw.baseName : 'base';
          const names = [base, ...Object.keys(variants)];
          if (!names.includes(opts.variant)) {
            throw new InputError([`--variant ${opts.variant}: ${ref} has no such variant (it has: ${names.join(', ')})`]);
          }
          const changes = opts.variant === base ? {} : variants[opts.variant]!;
          opts.set = [
            ...opts.set,
            ...Object.entries(changes).map(([path, value]) => ({ path, value })),
            { path: 'variants', value: undefined },
            { path: 'sweep', value: undefined },
            { path: 'replications', value: undefined },
          ];
          file.raw.variants = undefined;
          file.raw.sweep = undefined;
          file.raw.replications = undefined;
        }
        const sweep = file.raw.sweep as { vary?: unknown; steps?: unknown } | undefined;
        if (sweep && typeof sweep.vary === 'string') {
          return sweepCmd(ref, { ...opts, vary: sweep.vary, steps: typeof sweep.steps === 'number' ? sweep.steps : 10 });
        }
        if (file.raw.variants !== undefined) return compareCmd([ref], opts);
        const reps = opts.replications ?? (typeof file.raw.replications === 'number' ? file.raw.replications : 1);
        if (reps > 1 || opts.report !== undefined || opts.shard !== undefined || merged) return runReplicated(ref, opts);
        const { scenario, baseDir } = await loadScenarioFile(ref, opts.set);
        const progress = progressReporter(`running ${scenario.name ?? ref}`);
        let result;
        try {
          result = runScenario(scenario, {
            ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
            onProgress: progress.update,
            openTrace: (path, o) => openTraceFile(isAbsolute(path) ? path : resolve(baseDir, path), path, o.timestampColumn),
          });
        } finally {
          progress.done();
        }
        const written = opts.csv !== undefined ? writeSeriesCsv(opts.csv, result.timeSeries) : [];
        const note = written.length > 0 ? `\nTime series written to ${written.join(', ')}\n` : '';
        if (opts.json) return `${JSON.stringify(result, null, 2)}\n`;
        const theory = theoryText(theoryForRun(scenario, baseDir, result));
        return `${narrativeText(file.raw, shownSet, opts.seed)}${formatRun(scenario, result)}${theory ? `\n${theory}` : ''}\n${note}`;
      }) as Action),
    );

  const experiment = (cmd: Command) =>
    cmd
      .addOption(new Option('--seed <n>', 'root seed (overrides the scenario\'s)').argParser(parseSeed))
      .addOption(new Option('--replications <n>', 'independent replications per configuration (default: the scenario\'s, else 1)').argParser(parseCount))
      .addOption(new Option('--workers <n>', 'worker threads (default: the machine\'s cores)').argParser(parseCount))
      .option('--json', 'print the result as JSON')
      .option('--report <file>', 'write a report: .html (self-contained, with charts) or .md')
      .option('--set <path=value>', 'override a scenario value (repeatable)', collect, [] as Override[])
      .addOption(new Option('--shard <i/n>', 'run only part i of n of the simulations and write it for servesim merge').argParser(parseShard))
      .option('--out <file>', 'where --shard writes its part (default: stdout)');

  experiment(
    program
      .command('compare')
      .description('run variants on common random numbers and report paired differences (files, or one file with variants)')
      .argument('<scenarios...>', 'two or more scenario files, or one file declaring variants'),
  ).action(wrap((async (refs: string[], opts: ExperimentOptions) => compareCmd(refs, { ...opts, ...(merged ? { merged } : {}) })) as Action));

  experiment(
    program
      .command('sweep')
      .description('vary one value over a range: the latency-throughput curve, its knee, the highest load within the SLO')
      .argument('<scenario>', 'path or built-in name')
      .requiredOption('--vary <path=lo..hi>', 'the value to vary, e.g. arrivals.qps=100..5000')
      .addOption(new Option('--steps <n>', 'points in the range').argParser(parseCount).default(10)),
  ).action(wrap((async (ref: string, opts: ExperimentOptions & { vary: string; steps: number }) => sweepCmd(ref, { ...opts, ...(merged ? { merged } : {}) })) as Action));

  experiment(
    program
      .command('plan')
      .description('find the cheapest configuration that meets an SLO at a load (bisection on counts)')
      .argument('<scenario>', 'path or built-in name')
      .requiredOption('--slo <objective>', 'e.g. "p99<100ms" or "latency<100ms for 99.9%"')
      .addOption(new Option('--qps <rate>', 'arrival rate to plan for (sets arrivals.qps)').argParser(Number))
      .option('--vary <path=range|list>', 'a count to size (stages.x.replicas=1..256) and lists to choose from (stages.x.hardware=a,b)', (v: string, prev: string[]) => [...prev, v], [] as string[]),
  ).action(wrap((async (ref: string, opts: ExperimentOptions & { slo: string; qps?: number; vary: string[] }) => planCmd(ref, opts)) as Action));

  program
    .command('merge')
    .description('combine the parts written by --shard i/n runs into the full result, exactly')
    .argument('<parts...>', 'the files the shards wrote')
    .option('--json', 'print the result as JSON')
    .option('--report <file>', 'write a report: .html or .md')
    .action(
      wrap((async (files: string[], opts: { json?: boolean; report?: string }) => {
        const { argv, runs, total } = readPartials(files);
        const extra = [...(opts.json ? ['--json'] : []), ...(opts.report ? ['--report', opts.report] : [])];
        let out = '';
        const sub = buildProgram(io, (t) => (out = t), mergedRunner(runs, total));
        await sub.parseAsync([...argv.filter((a) => a !== '--json'), ...extra], { from: 'user' });
        return out;
      }) as Action),
    );

  program
    .command('validate')
    .description('check a scenario file without running it')
    .argument('<scenario>', 'path or built-in name')
    .option('--set <path=value>', 'override a scenario value (repeatable)', collect, [] as Override[])
    .action(
      wrap((async (ref: string, opts: { set: Override[] }) => validateExperiment(ref, opts.set)) as Action),
    );

  program
    .command('explain')
    .description('show the stage graph a scenario runs, with topology shorthands expanded')
    .argument('<scenario>', 'path or built-in name')
    .option('--set <path=value>', 'override a scenario value (repeatable)', collect, [] as Override[])
    .action(
      wrap((async (ref: string, opts: { set: Override[] }) => {
        const { raw, scenario, topology } = await loadForExplain(ref, opts.set);
        return `${explainScenario(raw, scenario, topology)}\n`;
      }) as Action),
    );

  program
    .command('list')
    .description('list the built-in scenarios')
    .action(
      wrap((async () => {
        const names = builtinNames();
        const w = Math.max(...names.map((n) => n.length));
        return `${names.map((n) => `${n.padEnd(w)}  ${builtinDescription(n)}`).join('\n')}\n`;
      }) as Action),
    );

  return program;
}

/**
 * Runs the CLI and returns its exit code: 0 on success, 2 for bad input (with one
 * line per problem and no stack trace), 1 for an internal error. Output is
 * written only once a command has fully succeeded, so nothing half-written
 * reaches stdout.
 */
export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
  let output = '';
  const program = buildProgram(io, (s) => {
    output = s;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    // Last line of defence for the terminal: no control character from a user's string
    // (an ANSI escape in a name) is printed; JSON output has none but newlines anyway.
    io.out(shownText(output));
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its message (or the help/version text).
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof ShardComplete) {
      const partial: PartialResult = { ...err.partial, argv: withoutShardFlags(argv) };
      const outAt = argv.indexOf('--out');
      const outFile = outAt >= 0 ? argv[outAt + 1] : argv.find((a) => a.startsWith('--out='))?.slice(6);
      const text = `${stringifyPartial(partial)}\n`;
      if (outFile) {
        writeFileSync(outFile, text);
        io.err(`servesim: shard ${partial.shard.i}/${partial.shard.n}: ${partial.runs.length} of ${partial.total} runs written to ${outFile}; combine the parts with servesim merge\n`);
      } else io.out(text);
      return 0;
    }
    if (err instanceof InputError) {
      for (const p of err.problems) io.err(`servesim: ${shownText(p)}\n`);
      return 2;
    }
    const e = err as Error;
    io.err(`servesim: internal error: ${e?.message ?? String(err)}\n`);
    if (process.env.SERVESIM_DEBUG) io.err(`${e?.stack ?? ''}\n`);
    else io.err('(this is a bug in servesim; set SERVESIM_DEBUG=1 to see the stack trace)\n');
    return 1;
  }
}
