import { availableParallelism } from 'node:os';
import { COST } from '../models/metrics/run-cost.ts';
import { COVERAGE } from '../models/metrics/run-coverage.ts';
import { DEGRADED } from '../models/metrics/run-degraded.ts';
import { DROPS } from '../models/metrics/run-drops.ts';
import { FRESHNESS } from '../models/metrics/run-freshness.ts';
import { LATENCY } from '../models/metrics/run-latency.ts';
import { QUALITY } from '../models/metrics/run-quality.ts';
import { REQUESTS } from '../models/metrics/run-requests.ts';
import { RETRIES } from '../models/metrics/run-retries.ts';
import { SLO } from '../models/metrics/run-slo.ts';
import { WAIT_SLO } from '../models/metrics/run-wait-slo.ts';
import { THROUGHPUT } from '../models/metrics/run-throughput.ts';
import { extname } from 'node:path';
import type { Seed } from '../engine/index.ts';
import { InputError } from '../config/errors.ts';
import type { Override } from '../config/overrides.ts';
import { shownField, shownText } from '../config/shown.ts';
import type { Scenario } from '../config/schema.ts';
import { latencySlo, waitSlo } from '../config/slo.ts';
import { llmSweepColumns } from './llm-sweep.ts';
import { ServingSystem, type RunResult } from '../models/index.ts';
import { estimateAt, type Aggregate } from '../experiments/aggregate.ts';
import { compare, compareJson } from '../experiments/compare.ts';
import { describeAssignment, plan, planJson, type PlanPoint, type PlanResult } from '../experiments/plan.ts';
import { meetsObjective, planObjective, type PlanObjective } from '../experiments/plan-objective.ts';
import { replicate, replicateJson, theoryOfAggregate } from '../experiments/replicate.ts';
import { inProcessRunner, type ExperimentSettings, type Runner } from '../experiments/runner.ts';
import { sweep, sweepJson, sweepValues, type SweepCurve, type SweepResult } from '../experiments/sweep.ts';
import { theoryForRun as theoryForSystem } from '../experiments/theory.ts';
import { declaredVariants, expandVariants } from '../experiments/variants.ts';
import { buildReport, sweepSection } from '../report/build.ts';
import { columnHeader, fmtDifference, fmtEstimate, formatFigure } from '../report/figures.ts';
import type { Report, TheoryRow, TradeoffPoint } from '../report/model.ts';
import { fillPlaceholders, hasPlaceholders, numberAt, parsePlaceholders, SWEEP_READINGS } from '../report/placeholders.ts';
import { fmtNum, fmtPct, fmtUsd, term } from './format.ts';
import { progressReporter } from './progress.ts';
import { importHtmlReport } from './import-module.ts';
import { loadRawFile, type RawFile } from './scenario-source.ts';
import { checkTraceFile, traceAccess, traceOpener, type TraceAccess } from './trace-file.ts';
import type { TraceOpener } from '../config/trace-csv.ts';
import { planTableLines, wantsPlanTable } from './plan-table.ts';
import { sweepGridLines } from './sweep-grid.ts';
import { workerPoolRunner, type PooledRunner } from './worker-pool.ts';
import { shardRunner, type Shard } from './shard.ts';
import { checkOutputFile, writeFileAtomic } from './write-file.ts';
import { MAX_REPLICATIONS } from './flags.ts';

/** Options every experiment command shares. */
export interface ExperimentOptions {
  seed?: Seed;
  /** Replications per configuration: the command line's, else the scenario's `replications`, else 1. */
  replications?: number;
  workers?: number;
  json?: boolean;
  report?: string;
  set: Override[];
  /** Run only this part of the tasks (see src/cli/shard.ts). */
  shard?: Shard;
  /** Serve runs from merged shards instead of simulating. */
  merged?: Runner;
  /** How scenario references are read (merge gives one that serves a part's content; default: the files). */
  load?: (ref: string) => Promise<RawFile>;
  /** `--trace-root`: a folder scenarios may read traces from besides their own (see trace-file.ts). */
  traceRoot?: string;
  /** Trace paths the user typed (`--set arrivals.file=`); default: those in `set`. */
  namedTraces?: string[];
}

/** The trace opener of a scenario read by a command: the trust model's path rule (trace-file.ts). */
function openerFor(file: RawFile, opts: ExperimentOptions): TraceOpener {
  return traceOpener(traceAccess(file, opts));
}

/**
 * How a command's experiment runs for a scenario folder: worker threads when asked
 * for more than one, only a shard's part with --shard, the merged shards' runs in
 * merge; its traces opened under the trust model's path rule. The pool starts on the
 * first simulation (so every input problem is reported first); `close` ends it.
 */
function settingsFor(file: RawFile, opts: ExperimentOptions & { replications: number }): { settings: ExperimentSettings; close: () => Promise<void> } {
  let access: TraceAccess | undefined;
  let opener: TraceOpener | undefined;
  let pool: PooledRunner | undefined;
  let inner: Runner | undefined;
  const accessOf = (): TraceAccess => (access ??= traceAccess(file, opts));
  const runner: Runner = (tasks, onDone) => {
    if (inner === undefined) {
      pool = workerPoolRunner(accessOf(), inProcessRunner(traceOpener(accessOf())), opts.workers ?? availableParallelism());
      inner = opts.merged ?? (opts.shard ? shardRunner(pool, opts.shard) : pool);
    }
    return inner(tasks, onDone);
  };
  const openTrace: TraceOpener = (path, o) => (opener ??= traceOpener(accessOf()))(path, o);
  const settings: ExperimentSettings = { replications: opts.replications, runner, openTrace, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) };
  return { settings, close: async () => pool?.close() };
}

/** Most simulations one command keeps at once (see src/experiments/runner.ts). */
export { MAX_SIMULATIONS } from '../experiments/runner.ts';

/**
 * Runs an experiment with a progress bar on stderr labelled `label`. Worker threads
 * leave this thread idle: the bar appears after its delay even before the first
 * simulation ends (a long replication would otherwise show nothing).
 */
async function withProgress<T>(label: string, settings: ExperimentSettings, close: () => Promise<void>, fn: (settings: ExperimentSettings) => Promise<T>, cap = 1): Promise<T> {
  const progress = progressReporter(label);
  let fraction = 0;
  const tick = setInterval(() => progress.update(fraction), 250);
  tick.unref();
  try {
    return await fn({
      ...settings,
      onProgress: (d, t) => {
        fraction = Math.min(cap, d / t);
        progress.update(fraction);
      },
    });
  } finally {
    clearInterval(tick);
    progress.done();
    await close();
  }
}

