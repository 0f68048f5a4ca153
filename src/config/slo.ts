import * as z from 'zod';
import { parseDurationS } from './duration.ts';
import { show } from './fields.ts';

/** A latency objective: a share `fraction` of requests must finish within `latencyS`. */
export interface Slo {
  /** The objective as written, normalised (`"p99 < 100ms"`). */
  target: string;
  latencyS: number;
  /** Share of requests that must be within the target, in (0, 1). */
  fraction: number;
}

const NUM = String.raw`(\d+(?:\.\d+)?)`;
const DUR = String.raw`([0-9.]+(?:e[+-]?\d+)?\s*[a-zµ]+)`;
const PCT_FORM = new RegExp(String.raw`^\s*p${NUM}\s*<\s*${DUR}\s*$`, 'i');
const FOR_FORM = new RegExp(String.raw`^\s*latency\s*<\s*${DUR}\s+for\s+${NUM}\s*%\s*$`, 'i');

/**
 * Parses `"p99 < 100ms"` or `"latency < 100ms for 99.9%"`. Returns an error
 * message instead when the text does not parse.
 */
export function parseSlo(text: string): Slo | string {
  const expected = `expected an SLO like "p99 < 100ms" or "latency < 100ms for 99.9%", got ${show(text)}`;
  let pct: string | undefined;
  let dur: string | undefined;
  const a = PCT_FORM.exec(text);
  if (a) {
    pct = a[1];
    dur = a[2];
  } else {
    const b = FOR_FORM.exec(text);
    if (b) {
      dur = b[1];
      pct = b[2];
    }
  }
  if (pct === undefined || dur === undefined) return expected;
  const latencyS = parseDurationS(dur);
  if (latencyS === undefined || latencyS <= 0) return `${expected} (the latency must be a positive duration like "100ms")`;
  const p = Number(pct);
  if (!(p > 0 && p < 100)) return `${expected} (the percentile must be between 0 and 100, exclusive)`;
  const durText = dur.replace(/\s+/g, '');
  return { target: `p${pct} < ${durText}`, latencyS, fraction: p / 100 };
}

/**
 * A waiting-time service level: a share `fraction` of requests must start service
 * within `waitS` of arriving (the queue waits of every stage on their path, summed),
 * the form call centres staff by with Erlang C ("80% answered within 20 s").
 */
export interface WaitSlo {
  /** As written, normalised (`"wait < 20s for 80%"`). */
  target: string;
  waitS: number;
  /** Share of requests that must wait at most `waitS`, in (0, 1). */
  fraction: number;
}

const WAIT_FORM = new RegExp(String.raw`^\s*wait\s*<\s*${DUR}\s+for\s+${NUM}\s*%\s*$`, 'i');

/** Whether a text is meant as a waiting-time objective (it starts with "wait"). */
export function isWaitSloText(text: string): boolean {
  return /^\s*wait\b/i.test(text);
}

/**
 * Parses `"wait < 20s for 80%"` (a wait of 0 is allowed: `"wait < 0s for 50%"` asks
 * that half start at once, P(wait > 0) ≤ 50 %). An error message instead when it does not parse.
 */
export function parseWaitSlo(text: string): WaitSlo | string {
  const expected = `expected a waiting-time objective like "wait < 20s for 80%", got ${show(text)}`;
  const m = WAIT_FORM.exec(text);
  if (!m) return expected;
  const waitS = parseDurationS(m[1]!);
  if (waitS === undefined || !(waitS >= 0)) return `${expected} (the wait must be a duration like "20s")`;
  const p = Number(m[2]);
  if (!(p > 0 && p < 100)) return `${expected} (the share must be between 0 and 100 %, exclusive)`;
  return { target: `wait < ${m[1]!.replace(/\s+/g, '')} for ${m[2]}%`, waitS, fraction: p / 100 };
}

/** A waiting-time objective as a zod field. */
const oneWaitSlo = () =>
  z
    .string({ error: (iss) => `expected a waiting-time objective like "wait < 20s for 80%", got ${show(iss.input)}` })
    .transform((text, ctx) => {
      const r = parseWaitSlo(text);
      if (typeof r === 'string') {
        ctx.addIssue({ code: 'custom', message: r, input: text });
        return z.NEVER;
      }
      return r;
    });

/** One objective as a zod field: a string parsed into an Slo. */
const oneSlo = () =>
  z
    .string({ error: (iss) => `expected an SLO like "p99 < 100ms", got ${show(iss.input)}` })
    .transform((text, ctx) => {
      const r = parseSlo(text);
      if (typeof r === 'string') {
        ctx.addIssue({ code: 'custom', message: r, input: text });
        return z.NEVER;
      }
      return r;
    });

/**
 * Objectives of an LLM scenario (`slo: { ttft: "p99 < 500ms", tpot: "p99 < 50ms" }`), each
 * optional, with an optional end-to-end `latency` one beside them. A request meets the
 * LLM objective when it meets both its TTFT and TPOT targets (DistServe's goodput).
 */
export interface TokenSlo {
  latency: Slo | null;
  ttft: Slo | null;
  tpot: Slo | null;
  /** A waiting-time objective (`wait: "wait < 20s for 80%"`, or the string form `slo: "wait < …"`); absent without one. */
  wait?: WaitSlo;
}

/** The end-to-end latency objective of either form of `slo:` (null when the object form has none). */
export function latencySlo(s: Slo | TokenSlo | null | undefined): Slo | null {
  if (s === undefined || s === null) return null;
  return 'target' in s ? s : s.latency;
}

const tokenSloObject = z
  .strictObject({ latency: oneSlo().optional(), ttft: oneSlo().optional(), tpot: oneSlo().optional(), wait: oneWaitSlo().optional() })
  .refine((o) => o.latency !== undefined || o.ttft !== undefined || o.tpot !== undefined || o.wait !== undefined, { error: 'give at least one of latency, ttft, tpot, wait' })
  .transform((o): TokenSlo => ({ latency: o.latency ?? null, ttft: o.ttft ?? null, tpot: o.tpot ?? null, ...(o.wait !== undefined ? { wait: o.wait } : {}) }));

/** The waiting-time objective of either form of `slo:`; null when it has none. */
export function waitSlo(s: Slo | TokenSlo | null | undefined): WaitSlo | null {
  if (s === undefined || s === null || 'target' in s) return null;
  return s.wait ?? null;
}

/**
 * The `slo:` key of a scenario: a string parsed into an Slo (a waiting-time one, `"wait < 20s
 * for 80%"`, becomes `{ wait }` of the object form), or `{ latency?, ttft?, tpot?, wait? }`.
 * Dispatched on the value's type rather than a zod union, so that each form keeps its own
 * located messages (a union would report "matches neither").
 */
export const sloSpec = z.unknown().transform((v, ctx): Slo | TokenSlo => {
  if (typeof v !== 'string' && (v === null || typeof v !== 'object' || Array.isArray(v))) {
    ctx.addIssue({ code: 'custom', message: `expected an SLO like "p99 < 100ms" or { ttft: "p99 < 500ms", tpot: "p99 < 50ms" }, got ${show(v)}`, input: v });
    return z.NEVER;
  }
  const r = typeof v === 'string' ? (isWaitSloText(v) ? oneWaitSlo().transform((wait): TokenSlo => ({ latency: null, ttft: null, tpot: null, wait })).safeParse(v) : oneSlo().safeParse(v)) : tokenSloObject.safeParse(v);
  if (r.success) return r.data;
  for (const iss of r.error.issues) ctx.addIssue(iss as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});
