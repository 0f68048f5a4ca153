import * as z from 'zod';
import { parseDurationS } from './duration.ts';

/** Renders a user's value for an error message: strings quoted, the rest as JSON. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  // JSON escapes control characters; a long value is cut, so a message never echoes a whole file.
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 79)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** A duration string with a unit, parsed to seconds (>= 0). */
export function duration() {
  const msg = (v: unknown) => `expected a duration like "10ms", got ${show(v)}`;
  return z
    .string({ error: (iss) => msg(iss.input) })
    .transform((s, ctx) => {
      const v = parseDurationS(s);
      if (v === undefined) {
        ctx.addIssue({ code: 'custom', message: msg(s), input: s });
        return z.NEVER;
      }
      return v;
    });
}

/** A duration that must be strictly positive. */
export function positiveDuration() {
  return duration().refine((v) => v > 0, { error: 'must be longer than 0' });
}

/** A finite number > 0. */
export function positiveNumber() {
  return z
    .number({ error: (iss) => `expected a number, got ${show(iss.input)}` })
    .refine((v) => Number.isFinite(v) && v > 0, { error: (iss) => `must be greater than 0, got ${show(iss.input)}` });
}

/** A finite number >= 0. */
export function nonNegativeNumber() {
  return z
    .number({ error: (iss) => `expected a number, got ${show(iss.input)}` })
    .refine((v) => Number.isFinite(v) && v >= 0, { error: (iss) => `must be 0 or more, got ${show(iss.input)}` });
}

/** An integer >= 1. */
export function positiveInt() {
  return z
    .number({ error: (iss) => `expected a whole number, got ${show(iss.input)}` })
    .refine((v) => Number.isInteger(v) && v >= 1, { error: (iss) => `expected a whole number of at least 1, got ${show(iss.input)}` });
}

/** An integer >= 0. */
export function nonNegativeInt() {
  return z
    .number({ error: (iss) => `expected a whole number, got ${show(iss.input)}` })
    .refine((v) => Number.isInteger(v) && v >= 0, { error: (iss) => `expected a whole number of at least 0, got ${show(iss.input)}` });
}
