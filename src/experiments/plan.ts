import { InputError } from '../config/errors.ts';
import { COST } from '../models/metrics/run-cost.ts';
import { SLO } from '../models/metrics/run-slo.ts';
import { applyOverrides, type Override } from '../config/overrides.ts';
import type { Scenario } from '../config/schema.ts';
import type { Slo } from '../config/slo.ts';
import { aggregate, estimateAt, type Aggregate, type RunEstimates } from './aggregate.ts';
import { checkReplications, inProcessRunner, replicationSeed, rootSeed, type ExperimentSettings, type RunTask } from './runner.ts';
import { ServingSystem } from '../models/index.ts';
import { stageShapes } from './theory.ts';
import { earlyStopSpec } from './early-stop.ts';
import { planBracket, type PoolShape } from './plan-bracket.ts';
import type { ScenarioSource } from './variants.ts';
import type { EarlyStopOutcome } from './early-stop.ts';
import type { PlanBracket } from './plan-bracket.ts';
import { combinations, parseVary, type Vary } from './vary.ts';
import { meetsObjective, planObjective, type AttainmentCheck, type PlanObjective } from './plan-objective.ts';
import { resolveScenario } from '../config/resolve.ts';
import { deploymentFit, pricePerReplicaSet, type DoesNotFit } from './llm-grid.ts';

/** One configuration the planner tried: simulated, or refused without simulation. */
export interface PlanPoint {
  assignment: Record<string, number | string>;
  /** The replications' figures; undefined when the configuration was refused without simulation (`overloaded` says why). */
  aggregate?: Aggregate;
  meets: boolean;
  /**
   * Why the configuration was refused whatever its measured attainment: the overload
   * warning of a stage that cannot keep up with an unbounded queue (its figures depend
   * on the run length). Undefined when not overloaded.
   */
  overloaded?: string;
  /** Hourly bill of the configuration (USD); the replica count when no hardware is priced. */
  cost: number;
  /** Set when the probe stopped before the end of its run because its verdict was already decided (`early-stop.ts`). */
  earlyStop?: EarlyStopOutcome;
  /** Set when the configuration cannot be deployed (its model does not fit its GPUs, say): skipped without simulation, its cost NaN. */
  doesNotFit?: DoesNotFit;
}

/** The bisection's answer with its evidence. */
export interface PlanSearch {
  /** The cheapest configuration meeting the SLO, or undefined when none in the ranges does. */
  best: PlanPoint | undefined;
  /** The same configuration with one replica fewer (it fails: that is why `best` is the minimum). */
  nextCheaper: PlanPoint | undefined;
  /** The minimum found for each combination of the listed values (or its failure at the top of the range). */
  perCombination: Array<{
    assignment: Record<string, number | string>;
    minimum: PlanPoint | undefined;
    /** The top of the range as tried; for a combination that does not fit, a point not simulated carrying `doesNotFit`. */
    largestTried: PlanPoint;
    bracket?: PlanBracket;
    /** Why the combination was skipped without simulation (`llm-grid.ts`); undefined when it was searched. */
    doesNotFit?: DoesNotFit;
  }>;
  /** Every configuration simulated (each with its replications). */
  evaluated: PlanPoint[];
  /** Configurations refused as overloaded without simulation. */
  refused: PlanPoint[];
  /** True when cost is the replica count because no stage names hardware. */
  costIsReplicas: boolean;
}

/** A probe's outcome: its replications' figures, and why it stopped early if it did. */
export interface ProbeOutcome {
  aggregate: Aggregate;
  earlyStop?: EarlyStopOutcome;
}

/** Runs the replications of one configuration. */
export type Evaluate = (assignment: Record<string, number | string>) => Promise<Aggregate | ProbeOutcome>;

