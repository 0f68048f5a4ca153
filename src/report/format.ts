/**
 * Text helpers shared by the HTML and Markdown renderers: escaping, and the theory table
 * both renderers show. Numbers are written by the one formatter, `figures.ts`. Pure and
 * locale-independent, so a report renders byte for byte the same on every machine.
 */
import { shownText } from '../config/shown.ts';
import { fmtFigure, fmtNumShort as fmtNum } from './figures.ts';
import type { Report } from './model.ts';

/**
 * Escapes text for HTML element content and double-quoted attribute values; control
 * characters (NUL, ESC, ...; not tab and newline) become U+FFFD, as the HTML parser would
 * otherwise drop or mangle them.
 */
export function escapeHtml(text: string): string {
  return shownText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * JSON safe to place inside a <script> element: `<`, `>` and `&` become \u escapes, so a
 * string holding "</script>" or "<!--" cannot end or change the element, and U+2028/2029
 * are escaped for older JavaScript parsers. JSON.parse gives back the same value.
 * Non-finite numbers become null, as JSON.stringify makes them.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** True when a column of formatted cells holds numbers (so it is right-aligned). */
export function isNumericColumn(cells: string[]): boolean {
  const filled = cells.map((c) => c.trim()).filter((c) => c !== '' && c !== '–');
  return filled.length > 0 && filled.every((c) => /^[-+−]?\$?\d/.test(c));
}

/** The theory rows as a formatted table: analytic figure, simulated figure, and how far apart. */
export function theoryTable(report: Report): { columns: string[]; rows: string[][] } {
  const columns = ['Stage', 'Model', 'Quantity', 'Analytic', 'Simulated', 'Difference', 'Note'];
  const rows = report.theory.map((t) => {
    const diff = (t.simulated.value - t.analytic) / t.analytic;
    const diffText = Number.isFinite(diff) ? `${diff >= 0 ? '+' : ''}${(diff * 100).toFixed(1)}%` : '–';
    return [t.stage, t.model, t.quantity, fmtNum(t.analytic), fmtFigure(t.simulated), diffText, t.note];
  });
  return { columns, rows };
}
