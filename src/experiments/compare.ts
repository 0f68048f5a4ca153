import { meanCi95, type Seed } from '../engine/index.ts';
import { COST } from '../models/metrics/run-cost.ts';
import { DROPS } from '../models/metrics/run-drops.ts';
import { LATENCY } from '../models/metrics/run-latency.ts';
import { QUALITY } from '../models/metrics/run-quality.ts';
import { SLO } from '../models/metrics/run-slo.ts';
import { THROUGHPUT } from '../models/metrics/run-throughput.ts';
import { InputError } from '../config/errors.ts';
import type { DetailedRun } from '../models/index.ts';
import { aggregate, valueAt, type Aggregate, type RunEstimates } from './aggregate.ts';
import { checkReplications, rootSeed, runConfigurations, type ExperimentSettings } from './runner.ts';
import type { NamedScenario } from './variants.ts';

/** The figures a comparison reports, by path into RunResult (their collectors' descriptors). */
export const COMPARED_FIGURES: readonly string[] = [
  LATENCY.mean.path,
  LATENCY.p50.path,
  LATENCY.p99.path,
  LATENCY.p999.path,
  THROUGHPUT.throughputRps.path,
  DROPS.dropRate.path,
  COST.perHour.path,
  COST.perMillionRequests.path,
  SLO.attainment.path,
  QUALITY.quality.path,
];

/** A paired difference (variant − baseline) over replications that shared their random numbers. */
export interface PairedDifference {
  figure: string;
  baseline: number;
  variant: number;
  /** Mean of the per-replication differences, and its 95 % half-width. */
  difference: number;
  ci95: number;
  /** True when the interval excludes 0: the variant differs, beyond noise. */
  significant: boolean;
}

/**
 * Paired differences between two configurations run on common random numbers:
 * replication i of both used the same seed, hence the same arrivals, user keys and
 * attributes (and the same service draws at stages of the same name), so each
 * difference d_i isolates the architecture; mean(d) ± t·sd(d)/√n is far tighter than
 * comparing two independent means.
 */
export function pairedDifferences(baseline: readonly DetailedRun[], variant: readonly DetailedRun[], figures: readonly string[] = COMPARED_FIGURES): PairedDifference[] {
  if (baseline.length !== variant.length) throw new Error('paired differences need the same number of replications');
  const out: PairedDifference[] = [];
  for (const f of figures) {
    const a = baseline.map((r) => valueAt(r.result, f));
    const b = variant.map((r) => valueAt(r.result, f));
    if (a.some((x) => !Number.isFinite(x)) || b.some((x) => !Number.isFinite(x))) continue;
    const d = b.map((x, i) => x - a[i]!);
    const { mean, ci95 } = meanCi95(d);
    // Differences at rounding level (same model, same draws, other summation order) are none.
    const scale = Math.max(...a.map(Math.abs), ...b.map(Math.abs), 1e-300);
    const allZero = d.every((x) => Math.abs(x) <= 1e-9 * scale);
    out.push({
      figure: f,
      baseline: a.reduce((s, x) => s + x, 0) / a.length,
      variant: b.reduce((s, x) => s + x, 0) / b.length,
      difference: allZero ? 0 : mean,
      ci95: allZero ? 0 : ci95,
      significant: !allZero && Number.isFinite(ci95) && Math.abs(mean) > ci95,
    });
  }
  return out;
}

/** One configuration of a compare: its name, scenario and replications summarised. */
export interface CompareVariant extends NamedScenario {
  figures: RunEstimates;
  pooled: Aggregate['pooled'];
  aggregate: Aggregate;
}

/** A compare: every configuration on the same seeds, and paired differences of each against the first. */
export interface CompareResult {
  replications: number;
  /** The root seed every configuration's replications derive from. */
  seed: Seed;
  variants: CompareVariant[];
  /** For each configuration after the first: its paired differences against the first. */
  differences: Array<{ name: string; differences: PairedDifference[] }>;
}

/** What `compare --json` prints. */
export interface CompareJson {
  replications: number;
  seed: Seed;
  variants: Array<{ name: string; figures: RunEstimates; pooled: Aggregate['pooled'] }>;
  differences: CompareResult['differences'];
}

/**
 * Runs two or more configurations on common random numbers (replication i of every
 * one on the same seed) and reports each one's figures and its paired differences
 * against the first. Names come from `expandVariants` or are the caller's own.
 */
export async function compare(variants: readonly NamedScenario[], settings: ExperimentSettings = {}): Promise<CompareResult> {
  if (variants.length < 2) throw new InputError([`compare needs two or more configurations, got ${variants.length}`]);
  const replications = checkReplications(settings.replications ?? 1);
  const seed = rootSeed(settings.seed, variants[0]!.scenario);
  const runs = await runConfigurations(
    variants.map((v) => v.scenario),
    replications,
    seed,
    settings,
  );
  const aggs = runs.map((r) => aggregate(r));
  return {
    replications,
    seed,
    variants: variants.map((v, k) => ({ name: v.name, scenario: v.scenario, figures: aggs[k]!.figures as RunEstimates, pooled: aggs[k]!.pooled, aggregate: aggs[k]! })),
    differences: variants.slice(1).map((v, k) => ({ name: v.name, differences: pairedDifferences(runs[0]!, runs[k + 1]!) })),
  };
}

/** The JSON contract of a compare result (what `compare --json` prints). */
export function compareJson(r: CompareResult): CompareJson {
  return { replications: r.replications, seed: r.seed, variants: r.variants.map((v) => ({ name: v.name, figures: v.figures, pooled: v.pooled })), differences: r.differences };
}