/** What speeds a search up; without any of it `planCheapest` is the plain bisection. */
export interface PlanSearchOptions {
  /** Why a configuration cannot meet the SLO before any simulation (an overload), or undefined. Must be monotone: fewer replicas are refused too. */
  refuse?: (assignment: Record<string, number | string>) => { overloaded: string; cost: number } | undefined;
  /** The closed forms' bracket for one combination, or undefined where they do not apply. */
  bracket?: (combo: Record<string, number | string>, lo: number, hi: number) => PlanBracket | undefined;
  /** Probes to run at once (worker threads); default 1. */
  parallel?: number;
  /** Runs several configurations at once (one batch for the worker pool); default: `evaluate` on each. */
  evaluateMany?: (assignments: Array<Record<string, number | string>>) => Promise<Array<Aggregate | ProbeOutcome>>;
  /** The shares a configuration must reach (`plan-objective.ts`); default: `slo.attainment` at least `sloFraction`. */
  checks?: readonly AttainmentCheck[];
  /** Why a combination of the listed values cannot be deployed at any count (`deploymentFit`), or undefined: such a combination is skipped, not searched. */
  skip?: (combo: Record<string, number | string>) => DoesNotFit | undefined;
}

/** The `parallel` counts splitting the open interval (fail, pass) evenly (bisection's midpoint for one). */
function splitPoints(fail: number, pass: number, parallel: number): number[] {
  const lo = fail + 1;
  const n = pass - lo; // candidates lo..pass−1
  const out = new Set<number>();
  for (let i = 1; i <= parallel; i++) out.add(lo + Math.floor((i * n) / (parallel + 1)));
  return [...out].filter((c) => c > fail && c < pass);
}

/**
 * The cheapest configuration that meets the SLO. For each combination of the listed
 * values, the smallest count in the range that meets it, since more replicas never make
 * the latency worse (monotone). The search keeps the largest count known to fail and the
 * smallest known to meet, and narrows the gap until they are neighbours: the answer is
 * then certified by its own run and by the failing run one below it.
 * - Counts `refuse` rejects (an overloaded stage) fail without simulation; the smallest
 *   count it accepts is found first, by bisection on `refuse` alone (the bracket starts there).
 * - Where closed forms apply (`bracket`), their estimate and the count below it are tried
 *   first: two simulations when the theory is right. Otherwise (and if it is wrong) the
 *   top of the range is tried first, then the gap is split.
 * - With `parallel` > 1, that many counts run at once, splitting the gap evenly.
 * Plain bisection takes ⌈log2(range)⌉ + 1 simulations per combination.
 */
