import { parse as parseYamlScalar } from 'yaml';
import { InputError } from './errors.ts';
import { FORBIDDEN_KEYS, findForbiddenKey, forbiddenKeyMessage } from './keys.ts';
import { shownField } from './shown.ts';

/** One `--set path=value` override. */
export interface Override {
  path: string;
  value: unknown;
}

/** Parses `path=value`; the value is read as YAML, so `8` is a number and `10ms` a string. */
export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError([`--set ${shownField(text)}: expected path=value, e.g. --set stages.model.replicas=8`]);
  const path = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1);
  let value: unknown;
  try {
    value = parseYamlScalar(raw);
  } catch {
    value = raw;
  }
  const bad = findForbiddenKey(value);
  if (bad !== undefined) throw new InputError([`--set ${shownField(path)}: in the value, ${shownField(bad.path)}: ${forbiddenKeyMessage(bad.key)}`]);
  return { path, value: value ?? raw };
}

/** Splits `stages[0].service.mean` or `stages.model.replicas` into keys. */
export function splitPath(path: string): Array<string | number> {
  const keys: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m || (m[1] === '' && m[2] === '')) throw new InputError([`--set ${shownField(path)}: cannot read the path (use dots and [index], e.g. stages[0].replicas)`]);
    if (m[1] !== '') {
      if (FORBIDDEN_KEYS.has(m[1]!)) throw new InputError([`--set ${shownField(path)}: ${forbiddenKeyMessage(m[1]!)}`]);
      keys.push(m[1]!);
    }
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
    const shown = shownField(path);
    const resolved: Array<string | number> = [];
    let cur: unknown = raw;
    for (let i = 0; i < keys.length; i++) {
      let key = keys[i]!;
      const last = i === keys.length - 1;
      if (Array.isArray(cur) && typeof key === 'string') {
        const idx = cur.findIndex((e) => e && typeof e === 'object' && (e as { name?: unknown }).name === key);
        if (idx < 0) {
          throw new InputError([`--set ${shown}: no element named "${shownField(key)}" (there are: ${namesIn(cur) || 'none'})`]);
        }
        key = idx;
      }
      if (cur === null || typeof cur !== 'object') throw new InputError([`--set ${shown}: "${shownField(keys.slice(0, i).join('.'))}" is not an object`]);
      if (typeof key === 'number') {
        // An index may name an element or append one right after the last; a gap
        // would allocate (stages[99999999]) and is always a typo.
        if (!Array.isArray(cur)) throw new InputError([`--set ${shown}: "${shownField(keys.slice(0, i).join('.'))}" is not a list, so [${key}] names nothing`]);
        if (key > cur.length) {
          const names = namesIn(cur);
          throw new InputError([`--set ${shown}: index ${key} is beyond the list, which has ${cur.length} element${cur.length === 1 ? '' : 's'}${names ? ` (named: ${names})` : ''}; use an index up to ${cur.length}`]);
        }
      }
      resolved.push(key);
      const obj = cur as Record<string | number, unknown>;
      if (last) obj[key] = value;
      else {
        // Own properties only: "toString" must not walk into Object.prototype.
        if (!Object.hasOwn(obj, key) || obj[key] === undefined) obj[key] = typeof keys[i + 1] === 'number' ? [] : {};
        cur = obj[key];
      }
    }
    set.push({ override: `--set ${shown}`, path: resolved });
  }
  return set;
}

/** The names of a list's elements, for messages (`retrieval, ranker`). */
function namesIn(list: readonly unknown[]): string {
  const names = list
    .map((e) => (e && typeof e === 'object' ? (e as { name?: unknown }).name : undefined))
    .filter((n): n is string => typeof n === 'string');
  return `${names.slice(0, 20).map((n) => shownField(n, 40)).join(', ')}${names.length > 20 ? ', …' : ''}`;
}
