import { closest } from 'fastest-levenshtein';
import type { z } from 'zod';
import { formatPath } from './errors.ts';
import { show } from './fields.ts';
import { shownField } from './shown.ts';

type Issue = z.core.$ZodIssue;

/** Keys a strict object accepts, read from the schema for did-you-mean hints. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[], root: unknown): string[] {
  // Walk the schema along the path, following arrays and unions, to find the object.
  let cur: unknown = schema;
  let value: unknown = root;
  const unwrap = (s: unknown): unknown => {
    let x = s as { def?: { type?: string; innerType?: unknown; in?: unknown; schema?: unknown; options?: unknown[]; discriminator?: string; element?: unknown } };
    for (let guard = 0; guard < 20 && x?.def; guard++) {
      const d = x.def;
      if (d.type === 'optional' || d.type === 'nullable' || d.type === 'default' || d.type === 'readonly') x = d.innerType as typeof x;
      else if (d.type === 'pipe') x = d.in as typeof x;
      else if (d.type === 'union' && Array.isArray(d.options)) {
        const disc = d.discriminator;
        const tag = disc !== undefined && value && typeof value === 'object' ? (value as Record<string, unknown>)[disc] : undefined;
        const match = d.options.find((o) => {
          // An option may be an object, or a pipe from one (a transform after it, e.g. the plug-in forms).
          type Shaped = { def?: { shape?: Record<string, { def?: { values?: unknown[] } }>; in?: Shaped } };
          const od = (o as Shaped).def;
          const shape = od?.shape ?? od?.in?.def?.shape;
          return disc !== undefined && shape?.[disc]?.def?.values?.includes(tag);
        });
        x = (match ?? d.options[0]) as typeof x;
      } else break;
    }
    return x;
  };
  for (const p of path) {
    cur = unwrap(cur);
    const def = (cur as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown } }).def;
    if (def?.type === 'array') cur = def.element;
    else if (def?.type === 'object' && def.shape) cur = def.shape[String(p)];
    else return [];
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[p as string] : undefined;
  }
  cur = unwrap(cur);
  const shape = (cur as { def?: { shape?: Record<string, unknown> } }).def?.shape;
  return shape ? Object.keys(shape) : [];
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p as string];
  }
  return v;
}

/** One located problem: a path into the input and a message. */
export interface Problem {
  path: PropertyKey[];
  message: string;
}

/**
 * Turns zod issues into one plain message per problem, each with its path. Past
 * `detailed` problems (only the first ones are shown) unknown keys get no
 * did-you-mean hint. PERF: a file of 40k typos would otherwise pay 40k fuzzy matches.
 */
export function describeIssues(schema: z.ZodType, issues: readonly Issue[], input: unknown, detailed = MAX_PROBLEMS_SHOWN): Problem[] {
  const out: Problem[] = [];
  for (const iss of issues) {
    const path = [...iss.path];
    switch (iss.code) {
      case 'unrecognized_keys': {
        const known = knownKeys(schema, path, input);
        for (const key of iss.keys) {
          if (out.length >= detailed) {
            out.push({ path: [...path, key], message: 'unknown key' });
            continue;
          }
          const near = known.length > 0 ? closest(key, known) : undefined;
          const hint = near !== undefined && near !== key ? ` (did you mean "${near}"?)` : '';
          const list = known.length > 0 ? `; allowed here: ${known.join(', ')}` : '';
          out.push({ path: [...path, key], message: `unknown key${hint}${list}` });
        }
        break;
      }
      case 'invalid_union': {
        if (iss.discriminator !== undefined && 'options' in iss && iss.options) {
          const p = path[path.length - 1] === iss.discriminator ? path : [...path, iss.discriminator];
          const got = valueAt(input, p);
          const opts = iss.options.map((o) => JSON.stringify(o)).join(', ');
          out.push({ path: p, message: got === undefined ? `missing; expected one of ${opts}` : `expected one of ${opts}, got ${show(got)}` });
        } else {
          out.push({ path, message: iss.message });
        }
        break;
      }
      case 'invalid_type': {
        const got = valueAt(input, path);
        if (got === undefined) out.push({ path, message: 'missing (required)' });
        else if (iss.message.startsWith('Invalid input')) out.push({ path, message: `expected ${iss.expected === 'object' ? 'an object' : iss.expected === 'array' ? 'a list' : `a ${iss.expected}`}, got ${show(got)}` });
        else out.push({ path, message: iss.message });
        break;
      }
      case 'invalid_value': {
        const got = valueAt(input, path);
        const vals = iss.values.map((v) => JSON.stringify(v));
        const expected = vals.length <= 2 ? vals.join(' or ') : `one of ${vals.join(', ')}`;
        out.push({ path, message: `expected ${expected}, got ${show(got)}` });
        break;
      }
      default:
        out.push({ path, message: iss.message });
    }
  }
  return out;
}

