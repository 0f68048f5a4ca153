/**
 * Figures quoted in prose, filled from a result so no sentence can go stale.
 *
 * A placeholder is data, never code: `{path}`, `{path@variant}` or `{path@variant|format}`,
 * where path is a dotted path into the result (`latencyMs.p99`, `stages.ranker.utilization`),
 * variant names one configuration of a compare (default: the first), and format is one of
 * FORMATS (default `3`: three significant digits). Nothing else is accepted.
 */

/** How a quoted figure is written: a fixed set, so a narrative cannot ask for anything else. */
export const FORMATS = {
  /** Rounded to a whole number, with thousands separators: 46,300. */
  int: (x: number) => Math.round(x).toLocaleString('en-US'),
  /** Three significant digits: 0.814, 23.8, 1,230. */
  '3': (x: number) => sig(x, 3),
  /** Four significant digits (AUCs that differ in the fourth): 0.8139. */
  '4': (x: number) => sig(x, 4),
  /** A share as a percent, three significant digits: 0.875 → 87.5%. */
  '%': (x: number) => `${sig(x * 100, 3)}%`,
  /** Milliseconds, three significant digits: 126 ms. */
  ms: (x: number) => `${sig(x, 3)} ms`,
  /** Milliseconds written as seconds, three significant digits: 66,900 → 66.9 s. */
  s: (x: number) => `${sig(x / 1000, 3)} s`,
  /** Seconds as hours, three significant digits: 46440 → 12.9 hours. */
  h: (x: number) => `${sig(x / 3600, 3)} hours`,
  /** Dollars, three significant digits, trailing zeros kept below $100 as prices are written: $5.40, $28.5, $6,120. */
  $: (x: number) => `$${Math.abs(x) < 100 && x !== 0 ? x.toPrecision(3) : sig(x, 3)}`,
  /** An hourly cost as a month of 730 hours, in whole dollars: 8.39 → $6,124. */
  $month: (x: number) => `$${Math.round(x * 730).toLocaleString('en-US')}`,
} as const satisfies Record<string, (x: number) => string>;

/**
 * What a sweep's narrative may quote besides its points' figures (`{path@variant,x=value}`):
 * each curve's knee and highest value within the SLO, and where two variants swap places.
 * A single run (or the playground's) has none of them: they read as a dash there.
 */
export const SWEEP_READINGS: ReadonlySet<string> = new Set(['kneeX', 'maxXMeetingSlo', 'crossings.costPerMillion', 'crossings.p99']);

/** A format's name. */
export type FormatName = keyof typeof FORMATS;

/** `digits` significant digits, trailing zeros dropped, thousands separated (no exponent form). */
function sig(x: number, digits: number): string {
  if (!Number.isFinite(x)) return String(x);
  const rounded = Number(x.toPrecision(digits));
  return rounded.toLocaleString('en-US', { maximumFractionDigits: 20 });
}

/** One parsed placeholder. */
export interface Placeholder {
  /** The text as written, braces included. */
  text: string;
  path: string;
  variant?: string;
  format: FormatName;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;
const GRAMMAR = /^\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)*)\s*(?:@\s*([^@|]*?)\s*)?(?:\|\s*(\S+)\s*)?$/;

/** Every placeholder in a text; a malformed one is a problem string, not a placeholder. */
export function parsePlaceholders(text: string): { placeholders: Placeholder[]; problems: string[] } {
  const placeholders: Placeholder[] = [];
  const problems: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const g = GRAMMAR.exec(m[1]!);
    const format = g?.[3] ?? '3';
    // Braces around anything that does not start like a path are plain text ("{a, b}").
    if (g === null) continue;
    if (g[2] === '') problems.push(`${m[0]}: not a placeholder; write {path}, {path@variant} or {path@variant|format}`);
    else if (!Object.hasOwn(FORMATS, format)) problems.push(`${m[0]}: unknown format "${format}"; one of ${Object.keys(FORMATS).join(', ')}`);
    else placeholders.push({ text: m[0], path: g[1]!, ...(g[2] !== undefined ? { variant: g[2] } : {}), format: format as FormatName });
  }
  return { placeholders, problems };
}

/**
 * Finds a figure: undefined when the result has no number at that path (an error), null
 * when the figure exists but not in this run (a variant not run), written as a dash.
 */
export type FigureLookup = (path: string, variant: string | undefined) => number | null | undefined;

/**
 * The text with every placeholder replaced by its figure, or the problems (one per bad
 * placeholder) when any is malformed or names a figure the result does not have.
 */
export function fillPlaceholders(text: string, lookup: FigureLookup): { text: string; problems: string[] } {
  const { placeholders, problems } = parsePlaceholders(text);
  const values = new Map<string, string>();
  for (const p of placeholders) {
    const x = lookup(p.path, p.variant);
    if (x === null) values.set(p.text, '–');
    else if (x === undefined || !Number.isFinite(x)) problems.push(`${p.text}: the result has no figure ${p.path}${p.variant !== undefined ? ` for variant "${p.variant}"` : ''}`);
    else values.set(p.text, FORMATS[p.format](x));
  }
  if (problems.length > 0) return { text, problems };
  return { text: text.replace(PLACEHOLDER, (whole) => values.get(whole) ?? whole), problems };
}

/** Whether a text has any placeholder (braces that hold a path). */
export function hasPlaceholders(text: string): boolean {
  const { placeholders, problems } = parsePlaceholders(text);
  return placeholders.length > 0 || problems.length > 0;
}

/** The number at a dotted path of a plain object tree (a run result), or undefined. */
export function numberAt(tree: unknown, path: string): number | undefined {
  let cur: unknown = tree;
  for (const k of path.split('.')) cur = cur !== null && typeof cur === 'object' && Object.hasOwn(cur, k) ? (cur as Record<string, unknown>)[k] : undefined;
  return typeof cur === 'number' ? cur : undefined;
}
