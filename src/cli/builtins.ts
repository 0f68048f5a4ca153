/**
 * The built-in scenarios as files, and `servesim list`. Apart from the simulator on
 * purpose: `list` (and `--version`) answer without loading it (`entry.ts`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Folder of the built-in scenarios: src/scenarios beside src/cli, or dist/scenarios beside dist/lib (scripts/build.mjs). */
export const BUILTIN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios');

/** Extensions of scenario files read as text (YAML, and JSON, which is YAML). */
export const TEXT_EXT = new Set(['.yaml', '.yml', '.json']);

/** Built-in scenario names (file names without extension), sorted. */
export function builtinNames(): string[] {
  return readdirSync(BUILTIN_DIR)
    .filter((f) => TEXT_EXT.has(extname(f)))
    .map((f) => f.slice(0, -extname(f).length))
    .sort();
}

/** The file of built-in scenario `name`, or undefined. */
export function builtinPath(name: string): string | undefined {
  for (const ext of TEXT_EXT) {
    const p = join(BUILTIN_DIR, name + ext);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** The one-line description of a built-in scenario. */
export function builtinDescription(name: string): string {
  const p = builtinPath(name);
  if (p === undefined) return '';
  try {
    // PERF: `list` reads every built-in; parsing only the top-level `description` entry (its
    // line and any indented continuation) instead of the whole file halves its start-up.
    const text = readFileSync(p, 'utf8');
    const entry = /^description:.*(?:\n[ \t].*)*/m.exec(text)?.[0];
    // The options scenario files are read with (config/parse.ts).
    const raw: unknown = parse(entry ?? text, { uniqueKeys: false });
    const d = typeof raw === 'object' && raw !== null ? (raw as { description?: unknown }).description : undefined;
    return typeof d === 'string' ? d : '';
  } catch {
    return '';
  }
}

/** What `servesim list` prints: each built-in's name and description. */
export function listText(): string {
  const names = builtinNames();
  const w = Math.max(...names.map((n) => n.length));
  return `${names.map((n) => `${n.padEnd(w)}  ${builtinDescription(n)}`).join('\n')}\n`;
}
