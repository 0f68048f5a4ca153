const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses a trace timestamp to seconds: either a number of seconds (`12.5`) or an ISO
 * date-time (`2023-11-16 18:17:03.9799600`, `T` or space, optional fraction of any
 * length and zone). A date-time without a zone is read as UTC, never as the machine's
 * local time, so replays do not depend on where they run. Returns undefined when the
 * text is neither.
 */
export function parseTimestampS(text: string): number | undefined {
  const p = parseTimestamp(text);
  return p === undefined ? undefined : p.wholeS + p.fracS;
}

/** A timestamp split into whole seconds and a fraction, so differences keep full precision. */
export interface TimestampParts {
  wholeS: number;
  fracS: number;
}

/**
 * Like parseTimestampS, but keeps whole seconds since the epoch (exact in a double)
 * apart from the fraction: 1.7e9 s plus 100 ns steps would otherwise round to 2e-7 s.
 */
export function parseTimestamp(text: string): TimestampParts | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  if (Number.isFinite(n)) return { wholeS: Math.floor(n), fracS: n - Math.floor(n) };
  const m = ISO_RE.exec(t);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return { wholeS: ms / 1000, fracS: frac ? Number(frac) : 0 };
}
