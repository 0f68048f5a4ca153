import { InputError } from '../config/errors.ts';
import { applyOverrides, type Override } from '../config/overrides.ts';
import { COST } from '../models/metrics/run-cost.ts';
import { LATENCY } from '../models/metrics/run-latency.ts';
import { SLO } from '../models/metrics/run-slo.ts';
import type { Scenario } from '../config/schema.ts';
import { aggregate, estimateAt, type Aggregate, type RunEstimates } from './aggregate.ts';
import { checkReplications, rootSeed, runConfigurations, type ExperimentSettings } from './runner.ts';
import { declaredVariants, type ScenarioSource } from './variants.ts';
import { combinations, parseVary, type Vary } from './vary.ts';
import { deploymentFit, gridLabel, type DoesNotFit } from './llm-grid.ts';
import { meetsObjective, planObjective } from './plan-objective.ts';

/** One point of a sweep: the varied value and what replications of it gave. */
export interface SweepPoint {
  x: number | string;
  aggregate: Aggregate;
  /** The configuration the point ran (for theory beside it; not in the JSON contract). */
  scenario?: Scenario;
  /** In a grid sweep (several `--vary`), the value of each varied path; `x` is its label. */
  assignment?: Record<string, number | string>;
}

/** A grid point not simulated: its configuration cannot be deployed (`llm-grid.ts`). */
export interface SweepSkipped {
  x: string;
  assignment: Record<string, number | string>;
  doesNotFit: DoesNotFit;
}

/** A sweep's reading: the knee of the latency curve and the highest load within the SLO. */
export interface SweepAnalysis {
  /** The point where p99 turns upward (Kneedle: furthest below the chord, after normalising both axes). */
  kneeX: number | string | undefined;
  /** The highest x whose SLO was met (attainment ≥ the objective), when the scenario has one. */
  maxXMeetingSlo: number | string | undefined;
  sloTarget: string | undefined;
  /** In a grid sweep: the point meeting the objective at the lowest hourly cost (priced points only when any is priced); undefined otherwise. */
  cheapestMeetingSlo?: number | string | undefined;
}

/**
 * Reads a sweep ordered by x. The knee follows Kneedle (Satopää et al., 2011): with x
 * and p99 scaled to [0, 1], the knee of an increasing convex curve is the point
 * farthest below the straight line from the first point to the last, read on the
 * running maximum of the p99 (none when the p99 does not rise by half over the range:
 * a near-straight line has no knee). The highest load within the SLO is the
 * highest point whose SLO was met.
 */
export function analyseSweep(points: readonly SweepPoint[]): SweepAnalysis {
  const numeric = points.every((p) => typeof p.x === 'number');
  let kneeX: number | string | undefined;
  const p99s = points.map((p) => estimateAt(p.aggregate.figures, LATENCY.p99.path)?.mean ?? NaN);
  // A knee only makes sense on a curve that rises: a p99 that stays flat or falls has none.
  const rises = p99s.length >= 3 && p99s[p99s.length - 1]! > 1.5 * Math.min(...p99s);
  if (numeric && rises) {
    const xs = points.map((p) => p.x as number);
    // Kneedle assumes a monotone curve: the running maximum keeps sampling noise in a
    // flat stretch (a saturated pool whose p99 sits at its deadline) from making its
    // last point look like a knee when it falls a fraction of a percent below an earlier one.
    let top = -Infinity;
    const ys = p99s.map((y) => (top = Math.max(top, y)));
    const [x0, x1] = [xs[0]!, xs[xs.length - 1]!];
    const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
    let best = -Infinity;
    xs.forEach((x, i) => {
      const xn = (x - x0) / (x1 - x0 || 1);
      const yn = (ys[i]! - y0) / (y1 - y0 || 1);
      const gap = xn - yn;
      if (gap > best) {
        best = gap;
        kneeX = x;
      }
    });
  }
  // The highest value whose SLO is met (points in increasing order of x).
  let maxX: number | string | undefined;
  let target: string | undefined;
  for (const p of points) {
    // An LLM scenario's TTFT/TPOT objectives: met when the goodput share reaches the stricter percentile (plan-objective.ts).
    const token = p.scenario !== undefined ? planObjective(undefined, p.scenario.slo) : undefined;
    if (token !== undefined && typeof token !== 'string' && token.latencyOnly === null) {
      target = token.target;
      if (meetsObjective(p.aggregate.figures, token.checks)) maxX = p.x;
      continue;
    }
    const slo = p.aggregate.first.slo;
    if (slo === null) break;
    target = slo.target;
    const att = estimateAt(p.aggregate.figures, SLO.attainment.path)?.mean ?? NaN;
    if (att >= sloFraction(slo.target)) maxX = p.x;
  }
  return { kneeX, maxXMeetingSlo: maxX, sloTarget: target };
}

/** The share an SLO target asks for, from its normalised text "p99.9 < 100ms". */
export function sloFraction(target: string): number {
  const m = /^p([0-9.]+)/.exec(target);
  return m ? Number(m[1]) / 100 : NaN;
}

