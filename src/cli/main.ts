import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { InputError } from '../config/errors.ts';
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
import type { Scenario } from '../config/schema.ts';
import { availableParallelism } from 'node:os';
import { checkOutputDir, checkOutputFile, OutputError, writeFileAtomic } from './write-file.ts';

/** Where the CLI writes; tests pass their own. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/**
 * `--seed`: a whole number that a double holds exactly (|n| ≤ 2^53 − 1; above that,
 * neighbouring seeds would silently be the same run), or a word. The engine hashes
 * every seed as text (Alea's Mash over "<seed>/<stream>"), so a word is as good a seed
 * as a number; what looks like a number but is not a whole one ("1e3", "1.5", "+5",
 * "0x10") is refused rather than hashed as a word by surprise.
 */
export function parseSeed(v: string): number | string {
  if (/^-?\d+$/.test(v)) {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) {
      throw new InvalidArgumentError(`a seed number must be at most 9007199254740991 (2^53 - 1) in size, got "${v}": larger ones cannot be told apart; give a smaller number or a word`);
    }
    return n;
  }
  if (v.trim() === '') throw new InvalidArgumentError(`expected a whole number or a word, got "${v}"`);
  if (/^[-+]?(\d|\.\d)/.test(v) || /^[-+]?(infinity|nan)$/i.test(v)) {
    throw new InvalidArgumentError(`expected a whole number, got "${v}" (a seed is a whole number or a word; decimals and exponents are refused)`);
  }
  if (!/^[\x21-\x7e]{1,200}$/.test(v)) throw new InvalidArgumentError('a seed word is 1 to 200 printable characters without spaces');
  return v;
}

function parseCount(v: string): number {
  const n = Number(v);
  // Commander names the option in its message: "option '--replications <n>' argument 'x' is invalid."
  if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got "${v}"`);
  return n;
}

/** Most replications one command runs: each keeps its figures and sketches (about 10 KB). */
export const MAX_REPLICATIONS = 10_000;

function parseReplications(v: string): number {
  const n = parseCount(v);
  if (n > MAX_REPLICATIONS) throw new InvalidArgumentError(`at most ${MAX_REPLICATIONS.toLocaleString('en-US')}, got ${v} (each replication is kept in memory, about 10 KB); confidence intervals narrow little beyond a few hundred`);
  return n;
}

/** Most points of a sweep: a curve needs tens; each point is a configuration run `replications` times. */
const MAX_STEPS = 1_000;

function parseSteps(v: string): number {
  const n = parseCount(v);
  if (n > MAX_STEPS) throw new InvalidArgumentError(`at most ${MAX_STEPS.toLocaleString('en-US')} points, got ${v}`);
  return n;
}

/** A sweep varies one value: a second --vary would silently replace the first. */
function parseOneVary(v: string, prev: string | undefined): string {
  if (prev !== undefined) throw new InvalidArgumentError(`a sweep varies one value, and --vary ${prev} is given already; run one sweep per value (or declare variants in the file for a second dimension)`);
  return v;
}

/** A rate in requests per second: a finite number above 0. */
function parseRate(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a rate above 0 in requests per second, got "${v}"`);
  return n;
}

/** The options a command may carry that the checks below look at. */
interface FlagOptions {
  report?: string;
  out?: string;
  csv?: string;
  shard?: unknown;
  replications?: number;
  workers?: number;
  forceWorkers?: boolean;
  json?: boolean;
  vary?: string | string[];
  /** True when --steps was given on the command line (it has a default). */
  stepsGiven?: boolean;
}

/**
 * Problems with flags that can be seen before any file is read: flags that would do
 * nothing in this combination, too many workers, and output paths that could not be
 * written (checked now, so no simulation is spent on a result that cannot be saved).
 */
