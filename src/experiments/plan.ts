import { InputError } from '../config/errors.ts';
import { applyOverrides, type Override } from '../config/overrides.ts';
import type { Scenario } from '../config/schema.ts';
import { parseSlo, type Slo } from '../config/slo.ts';
import { aggregate, estimateAt, type Aggregate, type RunEstimates } from './aggregate.ts';
import { checkReplications, rootSeed, runConfigurations, type ExperimentSettings } from './runner.ts';
import type { ScenarioSource } from './variants.ts';
import { parseVary, type Vary } from './vary.ts';

/** One configuration the planner simulated. */
export interface PlanPoint {
  assignment: Record<string, number | string>;
  aggregate: Aggregate;
  meets: boolean;
  /**
   * Why the configuration was refused whatever its measured attainment: the overload
   * warning of a stage that cannot keep up with an unbounded queue (its figures depend
   * on the run length). Undefined when not overloaded.
   */
  overloaded?: string;
  /** Hourly bill of the configuration (USD); the replica count when no hardware is priced. */
  cost: number;
}

/** The bisection's answer with its evidence. */
export interface PlanSearch {
  /** The cheapest configuration meeting the SLO, or undefined when none in the ranges does. */
  best: PlanPoint | undefined;
  /** The same configuration with one replica fewer (it fails: that is why `best` is the minimum). */
  nextCheaper: PlanPoint | undefined;
  /** The minimum found for each combination of the listed values (or its failure at the top of the range). */
  perCombination: Array<{ assignment: Record<string, number | string>; minimum: PlanPoint | undefined; largestTried: PlanPoint }>;
  /** Every configuration simulated (each with its replications). */
  evaluated: PlanPoint[];
  /** True when cost is the replica count because no stage names hardware. */
  costIsReplicas: boolean;
}

/** Runs the replications of one configuration. */
export type Evaluate = (assignment: Record<string, number | string>) => Promise<Aggregate>;

function combinations(lists: readonly Vary[]): Array<Record<string, number | string>> {
  let out: Array<Record<string, number | string>> = [{}];
  for (const v of lists) out = out.flatMap((a) => v.values.map((x) => ({ ...a, [v.path]: x })));
  return out;
}

/**
 * The cheapest configuration that meets the SLO. For each combination of the listed
 * values, the smallest count in the range that meets it is found by bisection, since
 * more replicas never make the latency worse (monotone): ⌈log2(range)⌉ + 1
 * simulations per combination instead of one per count. A configuration meets the SLO
 * when the share of requests within the target, averaged over replications, reaches
 * the objective's share.
 */
export async function planCheapest(count: Vary, lists: readonly Vary[], sloFraction: number, evaluate: Evaluate): Promise<PlanSearch> {
  const evaluated: PlanPoint[] = [];
  let costIsReplicas = false;
  const cache = new Map<string, PlanPoint>();
  const at = async (assignment: Record<string, number | string>): Promise<PlanPoint> => {
    const key = JSON.stringify(assignment);
    const hit = cache.get(key);
    if (hit) return hit;
    const aggregate = await evaluate(assignment);
    const att = estimateAt(aggregate.figures, 'slo.attainment')?.mean ?? NaN;
    let cost = estimateAt(aggregate.figures, 'cost.perHour')?.mean ?? 0;
    if (!(cost > 0)) {
      costIsReplicas = true;
      cost = Number(assignment[count.path]);
    }
    // A configuration that cannot keep up (an overloaded pool with an unbounded queue)
    // fails whatever a finite run measured: its latency only grows with run length.
    const overloaded = aggregate.first.warnings.find((w) => w.includes('is overloaded'));
    const p: PlanPoint = { assignment, aggregate, meets: att >= sloFraction && overloaded === undefined, cost, ...(overloaded !== undefined ? { overloaded } : {}) };
    cache.set(key, p);
    evaluated.push(p);
    return p;
  };
  const perCombination: PlanSearch['perCombination'] = [];
  for (const combo of combinations(lists)) {
    let lo = count.lo!;
    let hi = count.hi!;
    const top = await at({ ...combo, [count.path]: hi });
    if (!top.meets) {
      perCombination.push({ assignment: combo, minimum: undefined, largestTried: top });
      continue;
    }
    // Invariant: hi meets; everything below lo fails (or lo is the range's start).
    let best = top;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const p = await at({ ...combo, [count.path]: mid });
      if (p.meets) {
        hi = mid;
        best = p;
      } else lo = mid + 1;
    }
    perCombination.push({ assignment: combo, minimum: best, largestTried: top });
  }
  const feasible = perCombination.map((c) => c.minimum).filter((p): p is PlanPoint => p !== undefined);
  feasible.sort((a, b) => a.cost - b.cost);
  const best = feasible[0];
  let nextCheaper: PlanPoint | undefined;
  if (best !== undefined && Number(best.assignment[count.path]) > count.lo!) {
    nextCheaper = await at({ ...best.assignment, [count.path]: Number(best.assignment[count.path]) - 1 });
  }
  return { best, nextCheaper, perCombination, evaluated, costIsReplicas };
}

