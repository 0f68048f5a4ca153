import { LineCounter, parseDocument, isAlias, isMap, isNode, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { InputError } from './errors.ts';
import { applyOverrides, type Override } from './overrides.ts';
import { scenarioSchema, type Scenario, type ScenarioInput } from './schema.ts';
import { capProblems, describeIssues, formatProblem } from './validate.ts';
import { shownField } from './shown.ts';
import { FORBIDDEN_KEYS, forbiddenKeyMessage } from './keys.ts';
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

/**
 * Largest scenario file read (bytes). A scenario is a page of settings; 4 MB leaves
 * room for huge variant lists while a stray multi-gigabyte file is refused before it
 * is read whole.
 */
export const MAX_SCENARIO_BYTES = 4 * 1024 * 1024;
/**
 * Most words (runs of non-space characters) plus commas in a scenario text: a bound on
 * the values a YAML parser builds, checked before the parser (a few microseconds per
 * token) sees the text, so a dense file under the size limit still answers in a second
 * or two. 40,000 `key: value` lines (80,000 words) or an empirical distribution of
 * 70,000 values fit; larger data belongs in a CSV trace.
 */
export const MAX_SCENARIO_ITEMS = 150_000;
/** Deepest nesting of lists and mappings accepted (a real scenario nests about 6 levels). */
export const MAX_NESTING = 64;
/**
 * How many times the aliases of a file may expand an anchor (yaml's `maxAliasCount`):
 * enough for sharing a service block between stages, far too little for a
 * "billion laughs" bomb.
 */
export const MAX_ALIAS_COUNT = 100;

/** Checks a scenario text's size before it is parsed. */
export function checkScenarioSize(name: string, bytes: number): void {
  if (bytes > MAX_SCENARIO_BYTES) {
    throw new InputError([`${name}: the file is ${(bytes / 1024 / 1024).toFixed(1)} MB; a scenario file may be at most ${MAX_SCENARIO_BYTES / 1024 / 1024} MB`]);
  }
}

/** Counts words and commas (an upper bound on the tokens a parser will see). */
function checkItemCount(name: string, text: string): void {
  let n = 0;
  let inWord = false;
  // PERF: a charCode loop scans 4 MB in a few milliseconds, without a regex's allocations.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 13 || c === 9;
    if (c === 44) n++;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  if (n > MAX_SCENARIO_ITEMS) {
    throw new InputError([`${name}: has ${n.toLocaleString('en-US')} words and list items; a scenario file may have at most ${MAX_SCENARIO_ITEMS.toLocaleString('en-US')} (put large data, such as recorded arrivals, in a CSV trace)`]);
  }
}

/**
 * Checks a text's UTF-8 size against the limit (also in the browser: the playground
 * parses scenarios too, without Buffer). A UTF-16 unit is at most 3 UTF-8 bytes, so a
 * short text needs no counting.
 */
function checkTextSize(name: string, text: string): void {
  if (text.length * 3 <= MAX_SCENARIO_BYTES) return;
  checkScenarioSize(name, new TextEncoder().encode(text).length);
}

type Loc = (offset: number) => string;

/**
 * Walks the YAML tree once, iteratively (no recursion, so hostile nesting cannot
 * overflow the stack), checking what the schema cannot: nesting depth, explicit tags
 * (`!!js/function`, `!!binary`: a scenario is plain data), keys that are plain
 * scalars, forbidden and duplicate keys, and aliases that resolve. Indexes every
 * mapping's keys so locating a path costs O(depth), not O(keys) per step.
 * PERF: yaml's own `uniqueKeys` check and `getIn` are linear per key, hence quadratic
 * over a mapping; a 40k-key file took minutes.
 */
function checkTree(doc: Document, at: Loc, problems: string[], index: WeakMap<Node, Map<string, Node | null>>): number | undefined {
  const aliases: Array<{ name: string; pos: number }> = [];
  // First definition of each anchor (an alias may only name an anchor before it).
  const anchors = new Map<string, number>();
  // Every definition of each anchor, [start, end) in the text: an alias inside the node its
  // anchor names would make the data circular (`a: &a [*a]`).
  const spans = new Map<string, Array<[number, number]>>();
  const stack: Array<{ node: unknown; depth: number }> = [{ node: doc.contents, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isNode(node)) continue;
    const pos = node.range?.[0] ?? 0;
    if (!isAlias(node) && node.anchor !== undefined) {
      if (!(pos >= (anchors.get(node.anchor) ?? Infinity))) anchors.set(node.anchor, pos);
      const list = spans.get(node.anchor) ?? [];
      list.push([pos, node.range?.[1] ?? pos]);
      spans.set(node.anchor, list);
    }
    if (node.tag !== undefined && !isAlias(node)) {
      const tag = node.tag.replace(/^tag:yaml\.org,2002:/, '!!');
      problems.push(`${at(pos)}: YAML tags such as ${shownField(tag)} are not accepted: a scenario holds plain values`);
      continue;
    }
    if (isAlias(node)) {
      aliases.push({ name: node.source, pos });
      continue;
    }
    if (depth > MAX_NESTING) {
      problems.push(`${at(pos)}: nested more than ${MAX_NESTING} levels deep`);
      continue;
    }
    if (isMap(node)) {
      const keys = new Map<string, Node | null>();
      index.set(node, keys);
      const children: unknown[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const k = pair.key;
        const kpos = isNode(k) ? (k.range?.[0] ?? pos) : pos;
        if (!isScalar(k) || (k.value !== null && typeof k.value === 'object') || k.tag !== undefined) {
          problems.push(`${at(kpos)}: a key must be a plain word or number, not a list, mapping, alias or tagged value`);
          continue;
        }
        const key = String(k.value);
        if (FORBIDDEN_KEYS.has(key)) problems.push(`${at(kpos)}: ${forbiddenKeyMessage(key)}`);
        else if (keys.has(key)) problems.push(`${at(kpos)}: the key "${shownField(key)}" appears twice in this mapping`);
        keys.set(key, isNode(pair.value) ? pair.value : null);
        children.push(pair.value);
      }
      // Pushed last to first, so problems come out in the order of the file.
      for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], depth: depth + 1 });
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], depth: depth + 1 });
    }
  }
  // PERF: yaml's Alias.resolve scans the document per alias (quadratic over many aliases);
  // comparing offsets with the first definition of each anchor is linear.
  aliases.sort((a, b) => a.pos - b.pos);
  for (const a of aliases.filter((x) => !((anchors.get(x.name) ?? Infinity) < x.pos))) {
    problems.push(`${at(a.pos)}: the alias *${shownField(a.name)} names no anchor defined before it (&${shownField(a.name)})`);
  }
  for (const a of aliases) {
    // The alias names the nearest definition before it; inside that node, it would hold itself.
    // Definitions are met in document order, so each list is sorted by start: binary search.
    const defs = spans.get(a.name) ?? [];
    let lo = 0;
    let hi = defs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (defs[mid]![0] < a.pos) lo = mid + 1;
      else hi = mid;
    }
    const nearest = lo > 0 ? defs[lo - 1] : undefined;
    if (nearest !== undefined && a.pos < nearest[1]) {
      problems.push(`${at(a.pos)}: the alias *${shownField(a.name)} is inside the node its anchor &${shownField(a.name)} names: the data would contain itself`);
    }
  }
  return aliases[0]?.pos;
}

