import { Command, CommanderError, Option } from 'commander';
import { InputError } from '../config/errors.ts';
import { parseOverride, type Override } from '../config/overrides.ts';
import { runScenario } from '../models/index.ts';
import { formatRun } from './format.ts';
import { progressReporter } from './progress.ts';
import { isAbsolute, resolve } from 'node:path';
import { writeSeriesCsv } from './csv-output.ts';
import { explainScenario } from './explain.ts';
import { builtinDescription, builtinNames, DEFAULT_SCENARIO, loadForExplain, loadScenario, loadScenarioFile } from './scenario-source.ts';
import { openTraceFile } from './trace-file.ts';

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

function collect(v: string, prev: Override[]): Override[] {
  return [...prev, parseOverride(v)];
}

/** Output of a command: text for stdout. Errors are thrown, never printed here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander passes untyped arguments
type Action = (...args: any[]) => Promise<string>;

function buildProgram(io: Io, setOutput: (s: string) => void): Command {
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
    .action(
      wrap((async (ref: string, opts: { seed?: number | string; json?: boolean; set: Override[]; csv?: string }) => {
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
        return opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatRun(scenario, result)}\n${note}`;
      }) as Action),
    );

  program
    .command('validate')
    .description('check a scenario file without running it')
    .argument('<scenario>', 'path or built-in name')
    .option('--set <path=value>', 'override a scenario value (repeatable)', collect, [] as Override[])
    .action(
      wrap((async (ref: string, opts: { set: Override[] }) => {
        const s = await loadScenario(ref, opts.set);
        return `${ref}: ok (${s.stages.length} stage${s.stages.length === 1 ? '' : 's'})\n`;
      }) as Action),
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
    io.out(output);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its message (or the help/version text).
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof InputError) {
      for (const p of err.problems) io.err(`servesim: ${p}\n`);
      return 2;
    }
    const e = err as Error;
    io.err(`servesim: internal error: ${e?.message ?? String(err)}\n`);
    if (process.env.SERVESIM_DEBUG) io.err(`${e?.stack ?? ''}\n`);
    else io.err('(this is a bug in servesim; set SERVESIM_DEBUG=1 to see the stack trace)\n');
    return 1;
  }
}
