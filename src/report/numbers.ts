/**
 * The number formatters every renderer uses: the terminal (src/cli), the reports
 * (src/report) and the playground. Pure and locale-independent (no Intl, no Node
 * import), so the same figure reads the same on every machine and in the browser.
 */

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
