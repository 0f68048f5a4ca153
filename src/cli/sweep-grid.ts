/**
 * The text of a grid sweep (several `--vary`: GPU × TP × weights × replicas, issue 15):
 * one row per combination with its throughput, the LLM columns (TTFT/TPOT p99, the share
 * meeting both, $/M output tokens, KV used) or the end-to-end p99, $/hour and the verdict
 * on the objective; combinations that cannot be deployed are listed with the memory they
 * need; the cheapest meeting the objective is marked `*`.
 */
import { estimateAt } from '../experiments/aggregate.ts';
import { shortNames } from '../experiments/llm-grid.ts';
import { meetsObjective, planObjective } from '../experiments/plan-objective.ts';
import type { SweepCurve, SweepResult } from '../experiments/sweep.ts';
import { COST } from '../models/metrics/run-cost.ts';
import { LATENCY } from '../models/metrics/run-latency.ts';
import { THROUGHPUT } from '../models/metrics/run-throughput.ts';
import { fmtEstimate } from '../report/figures.ts';
import { llmSweepColumns } from './llm-sweep.ts';
import { doesNotFitText } from './plan-table.ts';
import { fmtNum, fmtUsd } from './format.ts';

/** One curve's table (the points in the grid's order, then those skipped) and its reading. */
function curveLines(r: SweepResult, c: SweepCurve): string[] {
  const paths = r.grid!;
  const aggs = c.points.map((p) => p.aggregate);
  const llm = llmSweepColumns(aggs, { kvUtilization: true });
  const est = (a: (typeof aggs)[number], path: string, f: (x: number) => string = fmtNum) => {
    const e = estimateAt(a.figures, path);
    return e === undefined || !Number.isFinite(e.mean) ? '–' : fmtEstimate(e.mean, e.ci95, f);
  };
  const priced = aggs.some((a) => (estimateAt(a.figures, COST.perHour.path)?.mean ?? 0) > 0);
  const target = c.analysis.sloTarget;
  const verdict = target !== undefined || (c.skipped ?? []).length > 0;
  const cols = ['', ...shortNames(paths), 'throughput req/s', ...(llm.columns.length > 0 ? llm.columns : ['p99 ms']), ...(priced ? ['$/hour'] : []), ...(verdict ? ['verdict'] : [])];
  const rows = c.points.map((p) => {
    const o = p.scenario !== undefined ? planObjective(undefined, p.scenario.slo) : undefined;
    const overloaded = p.aggregate.first.warnings.some((w) => w.includes(' is overloaded: '));
    const met = o !== undefined && typeof o !== 'string' && meetsObjective(p.aggregate.figures, o.checks) && !overloaded;
    return [
      p.x === c.analysis.cheapestMeetingSlo ? '*' : '',
      ...paths.map((path) => String(p.assignment?.[path] ?? '')),
      est(p.aggregate, THROUGHPUT.throughputRps.path),
      ...(llm.columns.length > 0 ? llm.cells(p.aggregate) : [est(p.aggregate, LATENCY.p99.path)]),
      ...(priced ? [est(p.aggregate, COST.perHour.path, fmtUsd)] : []),
      ...(verdict ? [target === undefined ? '' : overloaded ? 'overloaded' : met ? 'met' : 'missed'] : []),
    ];
  });
  for (const s of c.skipped ?? []) {
    const filler = cols.length - paths.length - 2;
    rows.push(['', ...paths.map((path) => String(s.assignment[path])), ...Array<string>(filler).fill('–'), doesNotFitText(s.doesNotFit)]);
  }
  const widths = cols.map((col, i) => Math.max(col.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: readonly string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(cols), ...rows.map(line)];
  if (target !== undefined) out.push(c.analysis.cheapestMeetingSlo !== undefined ? `* cheapest meeting ${target}: ${c.analysis.cheapestMeetingSlo}` : `No configuration meets ${target}.`);
  return out;
}

/** The lines of a grid sweep under its header, for every variant's curve. */
export function sweepGridLines(r: SweepResult): string[] {
  const lines: string[] = [];
  for (const c of r.curves) {
    lines.push('');
    if (c.name) lines.push(`${c.name}:`);
    lines.push(...curveLines(r, c));
  }
  return lines;
}