/** One configuration's curve over the swept values ('' names the only one of a file without variants). */
export interface SweepCurve {
  name: string;
  points: SweepPoint[];
  analysis: SweepAnalysis;
  /** In a grid sweep: the points skipped because they cannot be deployed. */
  skipped?: SweepSkipped[];
}

/** Where the first two configurations' order flips along the sweep (undefined: it never does). */
export interface SweepCrossings {
  costPerMillion: number | string | undefined;
  p99: number | string | undefined;
}

/** A sweep: one curve per configuration, and their crossings when there are two or more. */
export interface SweepResult {
  /** The varied path (`arrivals.qps`). */
  vary: string;
  values: Array<number | string>;
  replications: number;
  /** The base scenario's SLO (null when it has none). */
  slo: Scenario['slo'] | null;
  curves: SweepCurve[];
  crossings: SweepCrossings | undefined;
  /** Every varied path when the sweep is a grid (several `--vary`; `vary` then joins them with " × "). */
  grid?: string[];
}

/** One curve as `sweep --json` prints it. */
export interface SweepCurveJson {
  points: Array<{ x: number | string; figures: RunEstimates; assignment?: Record<string, number | string> }>;
  analysis: SweepAnalysis;
  /** In a grid sweep: the configurations that cannot be deployed (not simulated). */
  doesNotFit?: SweepSkipped[];
}

/** What `sweep --json` prints for a file with variants: every variant's curve and their crossings. */
export interface SweepVariantsJson {
  vary: string;
  replications: number;
  variants: Array<{ name: string } & SweepCurveJson>;
  crossings: SweepCrossings | undefined;
}

/** What `sweep --json` prints: one curve's points, or every variant's (`'variants' in json` tells which); `grid` lists the varied paths of a grid sweep. */
export type SweepJson = (({ vary: string; replications: number } & SweepCurveJson) | SweepVariantsJson) & { grid?: string[] };

/** What to sweep: `path=lo..hi` over `steps` points (or `path=a,b,c`), after `set`. */
export interface SweepSpec {
  vary: string;
  steps: number;
  set?: readonly Override[];
  /**
   * More values to vary (issue 15: `llm.gpu=h200,h100-sxm`, `llm.tp=1,2`): the sweep
   * visits every combination with `vary` (a grid), skipping those that cannot be
   * deployed, and names each point by its values.
   */
  grid?: readonly string[];
}

/** Where the first two variants' order on `path` flips along a sweep (e.g. GPU cheaper per request from this load on). */
function crossover(xs: ReadonlyArray<number | string>, a: readonly Aggregate[], b: readonly Aggregate[], path: string): number | string | undefined {
  let prev: number | undefined;
  for (let i = 0; i < xs.length; i++) {
    const va = estimateAt(a[i]!.figures, path)?.mean ?? NaN;
    const vb = estimateAt(b[i]!.figures, path)?.mean ?? NaN;
    const d = vb - va;
    if (!Number.isFinite(d)) continue;
    // Within 0.5 % the two are tied: noise must not read as a crossing.
    const sign = Math.abs(d) <= 0.005 * Math.max(Math.abs(va), Math.abs(vb)) ? 0 : Math.sign(d);
    if (prev !== undefined && sign !== 0 && sign !== prev) return xs[i];
    if (sign !== 0) prev = sign;
  }
  return undefined;
}

/** The path and values a sweep visits: its `vary` read against the scenario after `set` (a typo gets the closest path). */
export function sweepValues(source: ScenarioSource, spec: SweepSpec): Vary {
  const raw = structuredClone(source.raw);
  applyOverrides(raw, spec.set ?? []);
  return parseVary(spec.vary, raw, spec.steps);
}

/**
 * Sweeps one value of a scenario: the latency–throughput curve, its knee and the
 * highest value within the SLO, for every declared variant (all on the same random
 * numbers), with where the first two variants' cost and p99 orders cross.
 */
export async function sweep(source: ScenarioSource, spec: SweepSpec, settings: ExperimentSettings = {}): Promise<SweepResult> {
  if (spec.grid !== undefined && spec.grid.length > 0) return sweepGrid(source, spec, settings);
  const replications = checkReplications(settings.replications ?? 1);
  const set = spec.set ?? [];
  const base = source.validate(set);
  const vary = sweepValues(source, spec);
  const raw = structuredClone(source.raw);
  applyOverrides(raw, set);
  const declared = declaredVariants(raw);
  const named = declared.length > 1;
  const scenarios: Scenario[] = [];
  for (const v of declared) {
    for (const x of vary.values) {
      scenarios.push(source.validate([...set, ...v.changes, { path: vary.path, value: x }], `${named ? `variants.${v.name}, ` : ''}--vary ${vary.path}=${x}`));
    }
  }
  const runs = await runConfigurations(scenarios, replications, rootSeed(settings.seed, base), settings);
  const n = vary.values.length;
  const curves = declared.map((v, k): SweepCurve => {
    const points: SweepPoint[] = vary.values.map((x, i) => ({ x, aggregate: aggregate(runs[k * n + i]!), scenario: scenarios[k * n + i]! }));
    return { name: named ? v.name : '', points, analysis: analyseSweep(points) };
  });
  const [a, b] = curves.map((c) => c.points.map((p) => p.aggregate));
  const crossings = a && b ? { costPerMillion: crossover(vary.values, a, b, COST.perMillionRequests.path), p99: crossover(vary.values, a, b, LATENCY.p99.path) } : undefined;
  return { vary: vary.path, values: vary.values, replications, slo: base.slo ?? null, curves, crossings };
}