/** What to plan: an SLO (`"p99 < 100ms"`), optionally at a load, sizing one count (`path=lo..hi`) over lists (`path=a,b`). */
export interface PlanSpec {
  slo: string;
  /** Sets `arrivals.qps`. */
  qps?: number;
  vary: readonly string[];
  set?: readonly Override[];
}

/** A plan: the cheapest configuration meeting the SLO, the evidence, and what it was asked. */
export interface PlanResult extends PlanSearch {
  slo: Slo;
  qps: number | null;
  replications: number;
  /** The count bisected (its path and range). */
  count: Vary;
  /** The scenario of `best` as simulated (undefined when nothing meets the SLO). */
  bestScenario: Scenario | undefined;
}

/** One configuration as `plan --json` prints it. */
export interface PlanPointJson {
  assignment: Record<string, number | string>;
  meets: boolean;
  overloaded?: string;
  /** Null when no stage names hardware (cost is then the replica count). */
  costPerHourUsd: number | null;
  figures: RunEstimates;
}

/** What `plan --json` prints. */
export interface PlanJson {
  slo: string;
  qps: number | null;
  replications: number;
  best: PlanPointJson | null;
  nextCheaper: PlanPointJson | null;
  perCombination: Array<{ assignment: Record<string, number | string>; minimum: PlanPointJson | null }>;
  simulations: number;
}

/** Describes an assignment as `path=value, path=value`. */
export function describeAssignment(a: Record<string, number | string>): string {
  return Object.entries(a)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/**
 * Finds the cheapest configuration of a scenario that meets an SLO: the one count
 * given as a whole-number range is bisected for each combination of the listed
 * values (see `planCheapest`); every configuration runs `replications` times on the
 * same seeds. Progress is reported against an estimate of the simulations needed.
 */
export async function plan(source: ScenarioSource, spec: PlanSpec, settings: ExperimentSettings = {}): Promise<PlanResult> {
  const replications = checkReplications(settings.replications ?? 1);
  const slo = parseSlo(spec.slo);
  if (typeof slo === 'string') throw new InputError([`--slo: ${slo}`]);
  const extra: Override[] = [...(spec.set ?? []), { path: 'slo', value: spec.slo }];
  if (spec.qps !== undefined) {
    if (!(spec.qps > 0)) throw new InputError([`--qps: expected a rate above 0, got ${spec.qps}`]);
    extra.push({ path: 'arrivals.qps', value: spec.qps });
  }
  const base = source.validate(extra);
  const raw = structuredClone(source.raw);
  applyOverrides(raw, extra);
  if (spec.vary.length === 0) throw new InputError(['plan needs --vary <path>=lo..hi for a count to size (e.g. --vary stages.ranker.replicas=1..256)']);
  const varies = spec.vary.map((v) => parseVary(v, raw, 2));
  const counts = varies.filter((v) => v.integerRange);
  const lists = varies.filter((v) => !v.integerRange);
  if (counts.length !== 1) throw new InputError([`plan sizes exactly one count: give one --vary path=lo..hi with whole numbers (got ${counts.length}), and lists (a,b,c) for the rest`]);
  const count = counts[0]!;
  const seed = rootSeed(settings.seed, base);
  // Bisection: the top of the range, then at most ⌈log2(range)⌉ halvings and the next-cheaper check, per combination.
  const estimate = (Math.ceil(Math.log2(count.hi! - count.lo! + 1)) + 2) * Math.max(1, lists.reduce((n, l) => n * l.values.length, 1));
  const inner: ExperimentSettings = { ...settings };
  delete inner.onProgress;
  let sims = 0;
  const scenarios = new Map<string, Scenario>();
  const search = await planCheapest(count, lists, slo.fraction, async (a) => {
    sims++;
    settings.onProgress?.(sims, estimate);
    const s = source.validate([...extra, ...Object.entries(a).map(([path, value]) => ({ path, value }))], describeAssignment(a));
    scenarios.set(JSON.stringify(a), s);
    const [runs] = await runConfigurations([s], replications, seed, inner);
    return aggregate(runs!);
  });
  const bestScenario = search.best ? scenarios.get(JSON.stringify(search.best.assignment)) : undefined;
  return { ...search, slo, qps: spec.qps ?? null, replications, count, bestScenario };
}

/** The JSON contract of a plan result (what `plan --json` prints). */
export function planJson(r: PlanResult): PlanJson {
  const pt = (p: PlanPoint | undefined): PlanPointJson | null =>
    p ? { assignment: p.assignment, meets: p.meets, ...(p.overloaded !== undefined ? { overloaded: p.overloaded } : {}), costPerHourUsd: r.costIsReplicas ? null : p.cost, figures: p.aggregate.figures as RunEstimates } : null;
  return { slo: r.slo.target, qps: r.qps, replications: r.replications, best: pt(r.best), nextCheaper: pt(r.nextCheaper), perCombination: r.perCombination.map((c) => ({ assignment: c.assignment, minimum: pt(c.minimum) })), simulations: r.evaluated.length };
}