/** The replications to run: given on the command line, else the scenario's default, else 1. */
function resolveReplications<T extends { replications?: number | undefined }>(opts: T, raw: Record<string, unknown>): T & { replications: number } {
  const fromFile = typeof raw.replications === 'number' ? raw.replications : undefined;
  return { ...opts, replications: opts.replications ?? fromFile ?? 1 };
}

/**
 * Where a narrative's placeholders take their figures: `lookup` gives the number at a
 * path of one variant's result (null: that variant is not in this run), `variants` names
 * the variants the file declares (a placeholder naming another is an error).
 */
export interface NarrativeFigures {
  lookup: (path: string, variant: string | undefined) => number | null | undefined;
  variants: readonly string[];
}

/**
 * Figures for a narrative from one plain run, or from a run of one variant (`--variant`);
 * `declared`: the file's variant names when `raw` no longer lists them (--variant strips
 * them to run one as a plain run), so the others' placeholders read as dashes, not errors.
 */
export function runFigures(raw: Record<string, unknown>, result: RunResult, variant?: string, declared?: readonly string[]): NarrativeFigures {
  const names = declared ?? variantNames(raw);
  const ran = variant ?? names[0]!;
  return {
    variants: names,
    // A placeholder without a variant quotes the base; another variant than the one run, a
    // point of the file's sweep or one of its readings (this is one run, not the sweep) is a dash.
    lookup: (path, v) => (SWEEP_READINGS.has(path) ? null : (v ?? names[0]) === ran ? numberAt(result, path) : numberAt(result, path) === undefined ? undefined : null),
  };
}

/**
 * A placeholder's label: a variant's name, or a point of a sweep's curve, written
 * `variant,x=value` (or `x=value` for the first variant, `first`).
 */
export function parseLabel(label: string | undefined, first: string): { name: string; x: string | undefined } {
  if (label === undefined) return { name: first, x: undefined };
  if (label.startsWith('x=')) return { name: first, x: label.slice(2) };
  const i = label.indexOf(',x=');
  return i < 0 ? { name: label, x: undefined } : { name: label.slice(0, i), x: label.slice(i + 3) };
}

/**
 * Figures for a sweep's narrative: `{path@variant,x=value}` is a figure (mean over its
 * replications) at one point of a variant's curve (`@x=value`: the first variant's);
 * without a point, the readings of `SWEEP_READINGS`: `kneeX` and `maxXMeetingSlo` of the
 * curve, `crossings.costPerMillion` / `crossings.p99` where two variants swap places.
 */
/**
 * A sweep's narrative: its placeholders filled from the sweep's points and readings. A
 * file without `sweep:` wrote its narrative for single runs (a lesson quoting
 * `{figure@variant}`): a sweep of it on the command line has nothing to quote, so that
 * narrative is left out with a line saying where to read it, not refused after every
 * point has run. A sweep file's own narrative must fill (a wrong point is an error).
 */
function sweepNarrative(raw: Record<string, unknown>, opts: { set: readonly Override[]; seed?: Seed | undefined }, r: SweepResult, ref: string): string {
  try {
    return narrativeText(raw, opts.set, opts.seed, sweepFigures(raw, r), ref);
  } catch (e) {
    if (!(e instanceof InputError) || raw.sweep !== undefined) throw e;
    return `(The narrative of ${shownField(ref, 80)} quotes a single run's figures: \`servesim run\` shows it.)\n\n`;
  }
}

export function sweepFigures(raw: Record<string, unknown>, r: SweepResult): NarrativeFigures {
  const names = variantNames(raw);
  const readings: Record<string, (c: SweepCurve) => number | string | undefined> = {
    kneeX: (c) => c.analysis.kneeX,
    maxXMeetingSlo: (c) => c.analysis.maxXMeetingSlo,
    'crossings.costPerMillion': () => r.crossings?.costPerMillion,
    'crossings.p99': () => r.crossings?.p99,
  };
  return {
    variants: names,
    lookup: (path, label) => {
      const { name, x } = parseLabel(label, names[0]!);
      const c = r.curves.find((k) => (k.name || names[0]) === name);
      if (c === undefined) return undefined;
      if (x === undefined) {
        const reading = Object.hasOwn(readings, path) ? readings[path]!(c) : undefined;
        // A reading the sweep did not find (no knee, no point within the SLO, no crossing) reads as a dash.
        return SWEEP_READINGS.has(path) ? (typeof reading === 'number' ? reading : null) : undefined;
      }
      const point = c.points.find((p) => String(p.x) === x || (typeof p.x === 'number' && p.x === Number(x)));
      return point === undefined ? undefined : estimateAt(point.aggregate.figures, path)?.mean;
    },
  };
}

/** Figures for a narrative from aggregates (the means), by variant name; the first answers a placeholder without one. */
export function aggregateFigures(raw: Record<string, unknown>, aggregates: ReadonlyArray<{ name: string; aggregate: Aggregate }>): NarrativeFigures {
  return {
    variants: variantNames(raw),
    lookup: (path, v) => {
      const at = v === undefined ? aggregates[0] : aggregates.find((a) => a.name === v);
      const pathExists = aggregates.some((a) => estimateAt(a.aggregate.figures, path) !== undefined);
      if (at === undefined) return pathExists ? null : undefined;
      return estimateAt(at.aggregate.figures, path)?.mean;
    },
  };
}

/** The variant names a file declares, the base first. */
function variantNames(raw: Record<string, unknown>): string[] {
  return declaredVariants(raw).map((v) => v.name);
}

/**
 * A narrative with its placeholders ({latencyMs.p99@cascade|ms}) filled, or an InputError
 * naming each bad one. Without figures (a plan), a narrative may not quote any.
 */
export function filledNarrative(n: string, figures: NarrativeFigures | undefined, where = 'narrative'): string {
  if (!hasPlaceholders(n)) return n;
  const { placeholders, problems } = parsePlaceholders(n);
  if (figures === undefined) problems.push('quotes figures ({…}), but only a run, a compare or a sweep fills them, not a plan');
  for (const p of placeholders) {
    const name = p.variant === undefined || figures === undefined ? undefined : parseLabel(p.variant, figures.variants[0]!).name;
    if (name !== undefined && !figures!.variants.includes(name)) problems.push(`${p.text}: no variant "${name}" (the file has ${figures!.variants.join(', ')})`);
  }
  if (problems.length > 0 || figures === undefined) throw new InputError(problems.map((x) => `${where}: ${x}`));
  const filled = fillPlaceholders(n, figures.lookup);
  if (filled.problems.length > 0) throw new InputError(filled.problems.map((x) => `${where}: ${x}`));
  return filled.text;
}

