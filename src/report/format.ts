/**
 * Text helpers shared by the HTML and Markdown renderers: number formatting, escaping,
 * and the theory table both renderers show. Pure and locale-independent, so a report
 * renders byte for byte the same on every machine.
 */
import { shownText } from '../config/shown.ts';
import type { Figure, Report } from './model.ts';
import { fmtNumShort } from './numbers.ts';

/**
 * A number with about three significant digits, as the reports write it: 0.3, 12.3,
 * 1,234; "–" when not finite. The one set of formatters is src/report/numbers.ts.
 */
export const fmtNum = fmtNumShort;

/**
 * Rounding level: a spread or difference below this share of the figures' size is
 * floating-point noise (the same deterministic value summed in another order), not data.
 * float64 carries about 16 digits; sums of 10^6 terms lose at most about 6 of them.
 */
export const ROUNDING_LEVEL = 1e-9;

/** True when |x| is at rounding level against the largest of `scale` (see ROUNDING_LEVEL). */
export function atRoundingLevel(x: number, ...scale: number[]): boolean {
  return Math.abs(x) <= ROUNDING_LEVEL * Math.max(0, ...scale.filter(Number.isFinite).map(Math.abs));
}

/**
 * "value ± half-width", the one way every renderer (terminal, HTML, Markdown, playground)
 * writes an estimate: the value alone without a finite half-width (one run), "± 0" for a
 * half-width at rounding level against the value. `num` formats the numbers (`ciNum` the
 * half-width, when it differs), so each renderer keeps its own digits.
 */
export function fmtEstimate(value: number, ci95: number | undefined, num: (x: number) => string = fmtNum, ciNum: (x: number) => string = num): string {
  if (!Number.isFinite(value)) return num(value);
  if (ci95 === undefined || !Number.isFinite(ci95)) return num(value);
  return `${num(value)} ± ${atRoundingLevel(ci95, value) ? '0' : ciNum(Math.abs(ci95))}`;
}

/** A figure and its 95 % confidence half-width when it has one: "12.3 ± 0.41". */
export function fmtFigure(f: Figure): string {
  return fmtEstimate(f.value, f.ci95);
}

/** What a paired difference says. */
export type DifferenceVerdict = 'significant' | 'not significant' | 'identical' | 'no interval with one replication';

/** A paired difference (variant − baseline) with its 95 % half-width and the two means. */
export interface DifferenceLike {
  difference: number;
  ci95: number;
  baseline: number;
  variant: number;
}

/**
 * The verdict on a paired difference. Against the size of the two figures: a difference
 * at rounding level is "identical" (whatever its interval); an interval at rounding level
 * around a real difference (a deterministic figure that changed) is "significant"; else
 * significant when the interval excludes 0. NaN half-width: one replication, no interval.
 */
export function differenceVerdict(d: DifferenceLike): DifferenceVerdict {
  if (atRoundingLevel(d.difference, d.baseline, d.variant)) return 'identical';
  if (Number.isNaN(d.ci95)) return 'no interval with one replication';
  if (atRoundingLevel(d.ci95, d.baseline, d.variant)) return 'significant';
  return Math.abs(d.difference) > d.ci95 ? 'significant' : 'not significant';
}

/**
 * "+2.14 ± 0.3" for a paired difference, signed, with "± 0" for an interval at rounding
 * level and "+0 ± 0" for an identical figure; "± –" without an interval.
 */
export function fmtDifference(d: DifferenceLike, num: (x: number) => string = fmtNum): { text: string; verdict: DifferenceVerdict } {
  const verdict = differenceVerdict(d);
  const diff = verdict === 'identical' ? 0 : d.difference;
  const ci = verdict === 'identical' || atRoundingLevel(d.ci95, d.baseline, d.variant) ? '0' : Number.isNaN(d.ci95) ? '–' : num(d.ci95);
  return { text: `${diff >= 0 ? '+' : ''}${num(diff)} ± ${ci}`, verdict };
}

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
