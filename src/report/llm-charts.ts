/**
 * The LLM chart of a report (issue 14): the TTFT and TPOT distributions of every variant
 * side by side, as the latency CDF draws end-to-end latency (log x axis, share of
 * requests on y). Only reports of scenarios with an LLM stage have it.
 */
import type { Config, TopLevelSpec } from 'vega-lite';
import type { LlmResult } from '../models/metrics/llm-result.ts';
import type { ChartDef } from './charts.ts';
import type { Report, ReportVariant } from './model.ts';

/**
 * A variant's LLM part of the report from its run's `llm` section: the CDFs, and the first
 * LLM stage's per-window series cut to at most `maxPoints` points (k windows merged: KV
 * utilization their mean, TTFT p99 their largest, so a spike stays as high).
 */
export function llmReportOf(r: LlmResult, maxPoints: number): NonNullable<ReportVariant['llm']> {
  const first = Object.values(r.series)[0];
  const out: NonNullable<ReportVariant['llm']> = { ttftCdf: r.cdf.ttftMs, tpotCdf: r.cdf.tpotMs };
  if (first === undefined || first.startS.length === 0) return out;
  const n = first.startS.length;
  const k = Math.ceil(n / maxPoints);
  const startS: number[] = [];
  const kv: number[] = [];
  const batch: number[] = [];
  const p99: Array<number | null> = [];
  for (let i = 0; i < n; i += k) {
    const j = Math.min(n, i + k);
    startS.push(first.startS[i]!);
    let sum = 0;
    let seqs = 0;
    let top: number | null = null;
    for (let w = i; w < j; w++) {
      sum += first.kvUtilization[w]!;
      seqs += first.batchSeqs[w]!;
      const t = first.ttftP99Ms[w] ?? null;
      if (t !== null && (top === null || t > top)) top = t;
    }
    kv.push(sum / (j - i));
    batch.push(seqs / (j - i));
    p99.push(top);
  }
  return { ...out, series: { startS, kvUtilization: kv, batchSeqs: batch, ttftP99Ms: p99 } };
}

/** Rows of the LLM series: KV utilization, batch and TTFT p99 per (merged) window. */
export function llmSeriesRows(report: Report, drawn: (x: number) => number): Array<{ variant: string; tS: number; kv: number; batch: number; ttftP99Ms: number }> {
  return report.variants.flatMap((v) => {
    const s = v.llm?.series;
    if (s === undefined) return [];
    // A window where no request finished has no TTFT p99: NaN (null in JSON) breaks the line.
    return s.startS.map((t, i) => ({ variant: v.name, tS: t, kv: drawn(s.kvUtilization[i]!), batch: drawn(s.batchSeqs[i]!), ttftP99Ms: s.ttftP99Ms[i] === null ? NaN : drawn(s.ttftP99Ms[i]!) }));
  });
}