/** Turns a YAML parser error into a one-line message. */
function parserMessage(message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  // The parser recurses per nesting level and reports the overflow as an error.
  return /call stack/i.test(first) ? `nested too deeply (at most ${MAX_NESTING} levels)` : first;
}

/** Parses YAML or JSON text (JSON is read by the YAML parser, which keeps positions). */
export function parseScenarioText(src: TextSource): RawScenario {
  checkTextSize(src.name, src.text);
  checkItemCount(src.name, src.text);
  const lineCounter = new LineCounter();
  const at: Loc = (offset) => {
    const pos = lineCounter.linePos(offset);
    return `${src.name}:${pos.line}:${pos.col}`;
  };
  let doc: Document;
  try {
    doc = parseDocument(src.text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  } catch (err) {
    // The parser recurses per nesting level; hostile nesting can still overflow it.
    throw new InputError([`${src.name}: cannot read the file: ${parserMessage((err as Error).message)}`]);
  }
  if (doc.errors.length > 0) {
    // One stack overflow surfaces as an error per unwound level: say each kind once.
    const said = new Set<string>();
    const errors = doc.errors.filter((e) => {
      const m = parserMessage(e.message);
      const again = said.has(m) && m.startsWith('nested too deeply');
      said.add(m);
      return !again;
    });
    throw new InputError(
      capProblems(
        errors.map((e) => {
          const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
          const where = pos ? `${src.name}:${pos.line}:${pos.col}` : src.name;
          return `${where}: cannot read the file: ${parserMessage(e.message)}`;
        }),
      ),
    );
  }
  const problems: string[] = [];
  const index = new WeakMap<Node, Map<string, Node | null>>();
  const firstAlias = checkTree(doc, at, problems, index);
  if (problems.length > 0) throw new InputError(capProblems(problems));
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const msg = (err as Error).message;
    const where = firstAlias !== undefined ? at(firstAlias) : src.name;
    if (/alias count/i.test(msg)) throw new InputError([`${where}: aliases (*name) expand to too much data (at most ${MAX_ALIAS_COUNT} expansions of an anchor; is this an alias bomb?)`]);
    throw new InputError([`${where}: cannot read the file: ${shownField(msg.split('\n')[0]!)}`]);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError([`${src.name}: expected a scenario (a mapping of keys such as arrivals, stop, stages), got ${raw === null || raw === undefined ? 'an empty file' : Array.isArray(raw) ? 'a list' : typeof raw}`]);
  }
  const located = (node: unknown): string | undefined => (isNode(node) && node.range ? at(node.range[0]) : undefined);
  return {
    raw: raw as Record<string, unknown>,
    sourceName: src.name,
    locate(path) {
      // Follow the path as far as the text has it; the deepest node found is the place.
      let node: unknown = doc.contents;
      let best = located(node);
      for (const key of path) {
        if (isAlias(node)) node = node.resolve(doc);
        if (isMap(node)) node = index.get(node)?.get(String(key)) ?? undefined;
        else if (isSeq(node) && typeof key === 'number') node = node.items[key];
        else node = undefined;
        if (node === undefined || node === null) break;
        best = located(node) ?? best;
      }
      return best;
    },
  };
}

