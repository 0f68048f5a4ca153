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
