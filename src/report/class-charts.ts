/**
 * The per-class latency chart of a report (issue 16): one latency CDF per request class,
 * side by side, every variant a colour, drawn as the run's latency CDF is (log x axis,
 * share of requests on y). Only reports of scenarios that declare `classes` have it.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ClassResult } from '../models/metrics/run-classes.ts';
import type { ChartDef } from './charts.ts';
import type { ChartKit } from './llm-charts.ts';
import type { Report, ReportVariant } from './model.ts';

/** A variant's classes for the report, from its run's `classes` section: each class's name and CDF. */
export function classReportOf(classes: Record<string, ClassResult>): NonNullable<ReportVariant['classes']> {
  return Object.entries(classes).map(([name, c]) => ({ name, cdf: c.cdfMs }));
}

/** Rows of the per-class CDFs; zero latencies are left out (log axis). */
export function classCdfRows(report: Report, drawn: (x: number) => number): Array<{ variant: string; cls: string; latencyMs: number; share: number }> {
  return report.variants.flatMap((v) =>
    (v.classes ?? []).flatMap((c) =>
      c.cdf.filter(([ms, share]) => ms > 0 && Number.isFinite(ms) && Number.isFinite(share)).map(([ms, share]) => ({ variant: v.name, cls: c.name, latencyMs: drawn(ms), share: drawn(share) })),
    ),
  );
}

/** The classes' names in the order the first variant declares them. */
function classNames(report: Report): string[] {
  const names: string[] = [];
  for (const v of report.variants) for (const c of v.classes ?? []) if (!names.includes(c.name)) names.push(c.name);
  return names;
}

/** One panel per class (two to a row), each the CDF of every variant; one shared x axis range so panels compare. */
export function classCdfChart(report: Report, kit: ChartKit): ChartDef {
  const rows = classCdfRows(report, kit.drawn);
  const names = classNames(report);
  const ms = rows.map((r) => r.latencyMs);
  const axis = rows.length > 0 ? kit.logAxis(Math.min(...ms), Math.max(...ms)) : { domain: [1, 10] as [number, number], ticks: [1, 10] };
  const columns = Math.min(2, Math.max(1, names.length));
  const panel = (cls: string) => ({
    title: cls,
    width: Math.floor(kit.width / columns) - 40,
    height: 240,
    data: { values: rows.filter((r) => r.cls === cls) },
    mark: { type: 'line' as const, strokeWidth: 2 },
    encoding: {
      x: { field: 'latencyMs', type: 'quantitative' as const, scale: { type: 'log' as const, domain: axis.domain, nice: false }, axis: { format: '~g', values: axis.ticks }, title: 'Latency (ms, log scale)' },
      y: { field: 'share', type: 'quantitative' as const, scale: { domain: [0, 1] }, axis: { format: '.0%' }, title: 'Share of requests' },
      color: kit.color,
    },
  });
  return {
    id: 'chart-classes',
    title: 'Latency distribution per request class',
    caption:
      'Share of each class’s requests completed within a given latency (log scale, the same range in every panel), from the ' +
      'first replication of each variant. A discipline that favours one class moves its curve left and another’s right.',
    emptyNote: 'No latency distribution per class: no request of any class completed.',
    spec: rows.length === 0 ? null : ({ config: kit.config, columns, concat: names.map(panel) } as TopLevelSpec),
  };
}
