import { Command, CommanderError, Option } from 'commander';
import { InputError } from '../config/errors.ts';
import { shownText } from '../config/shown.ts';
import { parseOverride, type Override } from '../config/overrides.ts';
import { runScenario } from '../models/index.ts';
import { formatRun } from './format.ts';
import { progressReporter } from './progress.ts';
import { writeSeriesCsv } from './csv-output.ts';
import { explainScenario } from './explain.ts';
import { DEFAULT_SCENARIO, loadForExplain, loadRawFile, loadScenarioFile, rawFileFromData, recordingLoader, type RawFile } from './scenario-source.ts';
import { namedTracePaths, traceAccess, traceOpener } from './trace-file.ts';
import { asRun, compareCmd, narrativeText, planCmd, runFigures, runReplicated, sweepCmd, theoryForRun, theoryText, validateExperiment, type ExperimentOptions } from './experiments.ts';
import { declaredVariants, variantNamed } from '../experiments/variants.ts';
import { makePartial, mergedRunner, parseShard, readPartials, ShardComplete, stringifyPartial, type Experiment, type ShardCommand } from './shard.ts';
import { OutputError, writeOutputFile } from './write-file.ts';
import { listText } from './builtins.ts';
import { VERSION } from './version.ts';
import { checkVariantFlag, flagProblems, parseCount, parseSweepVary, parseRate, parseReplications, parseSeed, parseSteps, runFlagProblems, type FlagOptions } from './flags.ts';

/** Where the CLI writes; tests pass their own. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

function collect(v: string, prev: Override[]): Override[] {
  return [...prev, parseOverride(v)];
}

/** Output of a command: text for stdout. Errors are thrown, never printed here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander passes untyped arguments
type Action = (...args: any[]) => Promise<string>;

type RunOptions = ExperimentOptions & { variant?: string; vary?: string; steps?: number };

/**
 * Runs an experiment command; with --shard, the ShardComplete it ends with carries the
 * experiment as data (the scenarios' content as read, the flags that shape it), which
 * is what merge rebuilds from: never a command line.
 */
async function recorded<T extends RunOptions>(command: ShardCommand, refs: string[], opts: T, fn: (opts: T) => Promise<string>): Promise<string> {
  if (opts.shard === undefined) return fn(opts);
  const rec = recordingLoader();
  const set = [...opts.set];
  try {
    return await fn({ ...opts, load: rec.load });
  } catch (err) {
    if (err instanceof ShardComplete) {
      const e: Experiment = { command, refs, scenarios: refs.map((r) => rec.content(r) ?? {}), set };
      if (opts.variant !== undefined) e.variant = opts.variant;
      if (opts.seed !== undefined) e.seed = opts.seed;
      if (opts.replications !== undefined) e.replications = opts.replications;
      if (command === 'sweep') {
        e.vary = opts.vary!;
        e.steps = opts.steps!;
      }
      err.experiment = e;
    }
    throw err;
  }
}

/**
 * `run` of a scenario that is an experiment: a file declaring a sweep or variants,
 * replications, a report, a shard or a merge. Undefined for a plain run. `opts.set`
 * gains the changes of `--variant`.
 */