/** Formats a problem as `path: message` (the path may be empty for the whole file). */
export function formatProblem(p: Problem): string {
  // A path holds user keys: shown without control characters and cut if very long.
  const where = shownField(formatPath(p.path), 160);
  return where === '' ? p.message : `${where}: ${p.message}`;
}

/** Most problems listed in one message; a file with thousands of typos gets the first ones and a count. */
export const MAX_PROBLEMS_SHOWN = 20;

/** The first `max` problems, plus one line counting the rest. */
export function capProblems(problems: readonly string[], max = MAX_PROBLEMS_SHOWN): string[] {
  if (problems.length <= max) return [...problems];
  const rest = problems.length - max;
  return [...problems.slice(0, max), `… and ${rest} more problem${rest === 1 ? '' : 's'} (showing the first ${max} of ${problems.length})`];
}

type Rec = Record<string, unknown>;
// A batch-aware service time (so no batching check fires) without a table to check.
const SERVICE_STUB = { dist: 'linear', base: 0 };
const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The scenario as the whole-scenario checks (catalog names, stage graph, warm-up against
 * run length) may read it after some fields failed their own checks, so that every
 * problem is reported in one pass instead of some only after others are fixed. Returns
 * `value` itself when nothing failed for good. Otherwise each part with a problem inside is
 * left out or replaced by a neutral stub that cannot raise a problem of its own: a failed
 * stage field is dropped (a failed service, model or hardware leaves a stub service time),
 * a failed catalog entry keeps its name, a failed `stop`/`warmup` becomes empty, a failed
 * `arrivals` ends with its file like a trace.
 * Returns undefined when the stages themselves are unreadable (nothing to cross-check).
 */
export function intactView<T>(value: T, issues: ReadonlyArray<{ path?: readonly PropertyKey[] | undefined; continue?: boolean | undefined }>): T | undefined {
  // Continuable issues (a refinement such as "at least 1", an unknown key) leave the value
  // as parsed, so the checks read it as zod would have run them; the others may leave a
  // raw or missing value behind.
  const hard = issues.filter((iss) => iss.continue !== true);
  if (hard.length === 0) return value;
  const s = value as unknown;
  if (!isRec(s) || !Array.isArray(s.stages)) return undefined;
  const broken = (...prefix: PropertyKey[]) => hard.some((iss) => prefix.every((k, i) => iss.path?.[i] === k));
  const out: Rec = { ...s };
  out.stages = s.stages.map((st: unknown, i: number) => {
    if (!isRec(st)) return { name: `stages[${i}]`, service: SERVICE_STUB };
    const bad = (key: string) => broken('stages', i, key);
    if (!['name', 'model', 'hardware', 'service', 'replicas', 'batching', 'precompute', 'fallback', 'fanout', 'autoscale', 'cache', 'candidates', 'keep', 'llm', 'faults'].some(bad)) return st;
    const v: Rec = { ...st };
    // "stages[i]" is no valid stage name, so it never matches another stage by accident.
    if (bad('name') && typeof v.name !== 'string') v.name = `stages[${i}]`;
    // With a service time in place, the model and hardware names (if they parsed) are
    // still checked, and no "give the stage a service time" follows from a failed one.
    if (bad('model')) delete v.model;
    if (bad('hardware')) delete v.hardware;
    if (bad('model') || bad('hardware') || bad('service')) v.service = SERVICE_STUB;
    // A failed faults: block (null, or a distribution that did not parse) is not checked further: its own problem is reported.
    for (const key of ['replicas', 'batching', 'precompute', 'fallback', 'fanout', 'autoscale', 'candidates', 'keep', 'faults']) if (bad(key)) delete v[key];
    if (bad('cache')) v.cache = {};
    // A failed llm: block stays an LLM stage (no "give it a service time", no "tokens without an llm stage").
    if (bad('llm')) v.llm = {};
    return v;
  });
  for (const key of ['hardware', 'models'] as const) {
    if (!broken(key)) continue;
    const cat = isRec(s[key]) ? (s[key] as Rec) : {};
    const view: Rec = Object.create(null) as Rec;
    for (const [name, entry] of Object.entries(cat)) {
      if (!broken(key, name)) view[name] = entry;
      // A stub entry: the name exists; a device no model lacks (none), and profiles for both devices.
      else if (key === 'hardware') view[name] = { device: undefined, usdPerHour: 1 };
      else view[name] = { latency: { cpu: { base: 0, perItem: 0 }, gpu: { base: 0, perItem: 0 } } };
    }
    out[key] = view;
  }
  for (const key of ['stop', 'warmup'] as const) if (broken(key)) out[key] = {};
  if (broken('arrivals')) out.arrivals = { process: 'trace' };
  if (broken('users')) out.users = { count: 1 };
  if (broken('tokens')) delete out.tokens;
  return out as T;
}
