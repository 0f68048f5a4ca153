/**
 * The Markdown report, for a design doc: title, summary, the summary table, notes and the
 * theory table. No charts. Deterministic: the same report gives the same bytes.
 */
import { shownField } from '../config/shown.ts';
import type { Report } from './model.ts';
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
