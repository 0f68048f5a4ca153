import { InputError, withContext } from '../config/errors.ts';
import { applyOverrides, type Override } from '../config/overrides.ts';
import { expandScenario, rawFromObject, validateScenario, type RawScenario } from '../config/parse.ts';
import type { Scenario, ScenarioInput } from '../config/schema.ts';

/**
 * A scenario read but not validated, to validate with different overrides (variants,
 * sweep points, plan assignments). The CLI's RawFile is one; `scenarioSource` makes
 * one from an object in memory.
 */
export interface ScenarioSource {
  /** How messages name the scenario (a file path, a built-in name). */
  ref: string;
  /** The raw scenario, topology shorthands expanded (never mutated: validation works on copies). */
  raw: Record<string, unknown>;
  /** Validates a copy with `overrides`; problems are prefixed with `context` when given. */
  validate(overrides: readonly Override[], context?: string): Scenario;
  /** Validates a raw object derived from `raw`; problems are prefixed with `context`. */
  validateRaw(raw: Record<string, unknown>, context: string): Scenario;
}

/** A validated scenario under the name an experiment shows it by. */
export interface NamedScenario {
  name: string;
  scenario: Scenario;
}

/** One configuration a file declares: its name and its changes to the base scenario. */
export interface VariantSpec {
  name: string;
  changes: Override[];
}

/** A ScenarioSource over a raw scenario already read (topologies expanded): every validation works on a copy. */
export function sourceOf(ref: string, rs: RawScenario): ScenarioSource {
  return {
    ref,
    raw: structuredClone(rs.raw),
    validate: (overrides, context) => withContext(context, () => validateScenario({ ...rs, raw: structuredClone(rs.raw) }, overrides)),
    validateRaw: (raw, context) => withContext(context, () => validateScenario({ ...rs, raw: structuredClone(raw) }, [])),
  };
}

/** A ScenarioSource over a scenario object in memory (what `defineScenario` takes); `ref` names it in messages. */
export function scenarioSource(input: ScenarioInput | Record<string, unknown>, ref = 'scenario'): ScenarioSource {
  const rs = rawFromObject(input, ref);
  expandScenario(rs, []);
  return sourceOf(ref, rs);
}

/**
 * Validates a scenario object in memory, every default applied: what `replicate` and
 * `compare` take. Throws an InputError listing every problem.
 */
export function toScenario(input: ScenarioInput | Record<string, unknown>, ref = 'scenario'): Scenario {
  return scenarioSource(input, ref).validate([]);
}

/**
 * The configurations a raw scenario declares: the base first (named by `baseName`,
 * else "base", with no changes), then each entry of `variants` in file order. Only
 * the base when it declares none. The one place variants become changes: compare,
 * sweep and `run --variant` all read them here.
 */
export function declaredVariants(raw: Record<string, unknown>): VariantSpec[] {
  const out: VariantSpec[] = [{ name: typeof raw.baseName === 'string' ? raw.baseName : 'base', changes: [] }];
  const variants = raw.variants;
  if (variants === undefined || variants === null || typeof variants !== 'object') return out;
  for (const [name, changes] of Object.entries(variants as Record<string, Record<string, unknown> | null>)) {
    out.push({ name, changes: Object.entries(changes ?? {}).map(([path, value]) => ({ path, value })) });
  }
  return out;
}

/** The configuration `name` of a raw scenario (the base wins a tie with a variant of its name); `ref` names it in the refusal. */
export function variantNamed(ref: string, raw: Record<string, unknown>, name: string): VariantSpec {
  const all = declaredVariants(raw);
  const v = all.find((x) => x.name === name);
  if (v === undefined) throw new InputError([`--variant ${name}: ${ref} has no such variant (it has: ${all.map((x) => x.name).join(', ')})`]);
  return v;
}

/**
 * The configurations a compare runs, validated: several sources (each its own
 * configuration, named by its `name`), or one source's declared variants. Every
 * variant is checked before any problem is reported (all problems in one pass), and a
 * variant that changes nothing is refused.
 */
export function expandVariants<S extends ScenarioSource>(sources: readonly S[], set: readonly Override[]): Array<NamedScenario & { source: S }> {
  if (sources.length > 1) {
    return sources.map((f, i) => {
      const s = f.validate(set);
      return { name: s.name ?? `${f.ref}#${i}`, scenario: s, source: f };
    });
  }
  const f = sources[0]!;
  const [baseSpec, ...variants] = declaredVariants(f.raw);
  if (variants.length === 0) {
    throw new InputError([`${f.ref}: compare needs two or more scenario files, or one file with variants: { name: { path: value } }`]);
  }
  const base = f.validate(set);
  const out = [{ name: baseSpec!.name, scenario: base, source: f }];
  const problems: string[] = [];
  for (const { name, changes } of variants) {
    try {
      const raw = structuredClone(f.raw);
      delete raw.variants;
      applyOverrides(raw, [...set, ...changes]);
      const s = f.validateRaw(raw, `variants.${name}`);
      const same = JSON.stringify({ ...s, name: undefined, variants: undefined }) === JSON.stringify({ ...base, name: undefined, variants: undefined });
      if (same) throw new InputError([`${f.ref}: variants.${name}: changes nothing (every value it sets equals the base scenario's)`]);
      out.push({ name, scenario: s, source: f });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      // A bad path in the variant reads like a --set one: say whose it is.
      problems.push(...err.problems.map((p) => (p.startsWith('--set ') ? `${f.ref}: variants.${name}: ${p.slice(6)}` : p)));
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return out;
}