/** KV cache utilization and TTFT p99 over time, stacked on one time axis. */
export function llmSeriesChart(report: Report, kit: ChartKit): ChartDef {
  const rows = llmSeriesRows(report, kit.drawn);
  const ts = rows.map((r) => r.tS);
  const domain: [number, number] = rows.length > 0 ? [Math.min(...ts), Math.max(...ts) > Math.min(...ts) ? Math.max(...ts) : Math.min(...ts) + 1] : [0, 1];
  const x = (title: string | null) => ({ field: 'tS', type: 'quantitative' as const, scale: { domain, nice: false }, axis: { tickCount: 8, labelOverlap: 'greedy' as const, labelFlush: true }, title });
  return {
    id: 'chart-llm-time',
    title: 'KV cache, batch size and time to first token over time',
    caption:
      'Share of KV blocks held by running sequences and the batch (sequences per step), time averages over the window and the ' +
      'replicas of the first LLM stage, and the p99 TTFT of the requests finished in each window. A KV cache near full means ' +
      'new prompts wait for blocks, or running sequences are preempted.',
    emptyNote: 'No LLM time series: the run had no window.',
    spec:
      rows.length === 0
        ? null
        : ({
            config: kit.config,
            data: { values: rows },
            vconcat: [
              {
                width: kit.width,
                height: 150,
                mark: { type: 'line', strokeWidth: 1.6 },
                encoding: { x: x(null), y: { field: 'kv', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%' }, title: 'KV cache used' }, color: kit.color },
              },
              {
                width: kit.width,
                height: 120,
                mark: { type: 'line', strokeWidth: 1.6 },
                encoding: { x: x(null), y: { field: 'batch', type: 'quantitative', title: 'sequences per step' }, color: kit.color },
              },
              {
                width: kit.width,
                height: 150,
                mark: { type: 'line', strokeWidth: 1.6, invalid: 'break-paths-show-domains' },
                encoding: { x: x('Time (s)'), y: { field: 'ttftP99Ms', type: 'quantitative', title: 'TTFT p99 (ms)' }, color: kit.color },
              },
            ],
            resolve: { legend: { color: 'shared' } },
          } as TopLevelSpec),
  };
}

/** What the chart borrows from charts.ts (its shared look), passed in to keep the import one-way. */
export interface ChartKit {
  config: Config;
  width: number;
  color: object;
  logAxis: (lo: number, hi: number) => { domain: [number, number]; ticks: number[] };
  drawn: (x: number) => number;
}

/** Rows of the TTFT and TPOT CDFs; zero times are left out (log axis). */
export function llmCdfRows(report: Report, drawn: (x: number) => number): Array<{ variant: string; metric: 'TTFT' | 'TPOT'; ms: number; share: number }> {
  return report.variants.flatMap((v) => {
    if (v.llm === undefined) return [];
    const rows = (metric: 'TTFT' | 'TPOT', cdf: Array<[number, number]>) =>
      cdf.filter(([ms]) => ms > 0 && Number.isFinite(ms)).map(([ms, share]) => ({ variant: v.name, metric, ms: drawn(ms), share: drawn(share) }));
    return [...rows('TTFT', v.llm.ttftCdf), ...rows('TPOT', v.llm.tpotCdf)];
  });
}

/** The two CDFs, side by side. */
export function llmCdfChart(report: Report, kit: ChartKit): ChartDef {
  const rows = llmCdfRows(report, kit.drawn);
  const panel = (metric: 'TTFT' | 'TPOT', title: string) => {
    const mine = rows.filter((r) => r.metric === metric);
    const ms = mine.map((r) => r.ms);
    const axis = mine.length > 0 ? kit.logAxis(Math.min(...ms), Math.max(...ms)) : { domain: [1, 10] as [number, number], ticks: [1, 10] };
    return {
      width: Math.floor(kit.width / 2) - 40,
      height: 260,
      data: { values: mine },
      mark: { type: 'line' as const, strokeWidth: 2 },
      encoding: {
        x: { field: 'ms', type: 'quantitative' as const, scale: { type: 'log' as const, domain: axis.domain, nice: false }, axis: { format: '~g', values: axis.ticks }, title },
        y: { field: 'share', type: 'quantitative' as const, scale: { domain: [0, 1] }, axis: { format: '.0%' }, title: 'Share of requests' },
        color: kit.color,
      },
    };
  };
  return {
    id: 'chart-llm',
    title: 'Time to first token and time per output token',
    caption:
      'Share of requests whose first token came within a given time (left) and whose answer streamed at a given time per ' +
      'token after the first (right), both on log scales. TTFT grows with queueing for KV blocks and with long prompts ahead; ' +
      'TPOT with the batch every step carries.',
    emptyNote: 'No TTFT or TPOT distribution: no LLM request finished.',
    spec: rows.length === 0 ? null : ({ config: kit.config, hconcat: [panel('TTFT', 'TTFT (ms, log scale)'), panel('TPOT', 'TPOT (ms, log scale)')] } as TopLevelSpec),
  };
}
