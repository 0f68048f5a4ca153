/**
 * Keys that would reach an object's prototype machinery if a user key became an
 * object key (`__proto__.x`, `constructor.prototype.x`): refused wherever a user
 * writes a key (scenario files, `--set` paths, variant paths).
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The message for a forbidden key, shared by files and `--set`. */
export function forbiddenKeyMessage(key: string): string {
  return `the key "${key}" is not allowed (it names JavaScript object machinery, never a scenario setting)`;
}

/** Whether `name` is an own entry of a registry or catalog (never an inherited `toString`). */
export function hasEntry(registry: object, name: unknown): name is string {
  return typeof name === 'string' && Object.hasOwn(registry, name);
}

/**
 * The path of the first forbidden key in a parsed value (a `--set` value such as
 * `{__proto__: {...}}`), or undefined. Iterative: depth costs no stack.
 */
export function findForbiddenKey(value: unknown): { path: string; key: string } | undefined {
  const stack: Array<{ v: unknown; path: string }> = [{ v: value, path: '' }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) v.forEach((e, i) => stack.push({ v: e, path: `${path}[${i}]` }));
    else {
      for (const key of Object.keys(v)) {
        const p = path === '' ? key : `${path}.${key}`;
        if (FORBIDDEN_KEYS.has(key)) return { path: p, key };
        stack.push({ v: (v as Record<string, unknown>)[key], path: p });
      }
    }
  }
  return undefined;
}
