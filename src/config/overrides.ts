import { parse as parseYamlScalar } from 'yaml';
import { InputError } from './errors.ts';

/** One `--set path=value` override. */
export interface Override {
  path: string;
  value: unknown;
}

/** Parses `path=value`; the value is read as YAML, so `8` is a number and `10ms` a string. */
export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError([`--set ${text}: expected path=value, e.g. --set stages.model.replicas=8`]);
  const path = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1);
  let value: unknown;
  try {
    value = parseYamlScalar(raw);
  } catch {
    value = raw;
  }
  return { path, value: value ?? raw };
}

/** Splits `stages[0].service.mean` or `stages.model.replicas` into keys. */
export function splitPath(path: string): Array<string | number> {
  const keys: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m || (m[1] === '' && m[2] === '')) throw new InputError([`--set ${path}: cannot read the path (use dots and [index], e.g. stages[0].replicas)`]);
    if (m[1] !== '') keys.push(m[1]!);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) keys.push(Number(idx[1]));
  }
  return keys;
}

/**
 * Applies overrides to a raw (unvalidated) scenario object, in place. A named
 * list element can be addressed by its `name` (`stages.model.replicas`). Missing
 * objects on the way are created, so the schema then judges the result: a typo in
 * a key becomes an "unknown key" error, never a silent default. Returns each override
 * with its path resolved to keys and indices, so errors can name the override.
 */
export function applyOverrides(raw: Record<string, unknown>, overrides: readonly Override[]): Array<{ override: string; path: Array<string | number> }> {
  const set: Array<{ override: string; path: Array<string | number> }> = [];
  for (const { path, value } of overrides) {
    const keys = splitPath(path);
    const resolved: Array<string | number> = [];
    let cur: unknown = raw;
    for (let i = 0; i < keys.length; i++) {
      let key = keys[i]!;
      const last = i === keys.length - 1;
      if (Array.isArray(cur) && typeof key === 'string') {
        const idx = cur.findIndex((e) => e && typeof e === 'object' && (e as { name?: unknown }).name === key);
        if (idx < 0) {
          const names = cur.map((e) => (e as { name?: unknown })?.name).filter((n) => typeof n === 'string');
          throw new InputError([`--set ${path}: no element named "${key}" (there are: ${names.join(', ') || 'none'})`]);
        }
        key = idx;
      }
      resolved.push(key);
      if (cur === null || typeof cur !== 'object') throw new InputError([`--set ${path}: "${keys.slice(0, i).join('.')}" is not an object`]);
      const obj = cur as Record<string | number, unknown>;
      if (last) obj[key] = value;
      else {
        if (obj[key] === undefined) obj[key] = typeof keys[i + 1] === 'number' ? [] : {};
        cur = obj[key];
      }
    }
    set.push({ override: `--set ${path}`, path: resolved });
  }
  return set;
}