export function flagProblems(o: FlagOptions, cores = availableParallelism()): string[] {
  const problems: string[] = [];
  const attempt = (f: () => void) => {
    try {
      f();
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(...err.problems);
    }
  };
  if (o.out !== undefined && o.shard === undefined) problems.push(`--out ${o.out}: only a --shard i/n run writes a part file; without --shard the result is printed (add --report for a file)`);
  if (o.shard !== undefined && o.json) problems.push('--json with --shard: a shard\'s part is JSON already; give --json to servesim merge');
  if (o.stepsGiven && typeof o.vary === 'string' && !o.vary.includes('..')) problems.push(`--steps with --vary ${o.vary}: a list of values gives its own points; --steps spaces a range lo..hi`);
  if (o.shard !== undefined && o.report !== undefined) problems.push(`--report ${o.report} with --shard: a shard writes only its part, not a report; give --report to servesim merge`);
  if (o.csv !== undefined) {
    if (o.report !== undefined) problems.push(`--csv ${o.csv} with --report: the report runs through replications, which write no time series; run --csv without --report`);
    if (o.replications !== undefined && o.replications > 1) problems.push(`--csv ${o.csv} with --replications ${o.replications}: --csv writes the time series of one run; drop one of the two`);
    if (o.shard !== undefined) problems.push(`--csv ${o.csv} with --shard: a shard writes only its part; drop --csv`);
  }
  if (o.forceWorkers && o.workers === undefined) problems.push('--force-workers without --workers: it only allows a --workers count above the machine\'s cores');
  if (o.workers !== undefined && o.workers > cores && !o.forceWorkers) {
    problems.push(`--workers ${o.workers}: this machine has ${cores} core${cores === 1 ? '' : 's'}; more workers than cores add memory (each holds its own simulation, tens of MB) but no speed. Use --workers ${cores} or fewer, or add --force-workers`);
  }
  if (o.report !== undefined) attempt(() => checkOutputFile('--report', o.report!, ['.html', '.htm', '.md', '.markdown'], '.html or .md'));
  if (o.out !== undefined && o.shard !== undefined) attempt(() => checkOutputFile('--out', o.out!, ['.json'], '.json'));
  if (o.csv !== undefined) attempt(() => checkOutputDir('--csv', o.csv!));
  return problems;
}

function collect(v: string, prev: Override[]): Override[] {
  return [...prev, parseOverride(v)];
}

/**
 * The scenario as the run header shows it: a description is prose about the file as
 * written ("on 4 replicas"), so after --set or --variant it is marked as such, with
 * what this run changed (the tables below show the values the run used).
 */
