/**
 * The Markdown report, for a design doc: title, summary, the summary table, notes and the
 * theory table. No charts. Deterministic: the same report gives the same bytes.
 */
import { shownField } from '../config/shown.ts';
import type { Report } from './model.ts';
import { fmtFigure, fmtNumShort as fmtNum } from './figures.ts';
import { isNumericColumn, theoryTable } from './format.ts';

/**
 * User text (names, narratives, notes) as literal Markdown text on one line: no raw HTML
 * passes (`<`, `>` and `&` become entities); backslashes, backticks, pipes and brackets
 * (no code spans, cell breaks or links) are escaped; line breaks and tabs fold into spaces
 * and other control characters become U+FFFD. At the start of a block (`block`), a
 * character that would open a heading, quote or list is escaped too.
 */
export function mdText(text: string, block = false): string {
  const oneLine = text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').replace(/\t/g, ' ').trim();
  const safe = shownField(oneLine, Infinity)
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`/g, '\\`')
    .replace(/\|/g, '\\|')
    .replace(/[[\]]/g, '\\$&');
  return block ? safe.replace(/^([#+\-*=]|\d+[.)])/, '\\$1') : safe;
}

/** Makes text safe inside a table cell (see mdText). */
function cell(text: string): string {
  return mdText(text);
}

/** Makes running text (a summary or note) safe and one paragraph or item (see mdText). */
function inline(text: string): string {
  return mdText(text, true);
}

/** A GitHub-flavoured Markdown table; numeric columns (after the first) are right-aligned. */
export function markdownTable(columns: string[], rows: string[][]): string {
  const align = columns.map((_, c) => (c > 0 && isNumericColumn(rows.map((r) => r[c] ?? '')) ? '---:' : '---'));
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(columns), `| ${align.join(' | ')} |`, ...rows.map((r) => line(columns.map((_, c) => r[c] ?? '')))].join('\n');
}

/**
 * A sweep as text: the p99 at each point (the HTML report's first chart), the closed-form
 * mean wait beside the simulated one where a model applies, and the knee of each curve.
 */
function sweepSection(sweep: NonNullable<Report['sweep']>): string[] {
  const many = sweep.curves.length > 1;
  const anyTheory = sweep.curves.some((c) => c.points.some((p) => p.theory.length > 0));
  const columns = [...(many ? ['variant'] : []), sweep.path, 'p99 ms', ...(anyTheory ? ['stage', 'mean wait ms', 'theory wait ms'] : [])];
  const rows = sweep.curves.flatMap((c) =>
    c.points.flatMap((p) => {
      const head = [...(many ? [c.name] : []), String(p.x), fmtFigure(p.p99Ms)];
      if (!anyTheory) return [head];
      if (p.theory.length === 0) return [[...head, '', '', '']];
      return p.theory.map((t) => [...head, t.stage, fmtFigure(t.simulatedWaitMs), fmtNum(t.analyticWaitMs)]);
    }),
  );
  const knees = sweep.curves.map((c) => `- ${many ? `${c.name}: ` : ''}${c.kneeX !== undefined ? `knee of the p99 curve at ${sweep.path} = ${c.kneeX}` : 'no knee over this range'}`);
  return [`## p99 against ${mdText(sweep.path)}`, markdownTable(columns, rows), knees.map((k) => mdText(k, false)).join('\n')];
}

/** The quantile `q` of a CDF given as [value, share] pairs (the report keeps p50, p90 and p99 among them); NaN when absent. */
function quantileOf(cdf: ReadonlyArray<readonly [number, number]>, q: number): number {
  return cdf.find(([, share]) => Math.abs(share - q) < 1e-9)?.[0] ?? Number.NaN;
}

/** An LLM scenario's token-level latencies per variant (the HTML report's CDFs, as a table). */
function llmSection(report: Report): string[] {
  const withLlm = report.variants.filter((v) => v.llm !== undefined);
  if (withLlm.length === 0) return [];
  const qs = [0.5, 0.9, 0.99];
  const columns = ['variant', ...qs.map((q) => `TTFT p${q * 100} ms`), ...qs.map((q) => `TPOT p${q * 100} ms`)];
  const rows = withLlm.map((v) => [v.name, ...qs.map((q) => fmtNum(quantileOf(v.llm!.ttftCdf, q))), ...qs.map((q) => fmtNum(quantileOf(v.llm!.tpotCdf, q)))]);
  return ['## LLM serving: time to first token and per output token', markdownTable(columns, rows)];
}

/** Each request class's latency per variant (the HTML report's per-class CDFs, as a table); nothing without classes. */
function classSection(report: Report): string[] {
  const withClasses = report.variants.filter((v) => v.classes !== undefined);
  if (withClasses.length === 0) return [];
  const qs = [0.5, 0.9, 0.99];
  const columns = ['variant', 'class', ...qs.map((q) => `p${q * 100} ms`)];
  const rows = withClasses.flatMap((v) => v.classes!.map((c) => [v.name, c.name, ...qs.map((q) => fmtNum(quantileOf(c.cdf, q)))]));
  return ['## Latency per request class', markdownTable(columns, rows)];
}

/** Renders a report as Markdown: title, summary, summary table, notes, latencies per class, LLM latencies and theory rows. */
export function renderMarkdown(report: Report): string {
  const parts: string[] = [`# ${inline(report.title)}`, inline(report.summary), '## Summary'];
  parts.push(markdownTable(report.table.columns, report.table.rows));
  if (report.notes.length > 0) parts.push(report.notes.map((n) => `- ${inline(n)}`).join('\n'));
  if (report.sweep) parts.push(...sweepSection(report.sweep));
  parts.push(...classSection(report));
  parts.push(...llmSection(report));
  const theory = theoryTable(report);
  if (theory.rows.length > 0) {
    parts.push('## Theory against simulation', markdownTable(theory.columns, theory.rows));
  }
  return `${parts.join('\n\n')}\n`;
}