/**
 * Every key of an object tree (a TypeScript scenario's default export), checked for
 * forbidden keys; iterative, with the same nesting bound as YAML.
 */
function checkObjectKeys(obj: unknown, sourceName: string): void {
  const problems: string[] = [];
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: obj, path: '', depth: 1 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_NESTING) {
      problems.push(`${sourceName}: ${path}: nested more than ${MAX_NESTING} levels deep`);
      continue;
    }
    if (Array.isArray(v)) v.forEach((e, i) => stack.push({ v: e, path: `${path}[${i}]`, depth: depth + 1 }));
    else {
      for (const key of Object.keys(v)) {
        const p = path === '' ? key : `${path}.${key}`;
        if (FORBIDDEN_KEYS.has(key)) problems.push(`${sourceName}: ${shownField(p)}: ${forbiddenKeyMessage(key)}`);
        else stack.push({ v: (v as Record<string, unknown>)[key], path: p, depth: depth + 1 });
      }
    }
  }
  if (problems.length > 0) throw new InputError(capProblems(problems));
}

/** Wraps an object (from a TypeScript module) as a raw scenario without positions. */
export function rawFromObject(obj: unknown, sourceName: string): RawScenario {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new InputError([`${sourceName}: the default export must be a scenario object (use defineScenario({...}))`]);
  }
  // A promise is an object with no keys of its own: say what it is (loadScenario is async).
  if (typeof (obj as { then?: unknown }).then === 'function') {
    throw new InputError([`${sourceName}: got a Promise, not a scenario: await it first (loadScenario returns a Promise)`]);
  }
  checkObjectKeys(obj, sourceName);
  let raw: Record<string, unknown>;
  try {
    raw = structuredClone(obj) as Record<string, unknown>;
  } catch {
    // A function, a symbol or another value that is not data (the clone refuses it; its
    // message would echo the value, code included, so it is not shown).
    throw new InputError([`${sourceName}: the scenario holds something that is not plain data (a function or a symbol?); a scenario holds numbers, strings, booleans, lists and objects`]);
  }
  return { raw, sourceName, locate: () => sourceName };
}

/**
 * Validates a raw scenario (after applying `--set` overrides) as a whole, without
 * changing it. Throws an InputError listing every problem, each with its location and path.
 */
export function validateScenario(given: RawScenario, overrides: readonly Override[] = []): Scenario {
  // Shorthands and overrides are applied to a copy: the caller's object never changes.
  const rs = { ...given, raw: structuredClone(given.raw) };
  // A bad shorthand is one problem among the others, not a stop: validate the rest too.
  const badTopology = tryExpandTopology(rs);
  const applied = applyOverrides(rs.raw, overrides);
  const res = scenarioSchema.safeParse(rs.raw);
  if (res.success && badTopology.length === 0) return res.data;
  let problems = res.success ? [] : describeIssues(scenarioSchema, res.error.issues, rs.raw);
  // The shorthand would have given the stages; do not blame their absence on the user.
  if (badTopology.length > 0) problems = problems.filter((p) => !(p.path.length === 1 && p.path[0] === 'stages' && p.message.startsWith('missing')));
  throw new InputError(
    capProblems([
      ...badTopology,
      ...problems.map((p) => {
        // A problem in a value an override set is the override's, not the file's.
        const fromOverride = applied.find((a) => a.path.length <= p.path.length && a.path.every((k, i) => k === p.path[i]));
        const where = fromOverride?.override ?? rs.locate(p.path) ?? rs.sourceName;
        return `${where}: ${formatProblem(p)}`;
      }),
    ]),
  );
}

/** Expands a topology shorthand; a bad one is removed and returned as its problem. */
function tryExpandTopology(rs: RawScenario): string[] {
  try {
    expandTopology(rs.raw, (p) => rs.locate(p) ?? rs.sourceName);
    return [];
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    delete rs.raw.topology;
    return [...err.problems];
  }
}

/**
 * Expands a topology shorthand and applies `--set` overrides to the raw scenario, in
 * place (what `servesim explain` shows). Returns the shorthand's name, if any.
 */
export function expandScenario(rs: RawScenario, overrides: readonly Override[] = []): string | undefined {
  let name: string | undefined;
  try {
    name = expandTopology(rs.raw, (p) => rs.locate(p) ?? rs.sourceName);
  } catch (err) {
    // Left in place: validation reports it together with every other problem.
    if (!(err instanceof InputError)) throw err;
  }
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