export function asRun(scenario: Scenario, changes: readonly Override[]): Scenario {
  if (changes.length === 0 || !scenario.description) return scenario;
  const shown = changes.map((o) => (o.path === 'variant' ? `variant ${String(o.value)}` : `${o.path}=${typeof o.value === 'string' ? o.value : JSON.stringify(o.value)}`));
  return { ...scenario, description: `${scenario.description} [as written; this run: ${shown.join(', ')}]` };
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
    .showHelpAfterError('(run servesim --help for usage)')
    // Every command's flags and output paths are checked before it reads or runs anything.
    .hook('preAction', (_program, cmd) => {
      const problems = flagProblems({ ...(cmd.opts() as FlagOptions), stepsGiven: cmd.getOptionValueSource('steps') === 'cli' });
      if (problems.length > 0) throw new InputError(problems);
    });

  const wrap =
    (fn: Action) =>
    async (...args: unknown[]): Promise<void> => {
      setOutput(await fn(...(args as never[])));
    };

  program
    .command('run')
    .description(`run a scenario file or a built-in scenario (default: ${DEFAULT_SCENARIO})`)
    .argument('[scenario]', 'path to a .yaml/.json/.ts scenario, or a built-in name', DEFAULT_SCENARIO)
    .addOption(new Option('--seed <n>', 'root seed (overrides the scenario\'s): a whole number up to 2^53-1, or a word').argParser(parseSeed))
    .option('--json', 'print the result as one JSON object (the machine contract)')
    .option('--set <path=value>', 'override a scenario value, e.g. --set stages.model.replicas=8 (repeatable)', collect, [] as Override[])
    .option('--csv <dir>', 'also write the per-window time series as CSV files into <dir>')
    .addOption(new Option('--replications <n>', 'independent replications (at most 10,000): figures as mean ± 95% CI (default: the scenario\'s, else 1)').argParser(parseReplications))
    .addOption(new Option('--workers <n>', 'worker threads for replications (default and most: the machine\'s cores)').argParser(parseCount))
    .option('--force-workers', 'allow --workers above the machine\'s cores')
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
        const declaresSweep = file.raw.sweep !== undefined && file.raw.sweep !== null;
        const declaresVariants = file.raw.variants !== undefined && file.raw.variants !== null;
        if (opts.variant !== undefined && !declaresSweep && !declaresVariants) {
          throw new InputError([`--variant ${opts.variant}: ${ref} declares no variants and no sweep, so it runs as one configuration already; drop --variant`]);
        }
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
        // Flags that would do nothing with what this file asks for.
        const reps = opts.replications ?? (typeof file.raw.replications === 'number' ? file.raw.replications : 1);
        const experiment = file.raw.sweep !== undefined ? 'a sweep' : file.raw.variants !== undefined ? 'variants' : undefined;
        const problems: string[] = [];
        if (opts.csv !== undefined && experiment !== undefined) problems.push(`--csv ${opts.csv}: ${ref} declares ${experiment}, many runs with no one time series; add --variant <name> to run one configuration with --csv`);
        else if (opts.csv !== undefined && reps > 1 && opts.replications === undefined) problems.push(`--csv ${opts.csv}: ${ref} asks for ${reps} replications, and --csv writes the time series of one run; add --replications 1`);
        if (opts.workers !== undefined && experiment === undefined && reps <= 1 && !merged) problems.push(`--workers ${opts.workers} with one replication: a single run uses one thread; add --replications N or drop --workers`);
        if (problems.length > 0) throw new InputError(problems);
        const sweep = file.raw.sweep as { vary?: unknown; steps?: unknown } | undefined;
        if (sweep && typeof sweep.vary === 'string') {
          return sweepCmd(ref, { ...opts, vary: sweep.vary, steps: typeof sweep.steps === 'number' ? sweep.steps : 10 });
        }
        if (file.raw.variants !== undefined) return compareCmd([ref], opts);
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
        return `${narrativeText(file.raw, shownSet, opts.seed)}${formatRun(asRun(scenario, shownSet), result)}${theory ? `\n${theory}` : ''}\n${note}`;
      }) as Action),
    );

  const experiment = (cmd: Command) =>
    cmd
      .addOption(new Option('--seed <n>', 'root seed (overrides the scenario\'s): a whole number up to 2^53-1, or a word').argParser(parseSeed))
      .addOption(new Option('--replications <n>', 'independent replications per configuration (at most 10,000; default: the scenario\'s, else 1)').argParser(parseReplications))
      .addOption(new Option('--workers <n>', 'worker threads (default and most: the machine\'s cores)').argParser(parseCount))
      .option('--force-workers', 'allow --workers above the machine\'s cores')
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
      .addOption(new Option('--vary <path=lo..hi>', 'the value to vary, e.g. arrivals.qps=100..5000').makeOptionMandatory().argParser(parseOneVary))
      .addOption(new Option('--steps <n>', 'points in the range (at most 1,000)').argParser(parseSteps).default(10)),
  ).action(wrap((async (ref: string, opts: ExperimentOptions & { vary: string; steps: number }) => sweepCmd(ref, { ...opts, ...(merged ? { merged } : {}) })) as Action));

  experiment(
    program
      .command('plan')
      .description('find the cheapest configuration that meets an SLO at a load (bisection on counts)')
      .argument('<scenario>', 'path or built-in name')
      .requiredOption('--slo <objective>', 'e.g. "p99<100ms" or "latency<100ms for 99.9%"')
      .addOption(new Option('--qps <rate>', 'arrival rate to plan for (sets arrivals.qps)').argParser(parseRate))
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
 * Writes a command's output file atomically (see write-file.ts). On failure (a full
 * disk, a folder gone since the check) prints one line naming the path and returns
 * false: the caller exits 1. Nothing is left behind, not even a temp file.
 */
export function writeOutput(io: Io, path: string, text: string): boolean {
  try {
    writeFileAtomic(path, text);
    return true;
  } catch (err) {
    if (!(err instanceof OutputError)) throw err;
    io.err(`servesim: ${err.message}\n`);
    return false;
  }
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
    io.out(output);
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
        if (!writeOutput(io, outFile, text)) return 1;
        io.err(`servesim: shard ${partial.shard.i}/${partial.shard.n}: ${partial.runs.length} of ${partial.total} runs written to ${outFile}; combine the parts with servesim merge\n`);
      } else io.out(text);
      return 0;
    }
    if (err instanceof InputError) {
      for (const p of err.problems) io.err(`servesim: ${p}\n`);
      return 2;
    }
    if (err instanceof OutputError) {
      // A full disk or a folder gone mid-run: not the input's fault, nor a bug; nothing was left half-written.
      io.err(`servesim: ${err.message}\n`);
      return 1;
    }
    const e = err as Error;
    io.err(`servesim: internal error: ${e?.message ?? String(err)}\n`);
    if (process.env.SERVESIM_DEBUG) io.err(`${e?.stack ?? ''}\n`);
    else io.err('(this is a bug in servesim; set SERVESIM_DEBUG=1 to see the stack trace)\n');
    return 1;
  }
}
