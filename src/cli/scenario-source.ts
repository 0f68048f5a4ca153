import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { InputError } from '../config/errors.ts';
import { importScenarioModule } from './module-scenario.ts';
import { sourceOf } from '../experiments/variants.ts';
import type { Override } from '../config/overrides.ts';
import { shownField } from '../config/shown.ts';
import { checkScenarioSize, expandScenario, parseScenarioText, rawFromObject, validateScenario, type RawScenario } from '../config/parse.ts';
import type { Scenario } from '../config/schema.ts';
import { builtinNames, builtinPath, TEXT_EXT } from './builtins.ts';

/** The scenario `servesim run` uses when given none. */
export const DEFAULT_SCENARIO = 'accuracy-vs-latency';

const MODULE_EXT = new Set(['.ts', '.mts', '.js', '.mjs']);

/** The file a scenario reference names: a path, or a built-in scenario's file. */
function resolveFile(ref: string): string {
  const path = resolve(ref);
  const exists = existsSync(path);
  if (exists && statSync(path).isFile()) return path;
  const looksLikePath = ref.includes('/') || ref.includes('\\') || /\.(ya?ml|json|m?ts|m?js)$/i.test(ref);
  const builtin = looksLikePath ? undefined : builtinPath(ref);
  // A folder, FIFO or device is never read (a FIFO would wait for a writer forever);
  // a bare word that is also a built-in name (a folder `mm4` here) means the built-in.
  if (exists && builtin === undefined) throw new InputError([`${shownField(ref)}: not a regular file (a scenario is a .yaml, .yml, .json or .ts file)`]);
  if (builtin === undefined) {
    // A path gets a plain answer; a bare word may have been meant as a built-in name.
    if (looksLikePath) throw new InputError([`${ref}: no such scenario file`]);
    throw new InputError([`${ref}: no such scenario file, and no built-in scenario of that name (built-in: ${builtinNames().join(', ')})`]);
  }
  return builtin;
}

/**
 * Reads a scenario file into a raw (unvalidated) scenario: YAML or JSON text (data), or
 * a TypeScript/JavaScript module's default export. A module is CODE and runs when
 * imported: it is loaded only here, for a file the user named on the command line
 * (built-in names are YAML only, and merge never gets here: parts carry data).
 */
async function loadRaw(ref: string, file: string): Promise<RawScenario> {
  const ext = extname(file).toLowerCase();
  if (TEXT_EXT.has(ext)) {
    checkScenarioSize(ref, statSync(file).size); // before reading it whole
    return parseScenarioText({ name: ref, text: readFileSync(file, 'utf8') });
  }
  if (MODULE_EXT.has(ext)) {
    let mod: { default?: unknown };
    try {
      mod = await importScenarioModule(file);
    } catch (err) {
      throw new InputError([`${ref}: cannot load the module: ${shownField(String((err as Error)?.message ?? err).split('\n')[0]!, 160)}`]);
    }
    return rawFromObject(mod.default, ref);
  }
  throw new InputError([`${ref}: unknown scenario file type "${ext}" (use .yaml, .yml or .json, or a .ts, .mts, .js or .mjs module)`]);
}

/** A loaded scenario and the folder its relative paths (traces) resolve against. */
export interface LoadedScenario {
  scenario: Scenario;
  baseDir: string;
}

/**
 * Loads and validates a scenario given as a path (YAML, JSON, or a TypeScript
 * module whose default export is `defineScenario({...})`) or as a built-in name.
 */
export async function loadScenario(ref: string, overrides: readonly Override[] = []): Promise<Scenario> {
  return (await loadScenarioFile(ref, overrides)).scenario;
}

/** Like loadScenario, with the scenario's folder. */
export async function loadScenarioFile(ref: string, overrides: readonly Override[] = []): Promise<LoadedScenario> {
  const file = resolveFile(ref);
  return { scenario: validateScenario(await loadRaw(ref, file), overrides), baseDir: dirname(file) };
}

/** The expanded raw scenario (for `explain`), its validated form, and the shorthand used. */
export async function loadForExplain(
  ref: string,
  overrides: readonly Override[],
): Promise<{ raw: Record<string, unknown>; scenario: Scenario; topology: string | undefined }> {
  const rs = await loadRaw(ref, resolveFile(ref));
  const topology = expandScenario(rs, overrides);
  const expanded = structuredClone(rs.raw);
  return { raw: expanded, scenario: validateScenario(rs), topology };
}

/** A scenario file read but not validated, to validate with different overrides (variants, sweeps, plans). */
export interface RawFile {
  ref: string;
  baseDir: string;
  /** The raw scenario with topology shorthands expanded (never mutated: validate works on copies). */
  raw: Record<string, unknown>;
  /** Validates a copy with `overrides`; errors are prefixed with `context` when given. */
  validate(overrides: readonly Override[], context?: string): Scenario;
  /** Validates a raw object derived from `raw`; errors are prefixed with `context`. */
  validateRaw(raw: Record<string, unknown>, context: string): Scenario;
  /** Set when the scenario came from a part file (merge): there is no folder, and no trace may be opened. */
  fromPart?: string;
}

/** Reads scenario files through `loadRawFile`, remembering the content of each (what a shard's part carries). */
export function recordingLoader(): { load: (ref: string) => Promise<RawFile>; content: (ref: string) => Record<string, unknown> | undefined } {
  const seen = new Map<string, Record<string, unknown>>();
  return {
    load: async (ref) => {
      const f = await loadRawFile(ref);
      if (!seen.has(ref)) seen.set(ref, structuredClone(f.raw));
      return f;
    },
    content: (ref) => seen.get(ref),
  };
}

/** A RawFile over a raw scenario already read: every validation works on a copy. */
function rawFileOf(ref: string, rs: RawScenario, baseDir: string): RawFile {
  return { ...sourceOf(ref, rs), baseDir };
}

/**
 * A scenario carried as data (by a part file), validated exactly like a file's content
 * (forbidden keys included) but never read from disk: no module is loaded and no trace
 * can be opened.
 */
export function rawFileFromData(ref: string, raw: Record<string, unknown>, source: string): RawFile {
  const where = `${source} (scenario ${ref})`;
  return { ...rawFileOf(ref, rawFromObject(raw, where), ''), fromPart: source };
}

/** Reads a scenario file once for commands that validate it several ways. */
export async function loadRawFile(ref: string): Promise<RawFile> {
  const file = resolveFile(ref);
  const rs = await loadRaw(ref, file);
  expandScenario(rs, []);
  return rawFileOf(ref, rs, dirname(file));
}

