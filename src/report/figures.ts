/**
 * The one formatter of figures, for every renderer: the terminal (src/cli), the HTML and
 * Markdown reports (src/report) and the playground. A figure's collector says what it is
 * (`FigureDescriptor`: path, label, unit, format, which way is better); this file says
 * how it is written. Pure and locale-independent (no Intl, no Node import), so the same
 * figure reads the same on every machine and in the browser.
 *
 * Two rules hold in every renderer because they are written only here: a share is never
 * rounded up to 100.0 % (`fmtPct`: 99.95 % prints 99.95 %), and an interval at rounding
 * level prints as "± 0" (`fmtEstimate`, `fmtDifference`).
 */
import type { FigureDescriptor, FigureFormat } from '../models/metrics/figure.ts';
import type { Figure } from './model.ts';

// ---------------------------------------------------------------- numbers

/** Groups thousands with commas, independent of the machine's locale. */
export function group(intText: string): string {
  return intText.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A count: 1,234,567. */
export function fmtCount(n: number): string {
  return group(String(Math.round(n)));
}

/** A figure with about three significant digits, grouped: 0.123, 12.3, 1,234; ∞ for an infinite one. */
export function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '-∞' : '–';
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 100) return group(x.toFixed(0));
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/**
 * `fmtNum` as the reports write it: a figure below 1 without trailing zeros (0.3, not
 * 0.300; 12.0 stays, as its digits say its precision) and "–" for any figure not finite.
 */
export function fmtNumShort(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const text = fmtNum(x);
  return Math.abs(x) < 1 ? text.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '') : text;
}

/** `digits` significant digits, whole numbers from 100 up, ungrouped (the reports' summary cells): 0.123, 12.3, 1234. */
export function fmtSig(digits: number): (x: number) => string {
  return (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(digits));
}

/** Dollars: $1,234, $12.3, $0.0123. */
export function fmtUsd(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x >= 100) return `$${group(x.toFixed(0))}`;
  if (x >= 1) return `$${x.toFixed(2)}`;
  return `$${x.toPrecision(3)}`;
}

/**
 * A share as a percentage: 80.0%. Near 100 % it keeps two decimals and rounds down, so
 * 99.95 % never reads as 100.0 % (an SLO is about that last fraction).
 */
export function fmtPct(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x > 0 && x < 0.001) return `${(x * 100).toPrecision(2)}%`;
  if (x > 0.9 && x < 1) return `${(Math.floor(x * 10000) / 100).toFixed(2)}%`;
  return `${(x * 100).toFixed(1)}%`;
}

// ---------------------------------------------------------------- figures

/** How each format writes a value in a sentence or a tile, with its unit ("12.3 ms", "99.95%", "$1.23"). */
const WITH_UNIT: Record<FigureFormat, (x: number) => string> = {
  ms: (x) => `${fmtNum(x)} ms`,
  s: (x) => `${fmtNum(x)} s`,
  count: fmtCount,
  rate: (x) => `${fmtNum(x)} req/s`,
  pct: fmtPct,
  usd: fmtUsd,
  num: fmtNum,
  score: (x) => x.toFixed(4),
};

/** How each format writes a value in a table cell, whose header carries the unit ("12.3" under "p99 ms"). */
const IN_CELL: Record<FigureFormat, (x: number) => string> = {
  ms: fmtNum,
  s: fmtNum,
  count: fmtCount,
  rate: fmtNum,
  pct: fmtPct,
  usd: fmtUsd,
  num: fmtNum,
  score: (x) => x.toFixed(4),
};

/** A figure's value with its unit, as a sentence or a tile writes it: "12.3 ms", "99.95%", "$1.23"; "–" for none. */
export function formatFigure(d: FigureDescriptor, value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : WITH_UNIT[d.format](value);
}

/** A figure's value in a table cell (the header names the unit): "12.3", "99.95%", "$1.23"; "–" for none. */
export function formatCell(d: FigureDescriptor, value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : IN_CELL[d.format](value);
}

/** The unit a column header names after the figure's short name, when its cells do not show it. */
const HEADER_UNIT: Record<FigureFormat, string> = { ms: ' ms', s: ' s', count: '', rate: ' /s', pct: '', usd: '', num: '', score: '' };

/**
 * A table column's header for a figure: its short name, else its label; with `unit`, the
 * unit its cells leave out ("p99 ms", "throughput /s"), for a table whose title does not say it.
 */
export function columnHeader(d: FigureDescriptor, unit = false): string {
  return (d.short ?? d.label) + (unit ? HEADER_UNIT[d.format] : '');
}

/**
 * The value a descriptor points at in a run's result (scope 'run') or one stage's result
 * (scope 'stage'): a number, null when the figure is null there, undefined when absent.
 */
export function figureAt(result: object, d: FigureDescriptor): number | null | undefined {
  let at: unknown = result;
  for (const key of d.path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'number' || at === null ? at : undefined;
}

// ---------------------------------------------------------------- estimates

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
export function fmtEstimate(value: number, ci95: number | undefined, num: (x: number) => string = fmtNumShort, ciNum: (x: number) => string = num): string {
  if (!Number.isFinite(value)) return num(value);
  if (ci95 === undefined || !Number.isFinite(ci95)) return num(value);
  return `${num(value)} ± ${atRoundingLevel(ci95, value) ? '0' : ciNum(Math.abs(ci95))}`;
}

/** A report's figure and its 95 % confidence half-width when it has one: "12.3 ± 0.41". */
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
export function fmtDifference(d: DifferenceLike, num: (x: number) => string = fmtNumShort): { text: string; verdict: DifferenceVerdict } {
  const verdict = differenceVerdict(d);
  const diff = verdict === 'identical' ? 0 : d.difference;
  const ci = verdict === 'identical' || atRoundingLevel(d.ci95, d.baseline, d.variant) ? '0' : Number.isNaN(d.ci95) ? '–' : num(d.ci95);
  return { text: `${diff >= 0 ? '+' : ''}${num(diff)} ± ${ci}`, verdict };
}