export async function planCheapest(count: Vary, lists: readonly Vary[], sloFraction: number, evaluate: Evaluate, options: PlanSearchOptions = {}): Promise<PlanSearch> {
  const evaluated: PlanPoint[] = [];
  const refusedPoints: PlanPoint[] = [];
  let costIsReplicas = false;
  const cache = new Map<string, PlanPoint>();
  const parallel = Math.max(1, Math.floor(options.parallel ?? 1));
  const many = options.evaluateMany ?? ((as) => Promise.all(as.map((a) => evaluate(a))));
  const checks = options.checks ?? [{ path: SLO.attainment.path, fraction: sloFraction, within: 'within target' }];
  const refusedAt = (assignment: Record<string, number | string>): PlanPoint | undefined => {
    const key = JSON.stringify(assignment);
    const hit = cache.get(key);
    if (hit) return hit.aggregate === undefined ? hit : undefined;
    const r = options.refuse?.(assignment);
    if (r === undefined) return undefined;
    const p: PlanPoint = { assignment, meets: false, overloaded: r.overloaded, cost: r.cost };
    cache.set(key, p);
    refusedPoints.push(p);
    return p;
  };
  const record = (assignment: Record<string, number | string>, out: Aggregate | ProbeOutcome): PlanPoint => {
    const aggregate = 'aggregate' in out ? out.aggregate : out;
    const earlyStop = 'aggregate' in out ? out.earlyStop : undefined;
    let cost = estimateAt(aggregate.figures, COST.perHour.path)?.mean ?? 0;
    if (!(cost > 0)) {
      costIsReplicas = true;
      cost = Number(assignment[count.path]);
    }
    // A configuration that cannot keep up (an overloaded pool with an unbounded queue)
    // fails whatever a finite run measured: its latency only grows with run length.
    const overloaded = aggregate.first.warnings.find((w) => w.includes('is overloaded'));
    const meets = (earlyStop !== undefined ? earlyStop.meets : meetsObjective(aggregate.figures, checks)) && overloaded === undefined;
    const p: PlanPoint = { assignment, aggregate, meets, cost, ...(overloaded !== undefined ? { overloaded } : {}), ...(earlyStop !== undefined ? { earlyStop } : {}) };
    cache.set(JSON.stringify(assignment), p);
    evaluated.push(p);
    return p;
  };
  /** The points at these assignments: cached, refused, or simulated together in one batch. */
  const atAll = async (assignments: Array<Record<string, number | string>>): Promise<PlanPoint[]> => {
    const todo = assignments.filter((a) => !cache.has(JSON.stringify(a)) && refusedAt(a) === undefined);
    const outs = todo.length > 0 ? await many(todo) : [];
    todo.forEach((a, i) => record(a, outs[i]!));
    return assignments.map((a) => cache.get(JSON.stringify(a))!);
  };
  const at = async (a: Record<string, number | string>): Promise<PlanPoint> => (await atAll([a]))[0]!;

  const perCombination: PlanSearch['perCombination'] = [];
  for (const combo of combinations(lists)) {
    const withCount = (c: number) => ({ ...combo, [count.path]: c });
    const lo0 = count.lo!;
    const hi = count.hi!;
    const unfit = options.skip?.(combo);
    if (unfit !== undefined) {
      perCombination.push({ assignment: combo, minimum: undefined, largestTried: { assignment: withCount(hi), meets: false, cost: NaN, doesNotFit: unfit }, doesNotFit: unfit });
      continue;
    }
    // The smallest count not refused (refusal is monotone: fewer replicas, more load).
    let a = lo0;
    let b = hi + 1;
    if (options.refuse) {
      while (a < b) {
        const m = Math.floor((a + b) / 2);
        if (options.refuse(withCount(m)) === undefined) b = m;
        else a = m + 1;
      }
    } else a = lo0;
    const bracket = a <= hi ? options.bracket?.(combo, a, hi) : undefined;
    // Invariant: every count ≤ fail fails (or is below the range); every count ≥ pass meets (pass = hi + 1: unknown).
    // Without a bracket the search visits the plain bisection's counts (refusing, not
    // simulating, the overloaded ones among them): a noisy, non-monotone attainment (per-replica
    // queues under random routing) then still gives the plain bisection's answer.
    let fail = bracket ? a - 1 : lo0 - 1;
    let pass = hi + 1;
    const queue = bracket ? [bracket.estimate, bracket.estimate - 1] : [];
    while (pass - fail > 1) {
      let probes = queue.splice(0).filter((c) => c > fail && c < pass && c <= hi);
      if (probes.length === 0) probes = pass > hi ? [hi, ...(parallel > 1 ? splitPoints(fail, hi, parallel - 1) : [])] : splitPoints(fail, pass, parallel);
      probes = [...new Set(probes)];
      if (parallel === 1 && probes.length > 1) {
        // One at a time: the rest wait for the first's verdict.
        queue.push(...probes.slice(1));
        probes = probes.slice(0, 1);
      }
      const points = await atAll(probes.map(withCount));
      const results = probes.map((c, i) => ({ c, meets: points[i]!.meets })).sort((x, y) => x.c - y.c);
      for (const r of results) {
        if (r.meets) pass = Math.min(pass, r.c);
        else fail = Math.max(fail, r.c);
      }
      if (fail >= pass) {
        // Noise broke monotonicity (a count failed above one that met): trust the failure, search above it.
        pass = hi + 1;
        for (let c = hi; c > fail; c--) if (cache.get(JSON.stringify(withCount(c)))?.meets) pass = c;
      }
    }
    if (pass > hi) {
      const top = cache.get(JSON.stringify(withCount(hi))) ?? (await at(withCount(hi)));
      perCombination.push({ assignment: combo, minimum: undefined, largestTried: top, ...(bracket ? { bracket } : {}) });
      continue;
    }
    const best = cache.get(JSON.stringify(withCount(pass)))!;
    const top = cache.get(JSON.stringify(withCount(hi))) ?? best;
    perCombination.push({ assignment: combo, minimum: best, largestTried: top, ...(bracket ? { bracket } : {}) });
  }
  const feasible = perCombination.map((c) => c.minimum).filter((p): p is PlanPoint => p !== undefined);
  feasible.sort((a, b) => a.cost - b.cost);
  const best = feasible[0];
  let nextCheaper: PlanPoint | undefined;
  if (best !== undefined && Number(best.assignment[count.path]) > count.lo!) {
    nextCheaper = await at({ ...best.assignment, [count.path]: Number(best.assignment[count.path]) - 1 });
  }
  return { best, nextCheaper, perCombination, evaluated, refused: refusedPoints, costIsReplicas };
}

