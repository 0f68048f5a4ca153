import { InvalidArgumentError } from 'commander';
import { availableParallelism } from 'node:os';
import { InputError } from '../config/errors.ts';
import { checkOutputDir, checkOutputFile } from './write-file.ts';

// The command line's flags: parsers that refuse what cannot be meant, and the checks
// that refuse flags doing nothing in a combination, all before anything runs.

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

/** A count flag: a plain whole number of at least 1 (`1e3`, `0x10` and `2.0` are refused). */
export function parseCount(v: string): number {
  const n = Number(v);
  // Commander names the option in its message: "option '--replications <n>' argument 'x' is invalid."
  if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got "${v}"`);
  return n;
}

/** Most replications one command runs: each keeps its figures and sketches (about 10 KB). */
export const MAX_REPLICATIONS = 10_000;

/** `--replications`: a count up to MAX_REPLICATIONS. */
export function parseReplications(v: string): number {
  const n = parseCount(v);
  if (n > MAX_REPLICATIONS) throw new InvalidArgumentError(`at most ${MAX_REPLICATIONS.toLocaleString('en-US')}, got ${v} (each replication is kept in memory, about 10 KB); confidence intervals narrow little beyond a few hundred`);
  return n;
}

/** Most points of a sweep: a curve needs tens; each point is a configuration run `replications` times. */
const MAX_STEPS = 1_000;

/** `--steps`: a count up to MAX_STEPS. */
export function parseSteps(v: string): number {
  const n = parseCount(v);
  if (n > MAX_STEPS) throw new InvalidArgumentError(`at most ${MAX_STEPS.toLocaleString('en-US')} points, got ${v}`);
  return n;
}

/** True for `path=lo..hi` (a range), false for a list `path=a,b,c`. */
export function isRangeVary(v: string): boolean {
  return /=\s*-?[0-9.e+]+\s*\.\.\s*-?[0-9.e+]+\s*$/.test(v);
}

/**
 * A sweep's `--vary`, repeatable: one range at most (the curve's axis), and lists beside
 * it, whose every combination is run (a grid: GPU × TP × weights, issue 15).
 */
export function parseSweepVary(v: string, prev: string[] | undefined): string[] {
  const range = prev?.find(isRangeVary);
  if (range !== undefined && isRangeVary(v)) throw new InvalidArgumentError(`a sweep varies one range, and --vary ${range} is given already; more values to vary are lists (path=a,b,c: every combination runs), or variants declared in the file`);
  return [...(prev ?? []), v];
}

/** A rate in requests per second: a finite number above 0. */
export function parseRate(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a rate above 0 in requests per second, got "${v}"`);
  return n;
}

/** The options a command may carry that the checks below look at. */
export interface FlagOptions {
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
  fullBisection?: boolean;
  statisticalStop?: boolean;
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
  const varies = typeof o.vary === 'string' ? [o.vary] : (o.vary ?? []);
  if (o.stepsGiven && varies.length > 0 && !varies.some((v) => v.includes('..'))) problems.push(`--steps with --vary ${varies.join(' --vary ')}: a list of values gives its own points; --steps spaces a range lo..hi`);
  if (o.shard !== undefined && o.report !== undefined) problems.push(`--report ${o.report} with --shard: a shard writes only its part, not a report; give --report to servesim merge`);
  if (o.csv !== undefined) {
    if (o.report !== undefined) problems.push(`--csv ${o.csv} with --report: the report runs through replications, which write no time series; run --csv without --report`);
    if (o.replications !== undefined && o.replications > 1) problems.push(`--csv ${o.csv} with --replications ${o.replications}: --csv writes the time series of one run; drop one of the two`);
    if (o.shard !== undefined) problems.push(`--csv ${o.csv} with --shard: a shard writes only its part; drop --csv`);
  }
  if (o.statisticalStop && o.fullBisection) problems.push('--statistical-stop with --full-bisection: the full bisection runs every probe to its end; drop one of the two');
  if (o.statisticalStop && o.replications !== undefined && o.replications > 1) problems.push(`--statistical-stop with --replications ${o.replications}: a probe stops early only with one replication (the verdict of several is their mean's); drop one of the two`);
  if (o.forceWorkers && o.workers === undefined) problems.push('--force-workers without --workers: it only allows a --workers count above the machine\'s cores');
  if (o.workers !== undefined && o.workers > cores && !o.forceWorkers) {
    problems.push(`--workers ${o.workers}: this machine has ${cores} core${cores === 1 ? '' : 's'}; more workers than cores add memory (each holds its own simulation, tens of MB) but no speed. Use --workers ${cores} or fewer, or add --force-workers`);
  }
  if (o.report !== undefined) attempt(() => checkOutputFile('--report', o.report!, ['.html', '.htm', '.md', '.markdown'], '.html or .md'));
  if (o.out !== undefined && o.shard !== undefined) attempt(() => checkOutputFile('--out', o.out!, ['.json'], '.json'));
  if (o.csv !== undefined) attempt(() => checkOutputDir('--csv', o.csv!));
  return problems;
}

/**
 * Problems with flags given what the scenario file itself asks for: --csv on a file
 * that runs many simulations (variants, a sweep, replications), --workers on one run.
 */
export function runFlagProblems(ref: string, raw: Record<string, unknown>, opts: { csv?: string; workers?: number; replications?: number }, reps: number, merged: boolean): string[] {
  const experiment = raw.sweep !== undefined ? 'a sweep' : raw.variants !== undefined ? 'variants' : undefined;
  const problems: string[] = [];
  if (opts.csv !== undefined && experiment !== undefined) problems.push(`--csv ${opts.csv}: ${ref} declares ${experiment}, many runs with no one time series; add --variant <name> to run one configuration with --csv`);
  else if (opts.csv !== undefined && reps > 1 && opts.replications === undefined) problems.push(`--csv ${opts.csv}: ${ref} asks for ${reps} replications, and --csv writes the time series of one run; add --replications 1`);
  if (opts.workers !== undefined && experiment === undefined && reps <= 1 && !merged) problems.push(`--workers ${opts.workers} with one replication: a single run uses one thread; add --replications N or drop --workers`);
  return problems;
}

/** `--variant` only means something on a file that declares variants or a sweep. */
export function checkVariantFlag(ref: string, raw: Record<string, unknown>, variant: string): void {
  const declares = (raw.sweep !== undefined && raw.sweep !== null) || (raw.variants !== undefined && raw.variants !== null);
  if (!declares) throw new InputError([`--variant ${variant}: ${ref} declares no variants and no sweep, so it runs as one configuration already; drop --variant`]);
}