/**
 * A sweep over every combination of several values (`vary` and `grid`), for every
 * declared variant, on the same random numbers: combinations that cannot be deployed
 * (`deploymentFit`) are listed, not run; each curve names its cheapest point meeting the
 * objective (by hourly cost, as `plan` chooses).
 */
async function sweepGrid(source: ScenarioSource, spec: SweepSpec, settings: ExperimentSettings): Promise<SweepResult> {
  const replications = checkReplications(settings.replications ?? 1);
  const set = spec.set ?? [];
  const base = source.validate(set);
  const raw = structuredClone(source.raw);
  applyOverrides(raw, set);
  const varies = [spec.vary, ...spec.grid!].map((v) => parseVary(v, raw, spec.steps));
  const paths = varies.map((v) => v.path);
  const repeated = paths.find((p, i) => paths.indexOf(p) !== i);
  if (repeated !== undefined) throw new InputError([`--vary ${repeated}: given twice; give each path once with all its values`]);
  const combos = combinations(varies);
  const declared = declaredVariants(raw);
  const named = declared.length > 1;
  const planned = declared.map((v) => {
    const ran: Array<{ x: string; assignment: Record<string, number | string>; scenario: Scenario }> = [];
    const skipped: SweepSkipped[] = [];
    for (const a of combos) {
      const x = gridLabel(paths, a);
      const s = source.validate([...set, ...v.changes, ...Object.entries(a).map(([path, value]) => ({ path, value }))], `${named ? `variants.${v.name}, ` : ''}--vary ${x}`);
      const unfit = deploymentFit(s);
      if (unfit !== undefined) skipped.push({ x, assignment: a, doesNotFit: unfit });
      else ran.push({ x, assignment: a, scenario: s });
    }
    return { v, ran, skipped };
  });
  const runs = await runConfigurations(planned.flatMap((p) => p.ran.map((r) => r.scenario)), replications, rootSeed(settings.seed, base), settings);
  let k = 0;
  const curves = planned.map(({ v, ran, skipped }): SweepCurve => {
    const points: SweepPoint[] = ran.map((r) => ({ x: r.x, aggregate: aggregate(runs[k++]!), scenario: r.scenario, assignment: r.assignment }));
    // Points named by their values have no order: no knee, no "highest value within the SLO"; the cheapest meeting it instead.
    return { name: named ? v.name : '', points, analysis: { ...analyseSweep(points), kneeX: undefined, maxXMeetingSlo: undefined, cheapestMeetingSlo: cheapestMeeting(points) }, skipped };
  });
  return { vary: paths.join(' × '), values: combos.map((a) => gridLabel(paths, a)), replications, slo: base.slo ?? null, curves, crossings: undefined, grid: paths };
}

/** Whether a point meets its scenario's objective (a latency SLO, or an LLM scenario's TTFT/TPOT: `plan-objective.ts`). */
function pointMeets(p: SweepPoint): boolean {
  const o = p.scenario !== undefined ? planObjective(undefined, p.scenario.slo) : undefined;
  return o !== undefined && typeof o !== 'string' && meetsObjective(p.aggregate.figures, o.checks) && !p.aggregate.first.warnings.some((w) => w.includes(' is overloaded: '));
}

/** The point meeting the objective at the lowest hourly cost (among priced points when any is priced; the first of a tie). */
function cheapestMeeting(points: readonly SweepPoint[]): number | string | undefined {
  const cost = (p: SweepPoint) => estimateAt(p.aggregate.figures, COST.perHour.path)?.mean ?? 0;
  const meeting = points.filter(pointMeets);
  const priced = meeting.some((p) => cost(p) > 0) ? meeting.filter((p) => cost(p) > 0) : meeting;
  let best: SweepPoint | undefined;
  for (const p of priced) if (best === undefined || cost(p) < cost(best)) best = p;
  return best?.x;
}

/** The JSON contract of a sweep result (what `sweep --json` prints). */
export function sweepJson(r: SweepResult): SweepJson {
  const curve = (c: SweepCurve): SweepCurveJson => ({
    points: c.points.map((p) => ({ x: p.x, figures: p.aggregate.figures as RunEstimates, ...(p.assignment ? { assignment: p.assignment } : {}) })),
    analysis: c.analysis,
    ...(c.skipped !== undefined ? { doesNotFit: c.skipped } : {}),
  });
  const body = r.curves.length === 1 ? curve(r.curves[0]!) : { variants: r.curves.map((c) => ({ name: c.name, ...curve(c) })), crossings: r.crossings };
  return { vary: r.vary, replications: r.replications, ...body, ...(r.grid ? { grid: r.grid } : {}) };
}