/** A scenario's narrative, wrapped for a terminal, as the first lines of its output; placeholders filled from `figures`. */
export function narrativeText(raw: Record<string, unknown>, set: readonly Override[] = [], seed?: Seed, figures?: NarrativeFigures, ref?: string): string {
  const given = raw.narrative;
  if (typeof given !== 'string' || given.trim() === '') return '';
  const n = filledNarrative(given, figures, ref !== undefined ? `${ref}: narrative` : 'narrative');
  const changes = [...set.map((o) => shownField(`${o.path}=${typeof o.value === 'string' ? o.value : JSON.stringify(o.value)}`, Infinity)), ...(seed !== undefined ? [`seed ${seed}`] : [])];
  // The prose was written for the scenario as it is; the figures it quotes are this run's.
  const quoted = n !== given ? '; the figures it quotes are this run\'s' : ', not this run';
  const caveat = changes.length > 0 ? `(Run with ${changes.join(', ')}: the narrative below describes the scenario as written${quoted}.)\n\n` : '';
  const words = shownText(n).trim().split(/\s+/); // no control character reaches the terminal
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line.length + w.length + 1 > 92 && line !== '') {
      lines.push(line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') lines.push(line);
  return `${caveat}${lines.join('\n')}\n\n`;
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

/** Checks the replication count, whether it came from the flag or from the scenario's `replications`. */
function checkReplications(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new InputError([`--replications: expected a whole number of at least 1, got ${n}`]);
  if (n > MAX_REPLICATIONS) throw new InputError([`replications: at most ${MAX_REPLICATIONS.toLocaleString('en-US')}, got ${n} (each replication is kept in memory, about 10 KB)`]);
}

/** The scenario built (not run) in its folder, for theory's view of its stages. */
function builtSystem(scenario: Scenario, openTrace: TraceOpener): ServingSystem {
  return new ServingSystem(scenario, { openTrace });
}

/** Checks a report path before anything runs: its extension, and that its folder takes a file. */
function checkReportPath(path: string | undefined): void {
  if (path !== undefined) checkOutputFile('--report', path, ['.html', '.htm', '.md', '.markdown'], '.html or .md');
}

/**
 * Writes a report (HTML or Markdown by extension) whole: rendered first, then written
 * atomically (temp file, fsync, rename). The renderers load only when asked for (Vega
 * takes ~0.3 s to import).
 */
async function writeReport(path: string, report: Report): Promise<string> {
  const ext = extname(path).toLowerCase();
  let text: string;
  if (ext === '.html' || ext === '.htm') text = (await importHtmlReport()).renderHtml(report);
  else text = (await import('../report/markdown.ts')).renderMarkdown(report);
  writeFileAtomic(path, text);
  return `Report written to ${path}\n`;
}

const estScaled = (a: Aggregate, path: string, k: number): string => {
  const e = estimateAt(a.figures, path);
  if (e === undefined || !Number.isFinite(e.mean)) return '–';
  return fmtEstimate(e.mean * k, e.ci95 * k, fmtNum);
};

/** The compare table's columns of shares of requests within an objective, written as percentages. */
const PCT_COLUMNS = new Set([SLO.attainment.path, 'llm.slo.attainment', WAIT_SLO.attainment.path, WAIT_SLO.waitedShare.path]);
/** An estimate of a share as a percentage: "99.99% ± 0.0026%". */
const estPct = (a: Aggregate, path: string): string => {
  const e = estimateAt(a.figures, path);
  if (e === undefined || !Number.isFinite(e.mean)) return '–';
  return fmtEstimate(e.mean, e.ci95, fmtPct);
};
const est = (a: Aggregate, path: string): string => {
  const e = estimateAt(a.figures, path);
  if (e === undefined || !Number.isFinite(e.mean)) return '–';
  return fmtEstimate(e.mean, e.ci95, fmtNum);
};

/** Theory rows for one plain run (its own figures as the simulated values). */
export function theoryForRun(scenario: Scenario, openTrace: TraceOpener, result: RunResult): TheoryRow[] {
  return theoryForSystem(scenario, builtSystem(scenario, openTrace), result);
}

/** The quantity of the queue-wait rows (the other kinds' rows name theirs). */
const WAIT_QUANTITY = 'mean wait (ms)';

/** Theory rows as text under a run's tables. */
export function theoryText(rows: readonly TheoryRow[]): string {
  if (rows.length === 0) return '';
  const lines = ['', rows.every((r) => r.quantity === WAIT_QUANTITY) ? 'Theory beside simulation (mean queue wait)' : 'Theory beside simulation'];
  for (const r of rows) {
    // Rows of another quantity than the mean wait (an LLM stage's) say which, in its unit.
    const other = r.quantity !== WAIT_QUANTITY ? /^(.*) \(([^)]+)\)$/.exec(r.quantity) : null;
    const unit = other?.[2] ?? 'ms';
    const sim = Number.isFinite(r.simulated.value) ? `${fmtEstimate(r.simulated.value, r.simulated.ci95, fmtNum)} ${unit}` : '–';
    const says = Number.isFinite(r.analytic) ? `${r.model} says ${fmtNum(r.analytic)} ${unit}` : Number.isNaN(r.analytic) ? 'no closed form applies' : 'theory says the wait grows without bound';
    lines.push(`  ${r.stage}${other ? ` (${other[1]})` : ''}: ${says}, simulation ${sim}`);
    lines.push(`    ${r.note}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// run --replications

/** `servesim run --replications N`: mean and 95 % CI of every figure, sketches merged exactly. */
export async function runReplicated(ref: string, given: ExperimentOptions): Promise<string> {
  checkReportPath(given.report);
  const file = await (given.load ?? loadRawFile)(ref);
  const opts = resolveReplications(given, file.raw);
  checkReplications(opts.replications);
  const scenario = file.validate(opts.set);
  const { settings, close } = settingsFor(file, opts);
  const r = await withProgress(`running ${opts.replications} replications`, settings, close, (s) => replicate(scenario, s));
  const a = r.aggregate;
  let text = '';
  if (opts.report) {
    const report = buildReport(
      `servesim · ${scenario.name ?? ref}`,
      opts.replications > 1 ? `${opts.replications} replications of ${scenario.name ?? ref}; figures are means with 95% confidence intervals.` : `One run of ${scenario.name ?? ref} (add --replications N for confidence intervals).`,
      [{ name: scenario.name ?? ref, aggregate: a }],
      r.theory,
      r.warnings,
    );
    text += await writeReport(opts.report, report);
  }
  if (opts.json) return `${JSON.stringify(replicateJson(r), null, 2)}\n`;
  const lines = [
    `${narrativeText(file.raw, opts.set, opts.seed, aggregateFigures(file.raw, [{ name: variantNames(file.raw)[0]!, aggregate: a }]), ref)}servesim · ${scenario.name ?? ref} · ${a.replications} replications (seeds ${a.seeds[0]} …), figures as mean ± 95% confidence half-width`,
    '',
    `End-to-end latency (ms): mean ${est(a, LATENCY.mean.path)} · p50 ${est(a, LATENCY.p50.path)} · p90 ${est(a, LATENCY.p90.path)} · p99 ${est(a, LATENCY.p99.path)} · p99.9 ${est(a, LATENCY.p999.path)}`,
    `Pooled over all ${a.pooled.count.toLocaleString('en-US')} requests: p50 ${fmtNum(a.pooled.latencyMs.p50)} · p99 ${fmtNum(a.pooled.latencyMs.p99)} · p99.9 ${fmtNum(a.pooled.latencyMs.p999)} · max ${fmtNum(a.pooled.latencyMs.max)}`,
    `Throughput ${est(a, THROUGHPUT.throughputRps.path)} req/s · drop rate ${est(a, DROPS.dropRate.path)}`,
  ];
  if (a.first.slo) lines.push(`SLO ${a.first.slo.target}: attainment ${est(a, SLO.attainment.path)}`);
  if (a.first.waitSlo) lines.push(`SLO ${a.first.waitSlo.target}: attainment ${estPct(a, WAIT_SLO.attainment.path)} · P(wait > 0) ${estPct(a, WAIT_SLO.waitedShare.path)}`);
  if (a.first.cost.perHour > 0) lines.push(`Cost $/hour ${est(a, COST.perHour.path)} · $ per million requests ${est(a, COST.perMillionRequests.path)}`);
  for (const name of Object.keys(a.first.stages)) {
    lines.push(`Stage ${name}: utilization ${est(a, `stages.${name}.utilization`)} · mean wait ${est(a, `stages.${name}.queueWaitMs.mean`)} ms · p99 wait ${est(a, `stages.${name}.queueWaitMs.p99`)} ms`);
    const parts = a.first.stages[name]!.cachePartitions;
    if (parts !== undefined) {
      lines.push(`Cache partitions ${name}: ${Object.keys(parts).map((cls) => `${term(cls)} ${estPct(a, `stages.${name}.cachePartitions.${cls}.hitRatio`)} hits`).join(' · ')}`);
    }
  }
  // Request classes (issue 16): each class's latency and drops.
  for (const name of Object.keys(a.first.classes ?? {})) {
    const c = `classes.${name}`;
    lines.push(`Class ${term(name)}: mean ${est(a, `${c}.latencyMs.mean`)} ms · p99 ${est(a, `${c}.latencyMs.p99`)} ms · drop rate ${est(a, `${c}.dropRate`)} · goodput ${est(a, `${c}.goodputRps`)} req/s`);
  }
  lines.push(theoryText(r.theory));
  for (const w of r.warnings) lines.push('', `warning: ${w}`);
  return `${lines.join('\n')}\n${text}`;
}

/**
 * `servesim validate` for experiment files: the base, every variant and the sweep's
 * path and ends must all be valid (what `run` would refuse, validate refuses too).
 */
export async function validateExperiment(ref: string, set: Override[], traceRoot?: string): Promise<string> {
  const file = await loadRawFile(ref);
  const base = file.validate(set);
  const notes: string[] = [];
  // Trace files must exist, be readable, lie where the path rule allows, and start with a header and a row.
  const access = traceAccess(file, { set, traceRoot });
  // What `run` refuses while building the system (a roofline model that does not fit its
  // GPU, say) is refused here too: the system is built, not run. A trace is only checked.
  const checkTrace = (s: Scenario) => {
    if (s.arrivals.process === 'trace') checkTraceFile(access, s.arrivals.file, s.arrivals.timestamp);
    else new ServingSystem(s);
  };
  checkTrace(base);
  if (file.raw.variants !== undefined) {
    const variants = expandVariants([file], set);
    variants.forEach((v) => checkTrace(v.scenario));
    notes.push(`${variants.length - 1} variants`);
  }
  const sweep = file.raw.sweep as { vary?: string; steps?: number } | undefined;
  if (sweep?.vary !== undefined) {
    const vary = sweepValues(file, { vary: sweep.vary, steps: sweep.steps ?? 10, set });
    for (const x of [vary.values[0]!, vary.values[vary.values.length - 1]!]) checkTrace(file.validate([...set, { path: vary.path, value: x }], `sweep ${vary.path}=${x}`));
    notes.push(`a sweep of ${vary.path} over ${vary.values.length} points`);
  }
  // A narrative's placeholders: their grammar and variant names now; their paths when it runs.
  if (typeof file.raw.narrative === 'string') {
    const names = variantNames(file.raw);
    // Every figure is known only once run: the placeholders' shape and variant names are checked now.
    filledNarrative(file.raw.narrative, { variants: names, lookup: () => 0 }, `${ref}: narrative`);
  }
  const stages = `${base.stages.length} stage${base.stages.length === 1 ? '' : 's'}`;
  return `${ref}: ok (${[stages, ...notes].join(', ')})\n`;
}

// ---------------------------------------------------------------------------
// compare

/** `servesim compare`: every variant on the same random numbers; paired differences against the first. */
export async function compareCmd(refs: string[], given: ExperimentOptions): Promise<string> {
  checkReportPath(given.report);
  const files = await Promise.all(refs.map((r) => (given.load ?? loadRawFile)(r)));
  const opts = resolveReplications(given, files[0]!.raw);
  checkReplications(opts.replications);
  const variants = expandVariants(files, opts.set);
  // One runner opens every variant's traces, against the first file's folder: a trace
  // replay named by a file elsewhere would be read from the wrong folder, so refuse it.
  const elsewhere = variants.filter((v) => v.scenario.arrivals.process === 'trace' && v.source.baseDir !== variants[0]!.source.baseDir);
  if (elsewhere.length > 0) {
    throw new InputError(elsewhere.map((v) => `${v.source.ref}: replays a trace, but is not in the folder of ${variants[0]!.source.ref}: compare trace replays from one folder (or one file with variants)`));
  }
  const { settings, close } = settingsFor(variants[0]!.source, opts);
  const r = await withProgress(`comparing ${variants.length} variants`, settings, close, (s) => compare(variants, s));
  const aggs = r.variants.map((v) => v.aggregate);
  const diffs = r.differences;
  const rootSeed = r.seed;
  let text = '';
  if (opts.report) {
    const theory = variants.flatMap((v, k) => theoryOfAggregate(v.scenario, aggs[k]!, openerFor(v.source, opts)).map((t) => ({ ...t, stage: `${v.name} · ${t.stage}` })));
    const notes = diffs.flatMap((d) => d.differences.map((x) => ({ x, f: fmtDifference(x, fmtNum) })).filter(({ f }) => f.verdict === 'significant').map(({ x, f }) => `${d.name} − ${variants[0]!.name}: ${x.figure} ${f.text} (significant)`));
    const narrative = files.length === 1 && typeof files[0]!.raw.narrative === 'string' ? `${filledNarrative(files[0]!.raw.narrative.trim(), aggregateFigures(files[0]!.raw, variants.map((v, k) => ({ name: v.name, aggregate: aggs[k]! }))), `${refs[0]}: narrative`)} ` : '';
    const title = files.length === 1 && typeof files[0]!.raw.name === 'string' ? `${files[0]!.raw.name}: ` : '';
    const report = buildReport(
      `servesim compare · ${title}${variants.map((v) => v.name).join(' vs ')}`,
      `${narrative}${variants.length} variants, ${opts.replications} replications each on common random numbers (the same arrivals, users and attributes); differences are paired, against ${variants[0]!.name}.`,
      variants.map((v, k) => ({ name: v.name, aggregate: aggs[k]! })),
      theory,
      notes,
    );
    text += await writeReport(opts.report, report);
  }
  if (opts.json) return `${JSON.stringify(compareJson(r), null, 2)}\n`;
  const lines = [`${files.length === 1 ? narrativeText(files[0]!.raw, opts.set, opts.seed, aggregateFigures(files[0]!.raw, variants.map((v, k) => ({ name: v.name, aggregate: aggs[k]! }))), refs[0]) : ''}servesim compare · ${opts.replications} replication${opts.replications === 1 ? '' : 's'} per variant on common random numbers (seed ${rootSeed})${latencySlo(variants[0]!.scenario.slo) ? ` · SLO ${latencySlo(variants[0]!.scenario.slo)!.target}` : ''}${waitSlo(variants[0]!.scenario.slo) ? ` · SLO ${waitSlo(variants[0]!.scenario.slo)!.target}` : ''}`, ''];
  const has = (path: string) => aggs.some((a) => Number.isFinite(estimateAt(a.figures, path)?.mean ?? NaN) && (estimateAt(a.figures, path)?.mean ?? 0) !== 0);
  // Columns shown when some variant has the figure; freshness reads in hours.
  const allExtra: Array<[string, string]> = [
    ...[REQUESTS.timedOut, SLO.attainment, QUALITY.quality, FRESHNESS.meanS, COVERAGE.coverage, DEGRADED.degradedShare, RETRIES.attemptRatePerRequest].map((d): [string, string] => [
      d === FRESHNESS.meanS ? 'freshness h' : columnHeader(d),
      d.path,
    ]),
    // LLM stages (the run's llm section): the token-level objectives and the cost per token.
    ['TTFT p99 ms', 'llm.ttftMs.p99'],
    ['TPOT p99 ms', 'llm.tpotMs.p99'],
    ['TTFT+TPOT met', 'llm.slo.attainment'],
    ['$/M out tokens', 'llm.cost.perMillionOutputTokensUsd'],
    // A waiting-time objective: the share within the wait, end to end, and P(wait > 0).
    [columnHeader(WAIT_SLO.attainment), WAIT_SLO.attainment.path],
    [columnHeader(WAIT_SLO.waitedShare), WAIT_SLO.waitedShare.path],
  ];
  const extraCols = allExtra.filter(([, p]) => has(p));
  const cols = ['variant', ...[LATENCY.p50, LATENCY.p99, THROUGHPUT.throughputRps, DROPS.dropRate, COST.perMillionRequests].map((d) => columnHeader(d, true)), ...extraCols.map(([c]) => c)];
  const rows = variants.map((v, k) => [
    v.name,
    est(aggs[k]!, LATENCY.p50.path),
    est(aggs[k]!, LATENCY.p99.path),
    est(aggs[k]!, THROUGHPUT.throughputRps.path),
    est(aggs[k]!, DROPS.dropRate.path),
    (estimateAt(aggs[k]!.figures, COST.perHour.path)?.mean ?? 0) > 0 ? est(aggs[k]!, COST.perMillionRequests.path) : '–',
    // Shares of requests within an objective read as percentages (0.99997 is 99.99%, never a rounded-up 1.00).
    ...extraCols.map(([c, p]) => (c === 'freshness h' ? estScaled(aggs[k]!, p, 1 / 3600) : PCT_COLUMNS.has(p) ? estPct(aggs[k]!, p) : est(aggs[k]!, p))),
  ]);
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  lines.push(cols.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  for (const r of rows) lines.push(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  for (const d of diffs) {
    lines.push('', `${d.name} minus ${variants[0]!.name} (paired, 95% CI):`);
    for (const x of d.differences) {
      const { text: diffText, verdict } = fmtDifference(x, fmtNum);
      lines.push(`  ${x.figure.padEnd(24)} ${diffText}  ${verdict}`);
    }
  }
  // A kind's own theory (an LLM stage's sizing: alone, saturation, Little) is what such a
  // comparison is read against; queue-wait rows stay in the report only, as before.
  const theory = variants.flatMap((v, k) => theoryOfAggregate(v.scenario, aggs[k]!, openerFor(v.source, opts)).map((t) => ({ ...t, stage: `${v.name} · ${t.stage}` })));
  if (theory.some((t) => t.quantity !== WAIT_QUANTITY)) lines.push(theoryText(theory));
  // Each configuration's warnings (an overloaded stage, a short span, pooled LLM figures), as a plain run prints them.
  const warned = new Map<string, string[]>();
  for (const [k, v] of variants.entries()) for (const w of aggs[k]!.first.warnings) warned.set(w, [...(warned.get(w) ?? []), v.name]);
  for (const [w, names] of warned) lines.push('', `warning (${names.join(', ')}): ${w}`);
  if (opts.replications < 2) lines.push('', 'note: with one replication there is no interval; use --replications 10 or more to judge significance.');
  return `${lines.join('\n')}\n${text}`;
}

// ---------------------------------------------------------------------------
// sweep

/** The progress bar's label of a sweep; a bad --vary or --set is left for the sweep itself to report. */
function sweepLabel(file: RawFile, opts: ExperimentOptions & { vary: string; steps: number; grid?: string[] }): string {
  if (opts.grid !== undefined) return `sweeping ${opts.grid.length + 1} values together`;
  try {
    const vary = sweepValues(file, opts);
    return `sweeping ${vary.path} over ${vary.values.length} points`;
  } catch (err) {
    if (err instanceof InputError) return 'sweeping';
    throw err;
  }
}

/**
 * `servesim sweep`: the latency–throughput curve over a varied value, its knee, and the
 * highest load within the SLO; for every variant when the file declares some (all on
 * the same random numbers), with where their cost and p99 orders cross.
 */
export async function sweepCmd(ref: string, given: ExperimentOptions & { vary: string; steps: number; grid?: string[] }): Promise<string> {
  if (given.grid !== undefined && given.shard !== undefined) throw new InputError([`--shard with several --vary: a grid sweep is not split into parts yet; run it whole, or one sweep per listed value`]);
  checkReportPath(given.report);
  const file = await (given.load ?? loadRawFile)(ref);
  const opts = resolveReplications(given, file.raw);
  checkReplications(opts.replications);
  const { settings, close } = settingsFor(file, opts);
  const r = await withProgress(sweepLabel(file, opts), settings, close, (s) => sweep(file, { vary: opts.vary, steps: opts.steps, set: opts.set, ...(opts.grid !== undefined ? { grid: opts.grid } : {}) }, s));
  const vary = { path: r.vary, values: r.values };
  const curves = r.curves;
  const crossings = r.crossings;
  const n = vary.values.length;
  const slo = latencySlo(r.slo);
  // An LLM scenario's TTFT/TPOT objectives (plan-objective.ts): their p99s and the verdict per point.
  const tokenObjective = slo === null && r.slo !== null ? planObjective(undefined, r.slo) : undefined;
  const llmObjective = tokenObjective !== undefined && typeof tokenObjective !== 'string' && tokenObjective.latencyOnly === null ? tokenObjective : undefined;
  let text = '';
  if (opts.report) {
    const label = (c: (typeof curves)[number], x: number | string) => `${c.name ? `${c.name} ` : ''}${r.grid ? x : `${vary.path}=${x}`}`;
    const theoryAt = curves.map((c) => c.points.map((p) => theoryOfAggregate(p.scenario!, p.aggregate, openerFor(file, opts))));
    const report = buildReport(
      `servesim sweep · ${vary.path}`,
      `${vary.path} from ${vary.values[0]} to ${vary.values[n - 1]} in ${n} points, ${opts.replications} replication(s) each${curves.length > 1 ? `, for ${curves.length} variants` : ''}.`,
      curves.flatMap((c) => c.points.map((p) => ({ name: label(c, p.x), aggregate: p.aggregate }))),
      curves.flatMap((c, k) => c.points.flatMap((p, i) => theoryAt[k]![i]!.map((t) => ({ ...t, stage: `${label(c, p.x)} · ${t.stage}` })))),
      curves.map((c) => (r.grid ? `${c.name || 'sweep'}: cheapest meeting the objective: ${c.analysis.cheapestMeetingSlo ?? '–'}` : `${c.name || 'sweep'}: knee at ${c.analysis.kneeX ?? '–'}; highest value within the SLO: ${c.analysis.maxXMeetingSlo ?? '–'}`)),
    );
    report.sweep = sweepSection(vary.path, curves, theoryAt);
    text += await writeReport(opts.report, report);
  }
  if (opts.json) return `${JSON.stringify(sweepJson(r), null, 2)}\n`;
  // A narrative quoting a run's figures (a lesson's) has none to quote in a sweep: it is left out, not refused.
  // The narrative's placeholders quote this sweep's points ({path@variant,x=value}) and readings ({kneeX@variant}).
  const lines = [`${sweepNarrative(file.raw, opts, r, ref)}servesim sweep · ${vary.path} · ${opts.replications} replication(s) per point`];
  // A grid (several --vary: GPU × TP × weights, issue 15): one row per combination, the cheapest meeting the objective marked.
  if (r.grid) return `${[...lines, ...sweepGridLines(r)].join('\n')}\n${text}`;
  const anyCost = curves.some((c) => c.points.some((p) => (estimateAt(p.aggregate.figures, COST.perHour.path)?.mean ?? 0) > 0));
  // LLM scenarios (issue 14): TTFT/TPOT p99, the share meeting both objectives, $/M output tokens (src/cli/llm-sweep.ts).
  const llm = llmSweepColumns(curves.flatMap((c) => c.points.map((p) => p.aggregate)));
  for (const c of curves) {
    lines.push('');
    if (c.name) lines.push(`${c.name}:`);
    // The LLM columns, then the verdict on the scenario's TTFT/TPOT objectives (at the stricter percentile).
    const cols = [
      vary.path,
      ...[THROUGHPUT.throughputRps, LATENCY.p50, LATENCY.p99, DROPS.dropRate, ...(anyCost ? [COST.perMillionRequests] : [])].map((d) => columnHeader(d, true)),
      ...(slo ? [`SLO ${slo.target}`] : []),
      ...llm.columns,
      ...(llmObjective ? [llmObjective.target] : []),
    ];
    const rows = c.points.map((p) => {
      const att = estimateAt(p.aggregate.figures, SLO.attainment.path)?.mean ?? NaN;
      return [
        String(p.x),
        est(p.aggregate, THROUGHPUT.throughputRps.path),
        est(p.aggregate, LATENCY.p50.path),
        est(p.aggregate, LATENCY.p99.path),
        est(p.aggregate, DROPS.dropRate.path),
        ...(anyCost ? [est(p.aggregate, COST.perMillionRequests.path)] : []),
        ...(slo ? [att >= slo.fraction ? `met (${formatFigure(SLO.attainment, att)})` : `missed (${formatFigure(SLO.attainment, att)})`] : []),
        ...llm.cells(p.aggregate),
        ...(llmObjective ? [meetsObjective(p.aggregate.figures, llmObjective.checks) ? 'met' : 'missed'] : []),
      ];
    });
    const widths = cols.map((col, i) => Math.max(col.length, ...rows.map((r) => r[i]!.length)));
    lines.push(cols.map((col, i) => col.padEnd(widths[i]!)).join('  ').trimEnd());
    for (const r of rows) lines.push(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
    // A point whose offered load exceeds a stage's capacity has no steady state: its p99 measures the run's length.
    const overloaded = c.points.filter((p) => p.aggregate.first.warnings.some((w) => w.includes(' is overloaded: ')));
    if (overloaded.length > 0) {
      const all = overloaded.length === c.points.length;
      lines.push(`${all ? 'Every point is' : `${overloaded.length} of ${c.points.length} points are`} overloaded (${vary.path} = ${overloaded.map((p) => p.x).join(', ')}): arrivals reach or exceed a stage's capacity, so those latencies grow with the run's length, not a steady state.`);
    }
    if (c.analysis.kneeX !== undefined) lines.push(`Knee of the p99 curve at ${vary.path} = ${c.analysis.kneeX} (Kneedle: beyond it, latency climbs faster than the load).`);
    else if (typeof vary.values[0] === 'number' && overloaded.length < c.points.length) lines.push(`The p99 does not rise by half over this range: no knee.`);
    const target = slo?.target ?? llmObjective?.target;
    if (target !== undefined) lines.push(c.analysis.maxXMeetingSlo !== undefined ? `Highest ${vary.path} that still meets ${target}: ${c.analysis.maxXMeetingSlo}` : `No point meets ${target}.`);
  }
  if (crossings) {
    const [a, b] = [curves[0]!.name, curves[1]!.name];
    lines.push('');
    lines.push(crossings.costPerMillion !== undefined ? `Cost per million requests: ${a} and ${b} swap places at ${vary.path} = ${crossings.costPerMillion}.` : `Cost per million requests: the order of ${a} and ${b} does not change over this range.`);
    if (crossings.p99 !== undefined) lines.push(`p99: ${a} and ${b} swap places at ${vary.path} = ${crossings.p99}.`);
  }
  if (!slo && !llmObjective) lines.push('', llm.columns.length > 0 ? '(the LLM objectives are in the columns; a latency objective, slo: { latency: "p99 < 10s" }, would also find the highest value that meets it)' : '(add an slo: to the scenario to find the highest value that meets it)');
  return `${lines.join('\n')}\n${text}`;
}

// ---------------------------------------------------------------------------
// plan

function whyFails(p: PlanPoint, target: string, fraction: number, objective?: PlanObjective): string {
  if (p.doesNotFit !== undefined) return `skipped, not simulated: ${p.doesNotFit.message}`;
  if (p.aggregate === undefined) {
    const cause = p.overloaded!.split('. ')[0]!.replace(' is overloaded: ', ': ');
    return `refused as overloaded, ${cause}, so its queue grows for as long as arrivals last (not simulated)`;
  }
  const att = estimateAt(p.aggregate.figures, SLO.attainment.path)?.mean ?? NaN;
  if (p.overloaded === undefined && objective !== undefined && objective.latencyOnly === null) {
    // Objectives beyond the end-to-end latency (an LLM scenario's TTFT and TPOT, a waiting-time one): each share against its need.
    return `${objective.checks.some((c) => c.path.startsWith('llm.')) ? llmFigures(p.aggregate) : `p99 ${est(p.aggregate, LATENCY.p99.path)} ms`}, ${objective.checks.map((c) => `${fmtPct(estimateAt(p.aggregate!.figures, c.path)?.mean ?? NaN)} of requests ${c.within} (needs ${fmtPct(c.fraction)})`).join(', ')} for ${target}${stoppedText(p)}`;
  }
  if (p.overloaded === undefined) return `p99 ${est(p.aggregate, LATENCY.p99.path)} ms, ${formatFigure(SLO.attainment, att)} of requests within target (needs ${fmtPct(fraction)} for ${target})${stoppedText(p)}`;
  // The warning's first sentence names the stage and its load; the rest is advice for a plain run.
  const cause = p.overloaded.split('. ')[0]!.replace(' is overloaded: ', ': ');
  return `refused as overloaded, ${cause}, so its latency grows with the run's length (this finite run measured p99 ${est(p.aggregate, LATENCY.p99.path)} ms, ${formatFigure(SLO.attainment, att)} within target)`;
}

/** An LLM stage's objectives as measured: TTFT and TPOT p99. */
function llmFigures(a: Aggregate): string {
  return `TTFT p99 ${est(a, 'llm.ttftMs.p99')} ms · TPOT p99 ${est(a, 'llm.tpotMs.p99')} ms`;
}

/** For a probe stopped early: when, and why its verdict was already decided. */
function stoppedText(p: PlanPoint): string {
  const e = p.earlyStop;
  if (e === undefined) return '';
  return `; stopped at ${fmtNum(e.atS)} s of simulated time, ${fmtPct(e.share)} of its requests finished, the verdict ${e.rule === 'certain' ? 'certain' : 'decided at 95%'}: ${e.reason}`;
}

/** What the closed forms, the overload refusals and the early stops saved; nothing when none applied. */
function planShortcutLines(result: PlanResult): string[] {
  const lines: string[] = [];
  const path = result.count.path;
  for (const c of result.perCombination) {
    const k = c.bracket;
    if (k === undefined) continue;
    const where = Object.keys(c.assignment).length > 0 ? ` (${describeAssignment(c.assignment)})` : '';
    lines.push(
      `Closed forms${where}, ${k.formula}: stable from ${path}=${k.stable}; the waits alone need at least ${k.lowerBound}; the whole latency ${k.estimate}. Tried first: ${k.estimate}${k.estimate - 1 >= k.stable ? ` and ${k.estimate - 1}` : ''}.`,
    );
  }
  if (result.refused.length > 0) {
    const counts = result.refused.map((p) => Number(p.assignment[path])).sort((a, b) => a - b);
    lines.push(`${result.refused.length} configuration(s) refused as overloaded without simulation (${path} = ${counts.join(', ')}).`);
  }
  const early = result.evaluated.filter((p) => p.earlyStop !== undefined);
  if (early.length > 0) {
    const certain = early.filter((p) => p.earlyStop!.rule === 'certain').length;
    lines.push(`${early.length} simulation(s) stopped early once their verdict was decided (${certain} certain, ${early.length - certain} at 95%).`);
  }
  return lines;
}

/** `servesim plan`: the cheapest configuration meeting an SLO at a load, found by bisection on counts. */
export async function planCmd(ref: string, given: ExperimentOptions & { slo?: string; qps?: number; vary: string[]; fullBisection?: boolean; statisticalStop?: boolean }): Promise<string> {
  checkReportPath(given.report);
  const file = await loadRawFile(ref);
  const opts = resolveReplications(given, file.raw);
  checkReplications(opts.replications);
  if (opts.workers !== undefined && opts.workers <= 1 && opts.replications <= 1) {
    throw new InputError([`--workers ${opts.workers} with one replication: plan runs probes on worker threads with --workers 2 or more, or replications with --replications N`]);
  }
  if (opts.shard) throw new InputError(['--shard: plan bisects, so each step depends on the last; split a plan by running one per listed choice (e.g. one per --vary stages.x.hardware=...) instead']);
  const { settings, close } = settingsFor(file, opts);
  // Bisection's steps depend on each other: no bar per batch, one for the plan (kept below 100 % until it ends).
  const result = await withProgress('planning', settings, close, (s) =>
      plan(
        file,
        {
          ...(opts.slo !== undefined ? { slo: opts.slo } : {}),
          ...(opts.qps !== undefined ? { qps: opts.qps } : {}),
          vary: opts.vary,
          set: opts.set,
          ...(opts.replications <= 1 && opts.workers !== undefined ? { parallel: opts.workers } : {}),
          ...(opts.fullBisection ? { fullBisection: true } : {}),
          ...(opts.statisticalStop ? { statisticalStop: true } : {}),
        },
        s,
      ),
    0.95,
  );
  const slo = result.slo;
  const count = result.count;
  const perCountRange = Math.ceil(Math.log2(count.hi! - count.lo! + 1)) + 1;
  let text = '';
  if (opts.report) {
    const tradeoff: TradeoffPoint[] = result.evaluated.map((p) => ({
      label: describeAssignment(p.assignment),
      costPerHourUsd: p.cost,
      p99Ms: estimateAt(p.aggregate!.figures, LATENCY.p99.path)?.mean ?? NaN,
      meetsSlo: p.meets,
      chosen: p === result.best,
    }));
    const shown = [result.best, result.nextCheaper].filter((p): p is PlanPoint & { aggregate: Aggregate } => p?.aggregate !== undefined);
    const theory = result.best?.aggregate && result.bestScenario ? theoryOfAggregate(result.bestScenario, result.best.aggregate, openerFor(file, opts)) : [];
    const report = buildReport(
      `servesim plan · ${slo.target}${opts.qps !== undefined ? ` at ${opts.qps} QPS` : ''}`,
      result.best ? `Cheapest configuration meeting ${slo.target}: ${describeAssignment(result.best.assignment)}.` : `No configuration in the ranges meets ${slo.target}.`,
      shown.map((p) => ({ name: describeAssignment(p.assignment), aggregate: p.aggregate })),
      theory,
      [`${result.evaluated.length} configurations simulated (bisection: at most ${perCountRange} per combination).`],
      tradeoff,
    );
    text += await writeReport(opts.report, report);
  }
  if (opts.json) return `${JSON.stringify(planJson(result), null, 2)}\n`;
  const lines = [`servesim plan · ${slo.target}${opts.qps !== undefined ? ` at ${opts.qps} QPS` : ''} · ${opts.replications} replication(s) per configuration`, ''];
  // A plan over an LLM fleet's choices (GPU, TP, weights: issue 15) reads as one table, the cheapest marked.
  const table = wantsPlanTable(result);
  const costText = (p: PlanPoint) => (result.costIsReplicas ? `${p.cost} replicas (no hardware priced)` : `${fmtUsd(p.cost)}/hour (${fmtUsd(p.cost * 730)}/month)`);
  if (result.best === undefined) {
    lines.push(`No configuration in the ranges meets ${slo.target}.`);
    if (table) lines.push('', ...planTableLines(result));
    else for (const c of result.perCombination) lines.push(`  ${describeAssignment(c.largestTried.assignment)}: ${whyFails(c.largestTried, slo.target, slo.fraction, result.objective)}`);
  } else {
    const b = result.best;
    const ba = b.aggregate!; // the best configuration met the SLO, so it was simulated
    lines.push(`Cheapest: ${describeAssignment(b.assignment)} at ${costText(b)}`);
    const util = estimateAt(ba.figures, `stages.${count.path.split('.')[1]}.utilization`)?.mean ?? NaN;
    if (result.objective.latencyOnly === null) {
      const shares = result.objective.checks.map((c) => `${fmtPct(estimateAt(ba.figures, c.path)?.mean ?? NaN)} ${c.within}`).join(' · ');
      const perM = estimateAt(ba.figures, 'llm.cost.perMillionOutputTokensUsd')?.mean;
      lines.push(`  ${result.objective.checks.some((c) => c.path.startsWith('llm.')) ? llmFigures(ba) : `p50 ${est(ba, LATENCY.p50.path)} ms · p99 ${est(ba, LATENCY.p99.path)} ms`} · ${shares} · ${fmtPct(util)} busy${perM !== undefined && Number.isFinite(perM) ? ` · ${fmtUsd(perM)} per million output tokens` : ''}`);
    } else lines.push(`  p50 ${est(ba, LATENCY.p50.path)} ms · p99 ${est(ba, LATENCY.p99.path)} ms · ${formatFigure(SLO.attainment, estimateAt(ba.figures, SLO.attainment.path)?.mean ?? NaN)} within target · ${fmtPct(util)} busy`);
    if (b.earlyStop) lines.push(`  (${stoppedText(b).slice(2)})`);
    if (result.nextCheaper) lines.push(`One fewer (${describeAssignment(result.nextCheaper.assignment)}) fails: ${whyFails(result.nextCheaper, slo.target, slo.fraction, result.objective)}`);
    else lines.push(`(${count.lo} is the bottom of the range: nothing cheaper was tried)`);
    if (table) lines.push('', ...planTableLines(result));
    else for (const c of result.perCombination) {
      if (c.minimum === b) continue;
      lines.push(c.minimum ? `Also: ${describeAssignment(c.minimum.assignment)} meets it at ${costText(c.minimum)}` : `${describeAssignment(c.largestTried.assignment)} cannot meet it: ${whyFails(c.largestTried, slo.target, slo.fraction, result.objective)}`);
    }
  }
  lines.push('', `${result.evaluated.length} configurations simulated: bisection on ${count.path} (${count.lo}..${count.hi}) needs at most ${perCountRange} per combination instead of ${count.hi! - count.lo! + 1}.`);
  lines.push(...planShortcutLines(result));
  return `${lines.join('\n')}\n${text}`;
}
