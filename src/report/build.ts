import { classReportOf } from './class-charts.ts';
import { llmReportOf } from './llm-charts.ts';
import type { Aggregate, Estimate } from '../experiments/aggregate.ts';
import { COST } from '../models/metrics/run-cost.ts';
import { DROPS } from '../models/metrics/run-drops.ts';
import { LATENCY } from '../models/metrics/run-latency.ts';
import { QUALITY } from '../models/metrics/run-quality.ts';
import { SLO } from '../models/metrics/run-slo.ts';
import { WAIT_SLO } from '../models/metrics/run-wait-slo.ts';
import { parseWaitSlo } from '../config/slo.ts';
import { THROUGHPUT } from '../models/metrics/run-throughput.ts';
import { estimateAt } from '../experiments/aggregate.ts';
import { sloFraction } from '../experiments/sweep.ts';
import { columnHeader, fmtEstimate, fmtSig } from './figures.ts';
import type { Figure, Report, ReportVariant, SweepSection, TheoryRow, TradeoffPoint } from './model.ts';

const CDF_QUANTILES = [0.001, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 0.999, 0.9995, 0.9999];

function fig(e: Estimate | undefined): Figure {
  if (e === undefined) return { value: NaN };
  return Number.isFinite(e.ci95) ? { value: e.mean, ci95: e.ci95 } : { value: e.mean };
}

/** The share a waiting-time objective asks for, from its normalised text ("wait < 20s for 80%"). */
function waitFraction(target: string): number {
  const w = parseWaitSlo(target);
  return typeof w === 'string' ? NaN : w.fraction;
}

/** A report variant from the replications of one configuration. */
export function variantOf(name: string, a: Aggregate): ReportVariant {
  const f = a.figures;
  const at = (p: string) => fig(estimateAt(f, p));
  const cdf: Array<[number, number]> = [];
  for (const q of CDF_QUANTILES) {
    const ms = a.latency.quantile(q) * 1000;
    if (Number.isFinite(ms) && (cdf.length === 0 || ms >= cdf[cdf.length - 1]![0])) cdf.push([ms, q]);
  }
  const r = a.first;
  const stageNames = Object.keys(r.stages);
  const s = r.timeSeries;
  const slo = r.slo;
  return {
    name,
    cdf,
    latencyMs: { mean: at(LATENCY.mean.path), p50: at(LATENCY.p50.path), p90: at(LATENCY.p90.path), p99: at(LATENCY.p99.path), p999: at(LATENCY.p999.path) },
    throughputRps: at(THROUGHPUT.throughputRps.path),
    dropRate: at(DROPS.dropRate.path),
    // No hardware priced anywhere: no cost to show (not a cost of zero).
    costPerHourUsd: r.cost.perHour > 0 ? at(COST.perHour.path) : { value: NaN },
    costPerMillionUsd: r.cost.perHour > 0 ? at(COST.perMillionRequests.path) : { value: NaN },
    ...(slo ? { slo: { target: slo.target, attainment: at(SLO.attainment.path), met: (estimateAt(f, SLO.attainment.path)?.mean ?? NaN) >= sloFraction(slo.target) } } : {}),
    ...(r.quality !== null ? { quality: at(QUALITY.quality.path) } : {}),
    ...(r.waitSlo !== undefined
      ? { waitSlo: { target: r.waitSlo.target, attainment: at(WAIT_SLO.attainment.path), waitedShare: at(WAIT_SLO.waitedShare.path), met: (estimateAt(f, WAIT_SLO.attainment.path)?.mean ?? NaN) >= waitFraction(r.waitSlo.target) } }
      : {}),
    ...(r.llm !== undefined ? { llm: llmReportOf(r.llm, MAX_SERIES_POINTS) } : {}),
    ...(r.classes !== undefined ? { classes: classReportOf(r.classes) } : {}),
    stages: stageNames
      .filter((n) => r.stages[n]!.timeInStageMs !== undefined)
      .map((n) => ({
        name: n,
        timeMs: estimateAt(f, `stages.${n}.timeInStageMs.mean`)?.mean ?? NaN,
        waitMs: estimateAt(f, `stages.${n}.queueWaitMs.mean`)?.mean ?? NaN,
        utilization: estimateAt(f, `stages.${n}.utilization`)?.mean ?? NaN,
        replicas: estimateAt(f, `stages.${n}.meanReplicas`)?.mean ?? NaN,
      })),
    series: decimateSeries({
      startS: s.startS,
      p99Ms: s.p99Ms,
      throughputRps: s.completions.map((c) => c / s.windowS),
      stages: stageNames.map((n) => ({ name: n, replicas: s.stages[n]!.replicas, queueLength: s.stages[n]!.queueLength })),
    }),
  };
}

/**
 * At most this many points per series: about 3 px each across a chart 740 px wide. More
 * draw nothing more and weigh a lot (the mm4 sweep's ten 4,000-window runs made an 18.8 MB page).
 */
export const MAX_SERIES_POINTS = 250;

/** Largest non-missing value of a slice; null when every value is missing. */
function maxOf(xs: ReadonlyArray<number | null>): number | null {
  let m: number | null = null;
  for (const x of xs) if (x !== null && Number.isFinite(x) && (m === null || x > m)) m = x;
  return m;
}

