/**
 * The built-in scenarios (src/scenarios/*.yaml), bundled as their text: the page offers
 * exactly the files `servesim list` shows, read by the same parser.
 */
import { parse } from 'yaml';

const files = import.meta.glob('../../src/scenarios/*.yaml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** A built-in scenario: its name (the file name, as the CLI takes it) and its text. */
export interface Builtin {
  name: string;
  text: string;
  description: string;
}

/** The built-ins, sorted by name. */
export const BUILTINS: Builtin[] = Object.entries(files)
  .map(([path, text]) => {
    const name = path.replace(/^.*\//, '').replace(/\.yaml$/, '');
    const raw = parse(text) as { description?: unknown } | null;
    const description = typeof raw?.description === 'string' ? raw.description : '';
    return { name, text, description };
  })
  .sort((a, b) => a.name.localeCompare(b.name));

/** The scenario the page opens on: the quick start's M/M/4 ranker, which theory can check by hand. */
export const DEFAULT_BUILTIN = 'realtime-ranker';
