import { estimateAt, type Aggregate } from './aggregate.ts';
import type { Vary } from './vary.ts';

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

/** The planner's answer with its evidence. */
export interface PlanResult {
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
export async function planCheapest(count: Vary, lists: readonly Vary[], sloFraction: number, evaluate: Evaluate): Promise<PlanResult> {
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
  const perCombination: PlanResult['perCombination'] = [];
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
