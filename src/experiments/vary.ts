import { parse as parseYaml } from 'yaml';
import { InputError } from '../config/errors.ts';
import { closestPath, leafPaths } from './paths.ts';
import { expandGridPath, isRooflineDefault } from './llm-grid.ts';

/** A `--vary path=...` request: numbers over a range, or a list of values. */
export interface Vary {
  path: string;
  values: Array<number | string>;
  /** True for a whole-number range (replica counts): plan bisects these. */
  integerRange: boolean;
  lo?: number;
  hi?: number;
}

/**
 * Parses `--vary path=lo..hi` (with `steps` points, evenly spaced; whole numbers when
 * both ends are and the current value is) or `--vary path=a,b,c`. The path must exist
 * in the scenario: a typo gets the closest existing path as a suggestion. `llm.<key>`
 * names a key of the one LLM stage's roofline (`llm-grid.ts`), and a roofline key the
 * file leaves to its default may be varied.
 */
export function parseVary(text: string, raw: Record<string, unknown>, steps: number): Vary {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError([`--vary ${text}: expected path=lo..hi or path=a,b,c, e.g. --vary arrivals.qps=100..5000`]);
  const path = expandGridPath(text.slice(0, eq).trim(), raw);
  const spec = text.slice(eq + 1).trim();
  const leaves = leafPaths(raw);
  const here = leaves.find((l) => l.path === path) ?? (isRooflineDefault(path, leaves) ? { path, value: undefined } : undefined);
  if (here === undefined) {
    const near = closestPath(path, raw);
    throw new InputError([`--vary ${path}: no such value in the scenario${near ? ` (did you mean ${near}?)` : ''}`]);
  }
  const range = /^(-?[0-9.e+]+)\s*\.\.\s*(-?[0-9.e+]+)$/.exec(spec);
  if (range) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new InputError([`--vary ${path}: cannot read the range "${spec}"`]);
    if (lo > hi) throw new InputError([`--vary ${path}: the range ${spec} is empty (its start is above its end)`]);
    if (!(steps >= 1) || !Number.isInteger(steps)) throw new InputError([`--steps: expected a whole number of at least 1, got ${steps}`]);
    const integer = Number.isInteger(lo) && Number.isInteger(hi) && (typeof here.value !== 'number' || Number.isInteger(here.value));
    const n = lo === hi ? 1 : steps;
    const values: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1);
      // Four significant digits: points a person can read and type back in.
      const x = integer ? Math.round(v) : +v.toPrecision(4);
      if (!values.includes(x)) values.push(x);
    }
    return { path, values, integerRange: integer, lo, hi };
  }
  const list = spec.split(',').map((s) => s.trim());
  if (list.length === 0 || list.some((s) => s === '')) throw new InputError([`--vary ${path}: the list "${spec}" is empty or has an empty item`]);
  const values = list.map((s) => {
    const v: unknown = parseYaml(s);
    return typeof v === 'number' ? v : s;
  });
  return { path, values, integerRange: false };
}

/** Every combination of the values of several varies (a plan's lists, a sweep's grid), in their order (the last varies fastest). */
export function combinations(lists: readonly Vary[]): Array<Record<string, number | string>> {
  let out: Array<Record<string, number | string>> = [{}];
  for (const v of lists) out = out.flatMap((a) => v.values.map((x) => ({ ...a, [v.path]: x })));
  return out;
}
