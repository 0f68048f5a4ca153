import { meanCi95 } from '../engine/index.ts';
import type { DetailedRun } from '../models/index.ts';
import { valueAt } from './aggregate.ts';

/** The figures a comparison reports, by path into RunResult. */
export const COMPARED_FIGURES = [
  'latencyMs.mean',
  'latencyMs.p50',
  'latencyMs.p99',
  'latencyMs.p999',
  'throughputRps',
  'dropRate',
  'cost.perHour',
  'cost.perMillionRequests',
  'slo.attainment',
  'quality',
] as const;

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