async function runAsExperiment(ref: string, file: RawFile, opts: RunOptions): Promise<string | undefined> {
  if (opts.variant !== undefined) {
    checkVariantFlag(ref, file.raw, opts.variant);
    const { changes } = variantNamed(ref, file.raw, opts.variant);
    opts.set = [
      ...opts.set,
      ...changes,
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
  const problems = runFlagProblems(ref, file.raw, opts, reps, opts.merged !== undefined);
  if (problems.length > 0) throw new InputError(problems);
  const sweep = file.raw.sweep as { vary?: unknown; steps?: unknown } | undefined;
  if (sweep && typeof sweep.vary === 'string') {
    return sweepCmd(ref, { ...opts, vary: sweep.vary, steps: typeof sweep.steps === 'number' ? sweep.steps : 10 });
  }
  if (file.raw.variants !== undefined) return compareCmd([ref], opts);
  if (reps > 1 || opts.report !== undefined || opts.shard !== undefined || opts.merged) return runReplicated(ref, opts);
  return undefined;
}

/**
 * `servesim merge`: the experiment the parts carry, rebuilt from their data alone and
 * served the parts' runs. Only merge's own flags say where output goes; no scenario is
 * read from disk, no module loaded, no trace opened.
 */
async function mergeCmd(files: string[], flags: { json?: boolean; report?: string }): Promise<string> {
  const parts = readPartials(files);
  const e = parts.experiment;
  const load = async (ref: string): Promise<RawFile> => {
    const k = e.refs.indexOf(ref);
    if (k < 0) throw new InputError([`${parts.source}: experiment: no scenario ${JSON.stringify(ref)} among its refs`]);
    return rawFileFromData(ref, e.scenarios[k]!, parts.source);
  };
  const opts: RunOptions = {
    set: e.set,
    ...(e.seed !== undefined ? { seed: e.seed } : {}),
    ...(e.replications !== undefined ? { replications: e.replications } : {}),
    ...(e.variant !== undefined ? { variant: e.variant } : {}),
    ...(flags.json ? { json: true } : {}),
    ...(flags.report !== undefined ? { report: flags.report } : {}),
    merged: mergedRunner(parts.runs, parts.total),
    load,
    // A part's overrides are not the user's command line: none of its paths is trusted.
    namedTraces: [],
    workers: 1,
  };
  if (e.command === 'compare') return compareCmd(e.refs, opts);
  if (e.command === 'sweep') return sweepCmd(e.refs[0]!, { ...opts, vary: e.vary!, steps: e.steps ?? 10 });
  const out = await runAsExperiment(e.refs[0]!, await load(e.refs[0]!), opts);
  if (out === undefined) throw new InputError([`${parts.source}: the experiment is a plain run, which is never sharded`]);
  return out;
}

function buildProgram(io: Io, setOutput: (s: string) => void): Command {
  const program = new Command('servesim')
    .description('Discrete-event simulator for ML serving trade-offs.')
    .version(VERSION)
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
    .option('--trace-root <dir>', 'a folder the scenario may read trace files from besides its own')
    .action(
      wrap((async (ref: string, opts: { seed?: number | string; json?: boolean; set: Override[]; csv?: string; variant?: string } & ExperimentOptions) =>
        recorded('run', [ref], opts, async (opts) => {
        // Trace paths the user typed: taken before --variant adds the file's own changes.
        opts.namedTraces = namedTracePaths(opts.set);
        // A scenario that declares a sweep or variants is an experiment: run does it,
        // unless --variant asks for one configuration of it as a plain run.
        const file = await (opts.load ?? loadRawFile)(ref);
        // What the narrative's caveat names: the user's own changes, not the variant's expansion.
        const shownSet: Override[] = [...(opts.variant !== undefined ? [{ path: 'variant', value: opts.variant }] : []), ...opts.set];
        const declared = declaredVariants(file.raw).map((v) => v.name); // before --variant strips them
        const experiment = await runAsExperiment(ref, file, opts);
        if (experiment !== undefined) return experiment;
        const { scenario, baseDir } = await loadScenarioFile(ref, opts.set);
        const openTrace = traceOpener(traceAccess({ ref, baseDir }, opts));
        const progress = progressReporter(`running ${scenario.name ?? ref}`);
        let result;
        try {
          result = runScenario(scenario, {
            ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
            onProgress: progress.update,
            openTrace,
          });
        } finally {
          progress.done();
        }
        const written = opts.csv !== undefined ? writeSeriesCsv(opts.csv, result.timeSeries) : [];
        const note = written.length > 0 ? `\nTime series written to ${written.join(', ')}\n` : '';
        if (opts.json) return `${JSON.stringify(result, null, 2)}\n`;
        const theory = theoryText(theoryForRun(scenario, openTrace, result));
        return `${narrativeText(file.raw, shownSet, opts.seed, runFigures(file.raw, result, opts.variant, declared), ref)}${formatRun(asRun(scenario, shownSet), result)}${theory ? `\n${theory}` : ''}\n${note}`;
      })) as Action),
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
      .option('--out <file>', 'where --shard writes its part (default: stdout)')
      .option('--trace-root <dir>', 'a folder the scenario may read trace files from besides its own');

  experiment(
    program
      .command('compare')
      .description('run variants on common random numbers and report paired differences (files, or one file with variants)')
      .argument('<scenarios...>', 'two or more scenario files, or one file declaring variants'),
  ).action(wrap((async (refs: string[], opts: ExperimentOptions) => recorded('compare', refs, opts, (o) => compareCmd(refs, o))) as Action));

  experiment(
    program
      .command('sweep')
      .description('vary one value over a range: the latency-throughput curve, its knee, the highest load within the SLO; with lists, every combination (e.g. GPU × TP × weights)')
      .argument('<scenario>', 'path or built-in name')
      .addOption(new Option('--vary <path=lo..hi|list>', 'the value to vary, e.g. arrivals.qps=100..5000; repeat with lists (llm.gpu=h200,h100-sxm) for a grid').makeOptionMandatory().argParser(parseSweepVary))
      .addOption(new Option('--steps <n>', 'points in the range (at most 1,000)').argParser(parseSteps).default(10)),
  ).action(
    wrap((async (ref: string, opts: Omit<ExperimentOptions, 'vary'> & { vary: string[]; steps: number; set: Override[] }) => {
      // The first --vary is the sweep's; the rest make it a grid (every combination).
      const [first, ...rest] = opts.vary;
      const o: ExperimentOptions & { vary: string; steps: number; grid?: string[] } = { ...opts, vary: first!, ...(rest.length > 0 ? { grid: rest } : {}) };
      return recorded('sweep', [ref], o, (x) => sweepCmd(ref, x));
    }) as Action),
  );

  experiment(
    program
      .command('plan')
      .description('find the cheapest configuration that meets an SLO at a load (bisection on counts)')
      .argument('<scenario>', 'path or built-in name')
      .option('--slo <objective>', 'e.g. "p99<100ms" or "latency<100ms for 99.9%"; default: the scenario\'s slo (an LLM scenario\'s TTFT and TPOT objectives)')
      .addOption(new Option('--qps <rate>', 'arrival rate to plan for (sets arrivals.qps)').argParser(parseRate))
      .option('--vary <path=range|list>', 'a count to size (stages.x.replicas=1..256) and lists to choose from (stages.x.hardware=a,b)', (v: string, prev: string[]) => [...prev, v], [] as string[])
      .option('--full-bisection', 'plain bisection, every probe run to its end (no closed-form first guess, no early stop): to check the shortcuts')
      .option('--statistical-stop', 'also stop a probe once its verdict is likely at 95% (from half its run on), not only once it is certain'),
  ).action(wrap((async (ref: string, opts: ExperimentOptions & { slo?: string; qps?: number; vary: string[]; fullBisection?: boolean; statisticalStop?: boolean }) => planCmd(ref, opts)) as Action));

  program
    .command('merge')
    .description('combine the parts written by --shard i/n runs into the full result, exactly (parts are data: checked, never executed)')
    .argument('<parts...>', 'the files the shards wrote')
    .option('--json', 'print the result as JSON')
    .option('--report <file>', 'write a report: .html or .md')
    .action(wrap((async (files: string[], opts: { json?: boolean; report?: string }) => mergeCmd(files, opts)) as Action));

  program
    .command('validate')
    .description('check a scenario file (and its trace files) without running it')
    .argument('<scenario>', 'path or built-in name')
    .option('--set <path=value>', 'override a scenario value (repeatable)', collect, [] as Override[])
    .option('--trace-root <dir>', 'a folder the scenario may read trace files from besides its own')
    .action(
      wrap((async (ref: string, opts: { set: Override[]; traceRoot?: string }) => validateExperiment(ref, opts.set, opts.traceRoot)) as Action),
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
      wrap((async () => listText()) as Action),
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
    // (A ShardComplete without its experiment is a bug: it falls through to the internal error below.)
    if (err instanceof ShardComplete && err.experiment !== undefined) {
      const partial = makePartial(err.partial, err.experiment);
      const outAt = argv.indexOf('--out');
      const outFile = outAt >= 0 ? argv[outAt + 1] : argv.find((a) => a.startsWith('--out='))?.slice(6);
      const text = `${stringifyPartial(partial)}\n`;
      if (outFile) {
        if (!writeOutputFile(outFile, text, io.err)) return 1;
        io.err(`servesim: shard ${partial.shard.i}/${partial.shard.n}: ${partial.runs.length} of ${partial.total} runs written to ${outFile}; combine the parts with servesim merge\n`);
      } else io.out(text);
      return 0;
    }
    if (err instanceof InputError) {
      for (const p of err.problems) io.err(`servesim: ${shownText(p)}\n`);
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
