/**
 * The Markdown report, for a design doc: title, summary, the summary table, notes and the
 * theory table. No charts. Deterministic: the same report gives the same bytes.
 */
import type { Report } from './model.ts';
import { isNumericColumn, theoryTable } from './format.ts';

/** Makes text safe inside a table cell: pipes escaped, line breaks folded into spaces. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Folds line breaks in running text (a summary or note) so it stays one paragraph or item. */
function inline(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** A GitHub-flavoured Markdown table; numeric columns (after the first) are right-aligned. */
export function markdownTable(columns: string[], rows: string[][]): string {
  const align = columns.map((_, c) => (c > 0 && isNumericColumn(rows.map((r) => r[c] ?? '')) ? '---:' : '---'));
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(columns), `| ${align.join(' | ')} |`, ...rows.map((r) => line(columns.map((_, c) => r[c] ?? '')))].join('\n');
}

/** Renders a report as Markdown: title, summary, summary table, notes and theory rows. */
export function renderMarkdown(report: Report): string {
  const parts: string[] = [`# ${inline(report.title)}`, inline(report.summary), '## Summary'];
  parts.push(markdownTable(report.table.columns, report.table.rows));
  if (report.notes.length > 0) parts.push(report.notes.map((n) => `- ${inline(n)}`).join('\n'));
  const theory = theoryTable(report);
  if (theory.rows.length > 0) {
    parts.push('## Theory against simulation', markdownTable(theory.columns, theory.rows));
  }
  return `${parts.join('\n\n')}\n`;
}