/** What to plan: an SLO (`"p99 < 100ms"`), optionally at a load, sizing one count (`path=lo..hi`) over lists (`path=a,b`). */
export interface PlanSpec {
  /** The objective; when absent, the scenario's own `slo:` (an LLM scenario's TTFT and TPOT: `plan-objective.ts`). */
  slo?: string;
  /** Sets `arrivals.qps`. */
  qps?: number;
  /**
   * One count to size (`stages.llm.replicas=1..16`) and lists to choose among
   * (`stages.x.hardware=a,b`); `llm.<key>` names the one LLM stage's roofline key
   * (`llm.gpu=h200,l4`, `llm.tp=1,2`, `llm.weights=bf16,fp8`, `llm.replicas=1..16`:
   * `llm-grid.ts`). A combination that cannot be deployed is skipped (`doesNotFit`).
   */
  vary: readonly string[];
  set?: readonly Override[];
  /** Probes run at once (on the runner's worker threads) when each has one replication; default 1. */
  parallel?: number;
  /**
   * The plain bisection, every probe simulated to its end: no closed-form bracket, no
   * early stop (overloaded configurations are still refused: they fail either way).
   * For checking the shortcuts; default false.
   */
  fullBisection?: boolean;
  /**
   * Also stop a probe once its verdict is likely at 95 % (rule 2 of `early-stop.ts`,
   * from half its run on) besides when it is certain (rule 1, always on). Off by default:
   * a heavy-tailed service can turn a verdict in the last part of a run
   * (test/experiments/plan-shortcuts.test.ts shows one), so the answer may then differ
   * from the full bisection's.
   */
  statisticalStop?: boolean;
}

/** A plan: the cheapest configuration meeting the SLO, the evidence, and what it was asked. */
export interface PlanResult extends PlanSearch {
  /** The objective's target and percentile; `latencyS` is NaN when it is not an end-to-end latency (an LLM scenario's TTFT and TPOT). */
  slo: Slo;
  /** What a configuration must meet, in full (`plan-objective.ts`). */
  objective: PlanObjective;
  qps: number | null;
  replications: number;
  /** The count bisected (its path and range). */
  count: Vary;
  /** The scenario of `best` as simulated (undefined when nothing meets the SLO). */
  bestScenario: Scenario | undefined;
  /** The listed values chosen among (`--vary path=a,b`), in the order given. */
  lists: Vary[];
}

/** How a configuration of a plan's grid fared. */
export type PlanVerdict = 'cheapest' | 'meets' | 'misses' | 'overloaded' | 'does not fit' | 'cannot split' | 'no price';

/**
 * One combination of the listed values as a row (`plan --json`'s `configurations`, the
 * table of an LLM plan): its fewest replicas meeting the objective and their figures, or,
 * when no count in the range meets it, the top of the range's; nulls where a figure does
 * not apply (no LLM stage, no price, not simulated).
 */
export interface PlanConfigurationJson {
  /** The listed values (without the count). */
  assignment: Record<string, number | string>;
  /** The count the row's figures are at: the fewest that meets, else the top of the range; null when skipped. */
  count: number | null;
  meets: boolean;
  verdict: PlanVerdict;
  costPerHourUsd: number | null;
  perMillionOutputTokensUsd: number | null;
  ttftP99Ms: number | null;
  tpotP99Ms: number | null;
  /** Time-averaged share of KV blocks in use (mean over replicas). */
  kvUtilization: number | null;
  /** End-to-end p99 (ms). */
  p99Ms: number | null;
  /** Why it was skipped without simulation. */
  doesNotFit?: DoesNotFit;
}

/** One configuration as `plan --json` prints it. */
export interface PlanPointJson {
  assignment: Record<string, number | string>;
  meets: boolean;
  overloaded?: string;
  /** Null when no stage names hardware (cost is then the replica count). */
  costPerHourUsd: number | null;
  /** The replications' figures; `{}` for a configuration refused without simulation. */
  figures: RunEstimates | Record<string, never>;
  /** False when the configuration was refused as overloaded without simulation (absent when simulated). */
  simulated?: false;
  /** When the probe stopped before its run's end: its verdict was decided (its figures cover the run up to then). */
  earlyStop?: EarlyStopOutcome;
}

