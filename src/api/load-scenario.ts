import { resolve } from 'node:path';
import { parseScenarioText, validateScenario } from '../config/parse.ts';
import type { Scenario, ScenarioInput } from '../config/schema.ts';
import type { TraceOpener } from '../config/trace-csv.ts';
import { loadScenarioFile } from '../cli/scenario-source.ts';
import { traceAccess, traceOpener } from '../cli/trace-file.ts';
import { scenarioSource } from '../experiments/variants.ts';

/** What `loadScenario` accepts: a scenario object (`defineScenario({...})`), a path or built-in name, or YAML/JSON text. */
export type ScenarioLike = ScenarioInput | Record<string, unknown> | string;

/** Scenarios loadScenario validated, and how each opens its traces (a file's folder bounds them, as in the CLI). */
const loaded = new WeakMap<object, TraceOpener | undefined>();

/** Freezes a validated scenario and everything in it: nothing can change it after validation. */
function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || Object.isFrozen(v)) continue;
    Object.freeze(v);
    for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k]);
  }
  return value;
}

function done(s: Scenario, openTrace?: TraceOpener): Scenario {
  loaded.set(deepFreeze(s), openTrace);
  return s;
}

/** A string is scenario text when it spans lines or opens a JSON object; else it names a file or a built-in scenario. */
const isText = (s: string): boolean => s.includes('\n') || s.trimStart().startsWith('{');

/**
 * Validates a scenario, applying every default, and returns it frozen (immutable). The
 * input is never changed. It is one of:
 * - an object (what `defineScenario({...})` returns, or plain data),
 * - YAML or JSON text (a string with a line break, or one opening with `{`),
 * - a path to a `.yaml`/`.yml`/`.json` file or a TypeScript/JavaScript module whose
 *   default export is the scenario, or a built-in scenario's name (`mm4`).
 * Throws an `InputError` listing every problem (`file:line:col: path: problem`).
 * A scenario from a file may replay trace files inside that file's folder.
 */
export async function loadScenario(input: ScenarioLike, options: { name?: string } = {}): Promise<Scenario> {
  if (isLoaded(input)) return input;
  if (typeof input === 'string') {
    if (isText(input)) return done(validateScenario(parseScenarioText({ name: options.name ?? 'scenario', text: input })));
    const f = await loadScenarioFile(input);
    return done(f.scenario, traceOpener(traceAccess({ ref: input, baseDir: resolve(f.baseDir) }, { set: [] })));
  }
  return done(scenarioSource(input, options.name ?? 'scenario').validate([]));
}

/** Whether a value is a scenario `loadScenario` returned (validated and frozen). */
export function isLoaded(x: unknown): x is Scenario {
  return x !== null && typeof x === 'object' && loaded.has(x);
}

/** How a loaded scenario opens its trace files (undefined: it was not loaded from a file, or opens none). */
export function traceOpenerOf(s: Scenario): TraceOpener | undefined {
  return loaded.get(s);
}
