/**
 * The LLM chart of a report (issue 14): the TTFT and TPOT distributions of every variant
 * side by side, as the latency CDF draws end-to-end latency (log x axis, share of
 * requests on y). Only reports of scenarios with an LLM stage have it.
 */
import type { Config, TopLevelSpec } from 'vega-lite';
import type { ChartDef } from './charts.ts';
import type { Report } from './model.ts';

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