/**
 * A series cut to at most MAX_SERIES_POINTS points, each merging k consecutive windows
 * (k the smallest that fits): it starts where its first window starts; throughput is the
 * windows' mean, so the requests completed are kept; p99, replicas and queue length are
 * the windows' largest, so a spike drawn at full resolution stays as high. A series
 * that fits is returned as it is.
 */
export function decimateSeries(series: ReportVariant['series'], maxPoints = MAX_SERIES_POINTS): ReportVariant['series'] {
  const n = series.startS.length;
  if (n <= maxPoints) return series;
  const k = Math.ceil(n / maxPoints);
  const starts: number[] = [];
  for (let i = 0; i < n; i += k) starts.push(i);
  const slice = <T>(xs: readonly T[], i: number) => xs.slice(i, Math.min(n, i + k));
  const mean = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
  return {
    startS: starts.map((i) => series.startS[i]!),
    p99Ms: starts.map((i) => maxOf(slice(series.p99Ms, i))),
    throughputRps: starts.map((i) => mean(slice(series.throughputRps, i))),
    stages: series.stages.map((st) => ({
      name: st.name,
      replicas: starts.map((i) => maxOf(slice(st.replicas, i)) ?? Number.NaN),
      queueLength: starts.map((i) => maxOf(slice(st.queueLength, i)) ?? Number.NaN),
    })),
  };
}

/** A figure as a summary-table cell: `digits` significant digits, the half-width 2, "± 0" at rounding level. */
const show = (x: Figure, digits = 3): string => {
  if (!Number.isFinite(x.value)) return '–';
  return fmtEstimate(x.value, x.ci95, fmtSig(digits), fmtSig(2));
};

/** The summary table of a report: one row per variant. */
export function summaryTable(variants: readonly ReportVariant[]): Report['table'] {
  const anySlo = variants.some((v) => v.slo);
  const anyQuality = variants.some((v) => v.quality);
  const anyWait = variants.some((v) => v.waitSlo);
  const columns = [
    'variant',
    ...[LATENCY.p50, LATENCY.p99, LATENCY.p999, THROUGHPUT.throughputRps, DROPS.dropRate, COST.perHour, COST.perMillionRequests].map((d) => columnHeader(d, true)),
    ...(anySlo ? [columnHeader(SLO.attainment), 'SLO'] : []),
    ...(anyQuality ? [columnHeader(QUALITY.quality)] : []),
    ...(anyWait ? [columnHeader(WAIT_SLO.attainment), columnHeader(WAIT_SLO.waitedShare), 'wait SLO'] : []),
  ];
  const rows = variants.map((v) => [
    v.name,
    show(v.latencyMs.p50),
    show(v.latencyMs.p99),
    show(v.latencyMs.p999),
    show(v.throughputRps),
    show(v.dropRate),
    show(v.costPerHourUsd),
    show(v.costPerMillionUsd),
    ...(anySlo ? (v.slo ? [show(v.slo.attainment, 4), v.slo.met ? 'met' : 'MISSED'] : ['', '']) : []),
    ...(anyQuality ? [v.quality ? show(v.quality, 4) : ''] : []),
    ...(anyWait ? (v.waitSlo ? [show(v.waitSlo.attainment, 4), show(v.waitSlo.waitedShare, 3), v.waitSlo.met ? 'met' : 'MISSED'] : ['', '', '']) : []),
  ]);
  return { columns, rows };
}

/** A whole report from named configurations (variants, sweep or plan points). */
export function buildReport(title: string, summary: string, named: ReadonlyArray<{ name: string; aggregate: Aggregate }>, theory: TheoryRow[], notes: string[], tradeoff?: TradeoffPoint[]): Report {
  const variants = named.map((n) => variantOf(n.name, n.aggregate));
  return {
    title,
    summary,
    variants,
    tradeoff:
      tradeoff ??
      variants.map((v) => ({
        label: v.name,
        costPerHourUsd: v.costPerHourUsd.value,
        p99Ms: v.latencyMs.p99.value,
        meetsSlo: v.slo ? v.slo.met : null,
      })),
    theory,
    table: summaryTable(variants),
    notes,
  };
}

/**
 * The sweep section of a report: per curve, each point's p99 and the theory rows with a
 * finite analytic wait (`theory[k][i]` belongs to curve k, point i), and the knee.
 */
export function sweepSection(
  path: string,
  curves: ReadonlyArray<{ name: string; points: ReadonlyArray<{ x: number | string; aggregate: Aggregate }>; analysis: { kneeX?: number | string | undefined; maxXMeetingSlo?: number | string | undefined } }>,
  theory: ReadonlyArray<ReadonlyArray<readonly TheoryRow[]>> = [],
): SweepSection {
  return {
    path,
    curves: curves.map((c, k) => ({
      name: c.name,
      points: c.points.map((p, i) => ({
        x: p.x,
        p99Ms: fig(estimateAt(p.aggregate.figures, LATENCY.p99.path)),
        theory: (theory[k]?.[i] ?? [])
          .filter((t) => Number.isFinite(t.analytic) && t.quantity === 'mean wait (ms)')
          .map((t) => ({ stage: t.stage, model: t.model, analyticWaitMs: t.analytic, simulatedWaitMs: t.simulated })),
      })),
      ...(c.analysis.kneeX !== undefined ? { kneeX: c.analysis.kneeX } : {}),
      ...(c.analysis.maxXMeetingSlo !== undefined ? { maxXMeetingSlo: c.analysis.maxXMeetingSlo } : {}),
    })),
  };
}