/** What `plan --json` prints. */
export interface PlanJson {
  slo: string;
  qps: number | null;
  replications: number;
  best: PlanPointJson | null;
  nextCheaper: PlanPointJson | null;
  perCombination: Array<{ assignment: Record<string, number | string>; minimum: PlanPointJson | null; closedForms?: PlanBracket; doesNotFit?: DoesNotFit }>;
  simulations: number;
  /** Configurations refused as overloaded without simulation. */
  refusedWithoutSimulation: number;
  /** Simulations stopped before their run's end because their verdict was decided. */
  stoppedEarly: number;
  /** With listed values: one row per combination, cheapest meeting first, then those that miss, then those skipped (`planConfigurations`). */
  configurations?: PlanConfigurationJson[];
}

/** Describes an assignment as `path=value, path=value`. */
export function describeAssignment(a: Record<string, number | string>): string {
  return Object.entries(a)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/**
 * Which combinations of a plan's lists are skipped: those that cannot be deployed
 * (`deploymentFit`: the model does not fit, or the TP cannot split it), and, when some
 * are priced, those whose hardware has no price (cost would compare dollars with
 * replica counts). `at` gives a combination's scenario (at any count: fit does not depend on it).
 */
function gridSkips(combos: ReadonlyArray<Record<string, number | string>>, at: (combo: Record<string, number | string>) => Scenario): (combo: Record<string, number | string>) => DoesNotFit | undefined {
  const found = new Map<string, DoesNotFit | undefined>();
  const prices = new Map<string, number>();
  for (const c of combos) {
    const fit = deploymentFit(at(c));
    found.set(JSON.stringify(c), fit);
    if (fit === undefined) prices.set(JSON.stringify(c), pricePerReplicaSet(at(c)));
  }
  if ([...prices.values()].some((p) => p > 0)) {
    for (const [key, price] of prices) {
      if (price > 0) continue;
      const unpriced = resolveScenario(at(JSON.parse(key) as Record<string, number | string>)).stages.filter((st) => st.hardware === null).map((st) => st.name);
      found.set(key, { stage: unpriced.join(', '), kind: 'unpriced', gpusPerReplica: null, message: `no on-demand price for the hardware of ${unpriced.join(', ')} in the catalog, while other configurations are priced: their costs would not compare` });
    }
  }
  return (combo) => found.get(JSON.stringify(combo));
}

/** The overload warning of a scenario, read without running it, and its hourly bill at its replica counts. */
function staticReading(s: Scenario): { overloaded: string | undefined; usdPerHour: number; sys: ServingSystem | undefined } {
  // A trace's rate is known only from its file (and the run): nothing to refuse up front.
  if (s.arrivals.process === 'trace') return { overloaded: undefined, usdPerHour: 0, sys: undefined };
  const sys = new ServingSystem(s);
  const overloaded = sys.result().warnings.find((w) => w.includes('is overloaded'));
  const usdPerHour = sys.built.reduce((sum, b) => sum + (b.desc.hardware?.entry.usdPerHour ?? 0) * b.stage.replicas, 0);
  return { overloaded, usdPerHour, sys };
}

/**
 * The closed forms' shape of a scenario whose only stage is the one sized (`path` is
 * `stages.<name>.replicas`): one shared FIFO queue, no batching, no bound, no deadline,
 * nothing in front, a known arrival scv and a constant mean rate; undefined otherwise.
 */
function poolShape(s: Scenario, sys: ServingSystem, path: string): PoolShape | undefined {
  if (s.retry !== undefined) return undefined;
  const { shapes, arrivalScv } = stageShapes(sys);
  const st = shapes[0];
  if (shapes.length !== 1 || sys.stages.length !== 1 || st === undefined || path !== `stages.${st.name}.replicas`) return undefined;
  if (st.routing !== 'shared' || st.maxBatch !== 1 || st.fanout || st.boundedQueue || st.deadline || st.filtered || st.scv === undefined || arrivalScv === undefined) return undefined;
  const lambda = st.loadOver(0, Infinity).rateRps;
  const replicas = sys.stages[0]!.replicas;
  if (!(lambda > 0) || !Number.isFinite(lambda) || !(st.meanS > 0) || replicas < 1) return undefined;
  return { lambda, meanS: st.meanS, scvService: st.scv, scvArrivals: arrivalScv, serversPerReplica: st.servers / replicas };
}

/**
 * Finds the cheapest configuration of a scenario that meets an SLO: the one count
 * given as a whole-number range is searched for each combination of the listed values
 * (see `planCheapest`); every configuration runs `replications` times on the same
 * seeds. Before simulating, configurations whose load reaches a stage's capacity are
 * refused, and where the closed forms apply (`plan-bracket.ts`) their estimate is tried
 * first; with one replication a probe stops as soon as its verdict is decided
 * (`early-stop.ts`). Progress is reported against an estimate of the simulations needed.
 */
export async function plan(source: ScenarioSource, spec: PlanSpec, settings: ExperimentSettings = {}): Promise<PlanResult> {
  const replications = checkReplications(settings.replications ?? 1);
  const objective = planObjective(spec.slo, spec.slo === undefined ? source.validate(spec.set ?? []).slo : undefined);
  if (typeof objective === 'string') throw new InputError([objective]);
  const fraction = Math.max(...objective.checks.map((c) => c.fraction));
  const slo: Slo = objective.latencyOnly ?? { target: objective.target, latencyS: NaN, fraction };
  // A given --slo replaces the scenario's; without one the scenario's stands as written.
  const extra: Override[] = [...(spec.set ?? []), ...(spec.slo !== undefined ? [{ path: 'slo', value: spec.slo }] : [])];
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
  const full = spec.fullBisection === true;
  // Bisection: the top of the range, then at most ⌈log2(range)⌉ halvings and the next-cheaper check, per combination.
  const estimate = (Math.ceil(Math.log2(count.hi! - count.lo! + 1)) + 2) * Math.max(1, lists.reduce((n, l) => n * l.values.length, 1));
  let sims = 0;
  const scenarios = new Map<string, Scenario>();
  const scenarioAt = (a: Record<string, number | string>): Scenario => {
    const key = JSON.stringify(a);
    let s = scenarios.get(key);
    if (s === undefined) {
      s = source.validate([...extra, ...Object.entries(a).map(([path, value]) => ({ path, value }))], describeAssignment(a));
      scenarios.set(key, s);
    }
    return s;
  };
  const runner = settings.runner ?? inProcessRunner(settings.openTrace);
  const evaluateMany = async (as: Array<Record<string, number | string>>): Promise<ProbeOutcome[]> => {
    const tasks: RunTask[] = [];
    for (const a of as) {
      const s = scenarioAt(a);
      // Early stop decides one run's own verdict; over several replications the verdict is their mean's.
      const rule = replications === 1 && !full && objective.latencyOnly !== null ? earlyStopSpec(s, objective.latencyOnly, spec.statisticalStop === true) : undefined;
      for (let i = 0; i < replications; i++) tasks.push({ scenario: s, seed: replicationSeed(seed, i), ...(rule ? { earlyStop: rule } : {}) });
    }
    const runs = await runner(tasks);
    sims += as.length;
    settings.onProgress?.(Math.min(sims, estimate), estimate);
    return as.map((_, k) => {
      const mine = runs.slice(k * replications, (k + 1) * replications);
      const stop = mine[0]?.earlyStop;
      return { aggregate: aggregate(mine), ...(stop !== undefined ? { earlyStop: stop } : {}) };
    });
  };
  const statics = new Map<string, ReturnType<typeof staticReading>>();
  const staticAt = (a: Record<string, number | string>) => {
    const key = JSON.stringify(a);
    let r = statics.get(key);
    if (r === undefined) {
      r = staticReading(scenarioAt(a));
      statics.set(key, r);
    }
    return r;
  };
  const skip = lists.length > 0 ? gridSkips(combinations(lists), (combo) => scenarioAt({ ...combo, [count.path]: count.hi! })) : undefined;
  const search = await planCheapest(count, lists, slo.fraction, async (a) => (await evaluateMany([a]))[0]!, {
    evaluateMany,
    ...(skip ? { skip } : {}),
    checks: objective.checks,
    parallel: replications === 1 ? (spec.parallel ?? 1) : 1,
    refuse: (a) => {
      const r = staticAt(a);
      return r.overloaded === undefined ? undefined : { overloaded: r.overloaded, cost: r.usdPerHour > 0 ? r.usdPerHour : Number(a[count.path]) };
    },
    ...(full
      ? {}
      : {
          bracket: (combo: Record<string, number | string>, lo: number, hi: number) => {
            const a = { ...combo, [count.path]: hi };
            const sys = staticAt(a).sys;
            const shape = sys ? poolShape(scenarioAt(a), sys, count.path) : undefined;
            return shape && objective.latencyOnly !== null ? planBracket(shape, lo, hi, objective.latencyOnly.latencyS, objective.latencyOnly.fraction) : undefined;
          },
        }),
  });
  const bestScenario = search.best ? scenarios.get(JSON.stringify(search.best.assignment)) : undefined;
  return { ...search, slo, objective, qps: spec.qps ?? null, replications, count, bestScenario, lists };
}

/** The JSON contract of a plan result (what `plan --json` prints). */
export function planJson(r: PlanResult): PlanJson {
  const pt = (p: PlanPoint | undefined): PlanPointJson | null =>
    p
      ? {
          assignment: p.assignment,
          meets: p.meets,
          ...(p.overloaded !== undefined ? { overloaded: p.overloaded } : {}),
          costPerHourUsd: r.costIsReplicas ? null : p.cost,
          figures: p.aggregate ? (p.aggregate.figures as RunEstimates) : {},
          ...(p.aggregate ? {} : { simulated: false as const }),
          ...(p.earlyStop ? { earlyStop: p.earlyStop } : {}),
        }
      : null;
  return {
    slo: r.slo.target,
    qps: r.qps,
    replications: r.replications,
    best: pt(r.best),
    nextCheaper: pt(r.nextCheaper),
    perCombination: r.perCombination.map((c) => ({ assignment: c.assignment, minimum: pt(c.minimum), ...(c.bracket ? { closedForms: c.bracket } : {}), ...(c.doesNotFit ? { doesNotFit: c.doesNotFit } : {}) })),
    simulations: r.evaluated.length,
    refusedWithoutSimulation: r.refused.length,
    stoppedEarly: r.evaluated.filter((p) => p.earlyStop !== undefined).length,
    ...(r.lists.length > 0 ? { configurations: planConfigurations(r) } : {}),
  };
}

const SKIP_VERDICT: Record<DoesNotFit['kind'], PlanVerdict> = { memory: 'does not fit', split: 'cannot split', unpriced: 'no price' };

/**
 * The rows of a plan over listed values: each combination's fewest replicas meeting the
 * objective with their figures (the cheapest marked), or the top of the range's when none
 * meets; those meeting first by hourly cost, then those that miss, then those skipped.
 */
export function planConfigurations(r: PlanResult): PlanConfigurationJson[] {
  const num = (p: PlanPoint, path: string): number | null => {
    const v = p.aggregate ? estimateAt(p.aggregate.figures, path)?.mean : undefined;
    return v !== undefined && Number.isFinite(v) ? v : null;
  };
  const rows = r.perCombination.map((c): PlanConfigurationJson & { order: number; sortCost: number } => {
    const p = c.minimum ?? c.largestTried;
    const skipped = c.doesNotFit;
    const verdict: PlanVerdict = skipped ? SKIP_VERDICT[skipped.kind] : c.minimum === undefined ? (p.overloaded !== undefined ? 'overloaded' : 'misses') : c.minimum === r.best ? 'cheapest' : 'meets';
    return {
      assignment: c.assignment,
      count: skipped ? null : Number(p.assignment[r.count.path]),
      meets: c.minimum !== undefined,
      verdict,
      costPerHourUsd: r.costIsReplicas || !Number.isFinite(p.cost) ? null : p.cost,
      perMillionOutputTokensUsd: num(p, 'llm.cost.perMillionOutputTokensUsd'),
      ttftP99Ms: num(p, 'llm.ttftMs.p99'),
      tpotP99Ms: num(p, 'llm.tpotMs.p99'),
      kvUtilization: num(p, 'llm.kvUtilization.mean'),
      p99Ms: num(p, 'latencyMs.p99'),
      ...(skipped ? { doesNotFit: skipped } : {}),
      order: skipped ? 2 : c.minimum === undefined ? 1 : 0,
      sortCost: p.cost,
    };
  });
  // Stable: ties keep the order of the lists.
  rows.sort((a, b) => a.order - b.order || (a.order === 0 ? a.sortCost - b.sortCost : 0));
  return rows.map(({ order: _order, sortCost: _cost, ...row }) => row);
}
