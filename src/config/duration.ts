/** Seconds per unit of the duration strings scenarios use. */
const UNIT_S: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  min: 60,
  h: 3600,
  d: 86400,
};

const DURATION_RE = /^\s*(\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)\s*(ns|us|µs|ms|s|min|m|h|d)\s*$/i;

/**
 * Parses a duration string with a unit (`"250us"`, `"10ms"`, `"1.5s"`, `"2m"`,
 * `"1h"`, `"1d"`) into seconds. Returns undefined when it does not parse: a bare
 * number is refused on purpose, since "10" could mean seconds or milliseconds.
 */
export function parseDurationS(text: string): number | undefined {
  const m = DURATION_RE.exec(text);
  if (!m) return undefined;
  const unit = UNIT_S[m[2]!.toLowerCase()] ?? UNIT_S[m[2]!];
  if (unit === undefined) return undefined;
  const v = Number(m[1]) * unit;
  return Number.isFinite(v) ? v : undefined;
}

/** Formats seconds as a short human duration (`"250us"`, `"12.5ms"`, `"3s"`). */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  if (seconds < 1e-3) return `${+(seconds * 1e6).toPrecision(4)}us`;
  if (seconds < 1) return `${+(seconds * 1e3).toPrecision(4)}ms`;
  if (seconds < 120) return `${+seconds.toPrecision(4)}s`;
  if (seconds < 7200) return `${+(seconds / 60).toPrecision(4)}m`;
  return `${+(seconds / 3600).toPrecision(4)}h`;
}
