import { LineCounter, parseDocument, isNode } from 'yaml';
import { InputError } from './errors.ts';
import { applyOverrides, type Override } from './overrides.ts';
import { scenarioSchema, type Scenario, type ScenarioInput } from './schema.ts';
import { describeIssues, formatProblem } from './validate.ts';
import { expandTopology } from '../scenarios/topologies/index.ts';

/** Where a text came from, for messages (`scenarios/mm4.yaml`). */
export interface TextSource {
  name: string;
  text: string;
}

/** A parsed but not yet validated scenario, with a way to locate paths in its text. */
export interface RawScenario {
  raw: Record<string, unknown>;
  /** `file:line:col` of a path, when the text has it. */
  locate(path: readonly PropertyKey[]): string | undefined;
  sourceName: string;
}

/** Parses YAML or JSON text (JSON is read by the YAML parser, which keeps positions). */
export function parseScenarioText(src: TextSource): RawScenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(src.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        const where = pos ? `${src.name}:${pos.line}:${pos.col}` : src.name;
        const msg = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        return `${where}: cannot read the file: ${msg}`;
      }),
    );
  }
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError([`${src.name}: expected a scenario (a mapping of keys such as arrivals, stop, stages), got ${raw === null ? 'an empty file' : Array.isArray(raw) ? 'a list' : typeof raw}`]);
  }
  return {
    raw: raw as Record<string, unknown>,
    sourceName: src.name,
    locate(path) {
      // Walk up the path until a node with a position is found.
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n) as Iterable<unknown>, true);
        if (isNode(node) && node.range) {
          const pos = lineCounter.linePos(node.range[0]);
          return `${src.name}:${pos.line}:${pos.col}`;
        }
      }
      return undefined;
    },
  };
}

/** Wraps an object (from a TypeScript module) as a raw scenario without positions. */
export function rawFromObject(obj: unknown, sourceName: string): RawScenario {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new InputError([`${sourceName}: the default export must be a scenario object (use defineScenario({...}))`]);
  }
  return { raw: structuredClone(obj) as Record<string, unknown>, sourceName, locate: () => sourceName };
}

/**
 * Validates a raw scenario (after applying `--set` overrides) as a whole. Throws an
 * InputError listing every problem, each with its location and path.
 */
export function validateScenario(rs: RawScenario, overrides: readonly Override[] = []): Scenario {
  expandTopology(rs.raw, (p) => rs.locate(p) ?? rs.sourceName);
  const applied = applyOverrides(rs.raw, overrides);
  const res = scenarioSchema.safeParse(rs.raw);
  if (res.success) return res.data;
  const problems = describeIssues(scenarioSchema, res.error.issues, rs.raw);
  throw new InputError(
    problems.map((p) => {
      // A problem in a value an override set is the override's, not the file's.
      const fromOverride = applied.find((a) => a.path.length <= p.path.length && a.path.every((k, i) => k === p.path[i]));
      const where = fromOverride?.override ?? rs.locate(p.path) ?? rs.sourceName;
      return `${where}: ${formatProblem(p)}`;
    }),
  );
}

/**
 * Expands a topology shorthand and applies `--set` overrides to the raw scenario, in
 * place (what `servesim explain` shows). Returns the shorthand's name, if any.
 */
export function expandScenario(rs: RawScenario, overrides: readonly Override[] = []): string | undefined {
  const name = expandTopology(rs.raw, (p) => rs.locate(p) ?? rs.sourceName);
  applyOverrides(rs.raw, overrides);
  return name;
}

/** Parses and validates a YAML or JSON scenario text. */
export function scenarioFromText(src: TextSource, overrides: readonly Override[] = []): Scenario {
  return validateScenario(parseScenarioText(src), overrides);
}

/**
 * Typed identity for TypeScript scenario modules: `export default defineScenario({...})`
 * gets editor completion and type checks; the file is still validated at load.
 */
export function defineScenario(s: ScenarioInput): ScenarioInput {
  return s;
}
